/**
 * The SLA clock every screen shows (R9): deadline from the board policy, at risk under a quarter
 * of the window, breached at zero, unchanged by escalation (R8), the same in every time zone,
 * and the same on browsers whose clocks disagree once they read the shared clock.
 */
import { describe, expect, test } from 'vitest';
import { DEFAULT_SLA_POLICY } from '../../../src/lib/domain/schema';
import {
	durationText,
	estimateOffset,
	readSla,
	readTimebox,
	serverNow,
	slaDeadline,
	slaText,
	type ClockSample
} from '../../../src/lib/domain/sla';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import * as op from '../../../src/lib/sync/operations';
import { BoardProjection } from '../../../src/lib/sync/projection';
import { fixedContext } from '../../helpers/op-context';

const HOUR = 3_600_000;
const created = '2026-11-23T09:00:00.000Z';
const open = (slaDeadline: string | null) => ({
	status: 'open' as const,
	createdAt: created,
	slaDeadline,
	completedAt: null
});

describe('SLA clock', () => {
	test('[R9] the deadline is created-at plus the policy for the severity', () => {
		expect(slaDeadline(created, 'SEV1', DEFAULT_SLA_POLICY)).toBe('2026-11-23T15:00:00.000Z');
		expect(slaDeadline(created, 'SEV2', DEFAULT_SLA_POLICY)).toBe('2026-11-24T09:00:00.000Z');
		expect(slaDeadline(created, 'SEV3', DEFAULT_SLA_POLICY)).toBe('2026-11-26T09:00:00.000Z');
		expect(slaDeadline(created, 'non-production-defect', DEFAULT_SLA_POLICY)).toBe(
			'2026-11-30T09:00:00.000Z'
		);
	});

	test.each([
		['just created', 0, 'on-track'],
		['exactly a quarter left', 4.5 * HOUR, 'on-track'],
		['just under a quarter left', 4.5 * HOUR + 1, 'at-risk'],
		['one second before the deadline', 6 * HOUR - 1000, 'at-risk'],
		['at the deadline', 6 * HOUR, 'breached'],
		['two hours late', 8 * HOUR, 'breached']
	])('[R9] a SEV1 %s is %s', (_label, elapsed, state) => {
		const reading = readSla(open('2026-11-23T15:00:00.000Z'), Date.parse(created) + elapsed);
		expect(reading.state).toBe(state);
		expect(reading.remainingMs).toBe(6 * HOUR - elapsed);
	});

	test('work without a deadline has no clock; done work keeps the reading of its completion', () => {
		expect(readSla(open(null), Date.now()).state).toBe('none');
		const done = (completedAt: string) => ({
			...open('2026-11-23T15:00:00.000Z'),
			status: 'done' as const,
			completedAt
		});
		const muchLater = Date.parse('2026-12-01T00:00:00Z');
		expect(readSla(done('2026-11-23T14:00:00.000Z'), muchLater)).toMatchObject({
			state: 'met',
			remainingMs: HOUR
		});
		expect(readSla(done('2026-11-23T16:00:00.000Z'), muchLater).state).toBe('missed');
	});

	test('instants written in another time zone read the same', () => {
		const utc = readSla(open('2026-11-23T15:00:00.000Z'), Date.parse('2026-11-23T13:00:00Z'));
		const india = readSla(
			{ ...open('2026-11-23T20:30:00.000+05:30'), createdAt: '2026-11-23T14:30:00.000+05:30' },
			Date.parse('2026-11-23T08:00:00-05:00')
		);
		expect(india).toEqual(utc);
		expect(utc).toMatchObject({ state: 'on-track', remainingMs: 2 * HOUR });
	});

	test('[R8] escalating, even twice, changes neither the deadline nor the severity', () => {
		const docs = new BoardDocs('demo');
		const ctx = fixedContext('d');
		const ids = seedDemoBoard(docs, ctx, '2026-11-23');
		const projection = new BoardProjection(docs, { now: Date.parse(created) });
		const before = projection.state.workPackages.get(ids.incident)!;
		const now = Date.parse(before.createdAt) + 5 * HOUR;
		ctx.advance(60);
		op.escalate(docs, ctx, ids.incident, ids.stories.secondLine, 'needs the database team');
		ctx.advance(60);
		op.resolveEscalation(docs, ctx, ids.incident);
		op.escalate(docs, ctx, ids.incident, ids.stories.secondLine, 'again');
		const after = projection.state.workPackages.get(ids.incident)!;
		expect(after.escalations).toHaveLength(2);
		expect(after.slaDeadline).toBe(before.slaDeadline);
		expect(after.severity).toBe(before.severity);
		expect(after.escalations.map((hop) => hop.slaDeadline)).toEqual([
			before.slaDeadline,
			before.slaDeadline
		]);
		expect(readSla(after, now)).toEqual(readSla(before, now));
		projection.destroy();
	});
});

