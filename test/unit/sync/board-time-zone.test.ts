/**
 * The board's time zone: a new board names one (UTC unless asked), a board written before boards
 * had one reads as UTC, an unknown zone is refused, and the days the board counts with (when
 * unknown work arrived in a sprint) follow the zone.
 */
import { describe, expect, test } from 'vitest';
import { budgetOf, reservedBudgets } from '../../../src/lib/domain/budget';
import { timeZoneOf } from '../../../src/lib/domain/days';
import { ScrumOpsError } from '../../../src/lib/domain/errors';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import * as op from '../../../src/lib/sync/operations';
import { BoardProjection } from '../../../src/lib/sync/projection';
import { fixedContext } from '../../helpers/op-context';

const NOW = Date.parse('2026-11-24T09:00:00.000Z');

describe('the board time zone setting', () => {
	test('a new board reads its days in UTC unless it names a zone', () => {
		const docs = new BoardDocs('acme');
		const board = op.createBoard(docs, fixedContext('a'), { name: 'Acme' });
		expect(board.timeZone).toBe('UTC');
		expect(docs.meta().get('timeZone')).toBe('UTC');
		expect(new BoardProjection(docs, { now: NOW }).state.board?.timeZone).toBe('UTC');
	});

	test('createBoard takes the zone the teams work in', () => {
		const docs = new BoardDocs('acme');
		op.createBoard(docs, fixedContext('a'), { name: 'Acme', timeZone: 'Australia/Sydney' });
		expect(new BoardProjection(docs, { now: NOW }).state.board?.timeZone).toBe('Australia/Sydney');
	});

	test('createBoard passed no zone at all (undefined) writes UTC', () => {
		const docs = new BoardDocs('acme');
		op.createBoard(docs, fixedContext('a'), { name: 'Acme', timeZone: undefined });
		expect(docs.meta().get('timeZone')).toBe('UTC');
	});

	test.each(['Mars/Olympus_Mons', '+05:00', ''])(
		'an unknown zone "%s" is refused, and nothing is written',
		(timeZone) => {
			const docs = new BoardDocs('acme');
			expect(() => op.createBoard(docs, fixedContext('a'), { name: 'Acme', timeZone })).toThrow(
				ScrumOpsError
			);
			expect(() => op.createBoard(docs, fixedContext('a'), { name: 'Acme', timeZone })).toThrow(
				/timeZone: not a known IANA time zone/
			);
			expect(docs.meta().size).toBe(0);
		}
	);

	test('board settings written without a zone (an earlier client) read as UTC', () => {
		const docs = new BoardDocs('acme');
		op.createBoard(docs, fixedContext('a'), { name: 'Acme' });
		docs.meta().delete('timeZone');
		const projection = new BoardProjection(docs, { now: NOW });
		expect(projection.state.board).toMatchObject({ name: 'Acme', timeZone: 'UTC' });
		expect(projection.rejected.has('meta/board')).toBe(false);
	});

	test('stored settings naming a zone no one knows are rejected as meta/board', () => {
		const docs = new BoardDocs('acme');
		op.createBoard(docs, fixedContext('a'), { name: 'Acme' });
		docs.meta().set('timeZone', 'Mars/Olympus_Mons');
		const projection = new BoardProjection(docs, { now: NOW });
		expect(projection.state.board).toBeNull();
		expect(projection.rejected.get('meta/board')).toMatch(/timeZone/);
	});

	test('setBoardTimeZone changes the zone; an unknown one is refused and changes nothing', () => {
		const docs = new BoardDocs('acme');
		const ctx = fixedContext('a');
		op.createBoard(docs, ctx, { name: 'Acme', targetOpsPercent: 40 });
		const projection = new BoardProjection(docs, { now: NOW });
		expect(op.setBoardTimeZone(docs, ctx, 'America/Los_Angeles').timeZone).toBe(
			'America/Los_Angeles'
		);
		expect(projection.state.board).toMatchObject({
			timeZone: 'America/Los_Angeles',
			targetOpsPercent: 40
		});
		expect(() => op.setBoardTimeZone(docs, ctx, 'Pacific/Atlantis')).toThrow(
			'Invalid time zone: value: not a known IANA time zone'
		);
		expect(projection.state.board?.timeZone).toBe('America/Los_Angeles');
	});
});

describe('days in the board time zone', () => {
	/** The demo board: the Web sprint runs 2026-11-23 to 2026-12-06 and reserves 9 support points. */
	function demo(timeZone: string) {
		const docs = new BoardDocs('demo');
		const ctx = fixedContext('d');
		const ids = seedDemoBoard(docs, ctx, '2026-11-23');
		op.setBoardTimeZone(docs, ctx, timeZone);
		const projection = new BoardProjection(docs, { now: NOW });
		// 08:30 on Monday 23 November in Sydney: 21:30 on Sunday the 22nd in UTC.
		const morning = fixedContext('m', null, Date.parse('2026-11-22T21:30:00.000Z'));
		const wp = op.createWorkPackage(docs, morning, {
			storyId: ids.stories.support,
			title: 'Refunds stuck',
			category: 'request',
			points: 2
		});
		return { ids, projection, wp: projection.state.workPackages.get(wp.id)! };
	}

	test.each([
		{ zone: 'Australia/Sydney', used: 9, counted: true },
		// Read in UTC the same work arrived the day before the sprint began.
		{ zone: 'UTC', used: 7, counted: false }
	])(
		'[R1] unknown work arriving at 08:30 Sydney time on the first sprint day, on a $zone board',
		({ zone, used, counted }) => {
			const { ids, projection, wp } = demo(zone);
			const timeZone = timeZoneOf(projection.state.board);
			expect(timeZone).toBe(zone);
			const sprint = projection.state.sprints.get(ids.sprints.web)!;
			const workPackages = [...projection.state.workPackages.values()];
			const [budget] = reservedBudgets(sprint, workPackages, timeZone);
			expect(budget).toMatchObject({ storyId: ids.stories.support, reserved: 9, used });
			expect(budget!.workPackageIds.includes(wp.id)).toBe(counted);
			const burn = budgetOf(wp, [...projection.state.sprints.values()], workPackages, timeZone);
			expect(burn?.sprint.id ?? null).toBe(counted ? ids.sprints.web : null);
		}
	);
});