describe('the SLA in words', () => {
	const done = (completedAt: string) => ({
		...open('2026-11-23T13:00:00.000Z'),
		status: 'done' as const,
		completedAt
	});
	test.each([
		{ at: 0, text: 'SLA on track: 4 h 00 min left' },
		{ at: 3 * HOUR + 30 * 60_000 + 30_000, text: 'SLA at risk: 29 min 30 s left' },
		{ at: 4 * HOUR - 45_000, text: 'SLA at risk: 45 s left' },
		{ at: 4 * HOUR + 2 * 60_000 + 10_000, text: 'SLA breached 2 min 10 s ago' },
		{ at: 2 * 24 * HOUR + 5 * HOUR, text: 'SLA breached 2 d 1 h ago' }
	])('[R9] an open 4 h SLA, $at ms in, reads "$text"', ({ at, text }) => {
		const reading = readSla(open('2026-11-23T13:00:00.000Z'), Date.parse(created) + at);
		expect(slaText(reading)).toBe(text);
	});

	test('[R9] done work says whether its SLA was met, and by how much; no deadline, no SLA', () => {
		const later = Date.parse(created) + 48 * HOUR;
		expect(slaText(readSla(done('2026-11-23T10:00:00.000Z'), later))).toBe(
			'SLA met with 3 h 00 min to spare'
		);
		expect(slaText(readSla(done('2026-11-23T14:30:00.000Z'), later))).toBe(
			'SLA missed by 1 h 30 min'
		);
		expect(slaText(readSla(open(null), later))).toBe('No SLA');
	});

	test('durations are coarse with time left and fine near the end', () => {
		expect(durationText(3 * 24 * HOUR + 5 * HOUR + 59 * 60_000)).toBe('3 d 5 h');
		expect(durationText(2 * HOUR + 5 * 60_000 + 59_000)).toBe('2 h 05 min');
		expect(durationText(12 * 60_000 + 30_000)).toBe('12 min 30 s');
		expect(durationText(-45_999)).toBe('45 s');
		expect(durationText(0)).toBe('0 s');
	});
});

describe('shared clock between browsers', () => {
	/** A browser whose clock is `skew` ms off the server's, asking over a link of `latency`. */
	function samplesOf(skew: number, latencies: number[], serverStart: number): ClockSample[] {
		let server = serverStart;
		return latencies.map((latency) => {
			const sentAt = server + skew;
			server += latency / 2;
			const serverTime = server;
			server += latency / 2;
			const receivedAt = server + skew;
			server += 1000;
			return { sentAt, serverTime, receivedAt };
		});
	}

	test('two browsers 7 minutes apart show the same SLA countdown once they read the shared clock', () => {
		const start = Date.parse('2026-11-23T13:00:00Z');
		const fast = estimateOffset(samplesOf(+7 * 60_000, [80, 30, 200], start));
		const slow = estimateOffset(samplesOf(-90_000, [45, 300, 60], start));
		expect(fast.offsetMs).toBeCloseTo(-7 * 60_000, -1);
		expect(slow.offsetMs).toBeCloseTo(90_000, -1);
		expect(fast.uncertaintyMs).toBe(15);
		expect(slow.uncertaintyMs).toBe(22.5);

		const wp = open('2026-11-23T15:00:00.000Z');
		const serverMoment = start + 10_000;
		const onFast = readSla(wp, serverNow(serverMoment + 7 * 60_000, fast.offsetMs));
		const onSlow = readSla(wp, serverNow(serverMoment - 90_000, slow.offsetMs));
		expect(Math.abs(onFast.remainingMs! - onSlow.remainingMs!)).toBeLessThan(50);
		// Without the correction the two screens would disagree by 8.5 minutes.
		const raw =
			readSla(wp, serverMoment + 7 * 60_000).remainingMs! -
			readSla(wp, serverMoment - 90_000).remainingMs!;
		expect(Math.abs(raw)).toBe(8.5 * 60_000);
	});

	test('an incident opened on a browser 7 minutes fast gets the deadline the server clock gives', () => {
		const server = Date.parse('2026-11-23T09:00:00.000Z');
		const fastBrowser = () => server + 7 * 60_000;
		const offset = -7 * 60_000;
		const open = (clock: () => number) => {
			const docs = new BoardDocs('demo');
			const ids = seedDemoBoard(docs, fixedContext('d'), '2026-11-23');
			return op.createWorkPackage(docs, op.liveContext('ana', clock), {
				storyId: ids.stories.support,
				title: 'Checkout down',
				category: 'incident',
				severity: 'SEV1'
			});
		};
		expect(open(() => serverNow(fastBrowser(), offset)).slaDeadline).toBe(
			'2026-11-23T15:00:00.000Z'
		);
		expect(open(fastBrowser).slaDeadline).toBe('2026-11-23T15:07:00.000Z');
	});

	test('no usable sample leaves the clock uncorrected and says so', () => {
		expect(estimateOffset([])).toEqual({ offsetMs: 0, uncertaintyMs: Number.POSITIVE_INFINITY });
		const backwards = { sentAt: 10, serverTime: 5, receivedAt: 5 };
		expect(estimateOffset([backwards]).uncertaintyMs).toBe(Number.POSITIVE_INFINITY);
	});

	test('a standup timebox reads the same from a shared start, and reports the overrun', () => {
		const startedAt = '2026-11-23T09:15:00.000Z';
		expect(readTimebox(startedAt, 120, Date.parse('2026-11-23T09:16:00Z'))).toEqual({
			elapsedMs: 60_000,
			remainingMs: 60_000,
			overrun: false
		});
		expect(readTimebox(startedAt, 120, Date.parse('2026-11-23T09:17:30Z'))).toMatchObject({
			remainingMs: -30_000,
			overrun: true
		});
		// A browser whose clock is behind the start does not show a negative elapsed time.
		expect(readTimebox(startedAt, 120, Date.parse('2026-11-23T09:14:59Z')).elapsedMs).toBe(0);
	});
});
