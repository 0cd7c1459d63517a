/**
 * What a reader does with entities other clients wrote badly: it rejects them with a reason,
 * keeps serving everything else, and takes them back once they are fixed (docs/schema.md, D4).
 */
import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { entityToYMap } from '../../../src/lib/sync/codec';
import { FIELD_KINDS } from '../../../src/lib/sync/layout';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import * as op from '../../../src/lib/sync/operations';
import { BoardProjection } from '../../../src/lib/sync/projection';
import { fixedContext } from '../../helpers/op-context';
import { nestDeep } from '../../helpers/deep-nesting';

const NOW = Date.parse('2026-11-23T10:00:00.000Z');

function demo() {
	const docs = new BoardDocs('demo');
	const ctx = fixedContext('d');
	const ids = seedDemoBoard(docs, ctx, '2026-11-23');
	return { docs, ctx, ids, projection: new BoardProjection(docs, { now: NOW }) };
}

describe('[D4] badly written entities are rejected, not fatal', () => {
	test('a plain object where an entity Y.Map belongs', () => {
		const { docs, projection } = demo();
		(docs.collection('teams') as Y.Map<unknown>).set('rogue', { id: 'rogue', name: 'Rogue' });
		expect(projection.rejected.get('teams/rogue')).toMatch(/must be a Y.Map, not a JSON object/);
		expect(projection.state.teams.has('rogue')).toBe(false);
		expect(projection.state.teams.size).toBe(3);
	});

	test('a plain array where a nested set belongs, until it is rewritten properly', () => {
		const { docs, ctx, ids, projection } = demo();
		docs.collection('teams').get(ids.teams.web)!.set('memberIds', ['p1', 'p2']);
		expect(projection.rejected.get(`teams/${ids.teams.web}`)).toMatch(
			/^memberIds: must be a Y.Map, not a JSON array$/
		);
		expect(projection.state.teams.has(ids.teams.web)).toBe(false);
		// Operations on it say what is wrong instead of silently dropping the members.
		expect(() => op.updateTeam(docs, ctx, ids.teams.web, { velocity: 31 })).toThrow(
			/stored team .* is invalid/
		);
		docs.collection('teams').get(ids.teams.web)!.set('memberIds', new Y.Map());
		expect(projection.rejected.has(`teams/${ids.teams.web}`)).toBe(false);
		expect(projection.state.teams.get(ids.teams.web)!.memberIds).toEqual([]);
	});

	test('an entity whose id field differs from its key', () => {
		const { docs, ids, projection } = demo();
		docs.collection('stories').get(ids.stories.checkout)!.set('id', ids.stories.search);
		expect(projection.rejected.get(`stories/${ids.stories.checkout}`)).toMatch(
			/stored under key .* but its id is/
		);
		expect(projection.state.stories.get(ids.stories.search)!.title).toBe('Search suggestions');
	});

	test('a malformed rank is rejected and does not block reordering for others', () => {
		const { docs, ctx, ids, projection } = demo();
		docs.collection('stories').get(ids.stories.hiring)!.set('rank', 'zzz');
		expect(projection.rejected.get(`stories/${ids.stories.hiring}`)).toMatch(/fractional-index/);
		op.moveStory(docs, ctx, ids.stories.checkout, 0);
		expect(op.backlogOrder(docs)[0]!.id).toBe(ids.stories.checkout);
	});

	test('board settings of another board, or of a newer schema version', () => {
		const { docs, projection } = demo();
		docs.meta().set('id', 'other');
		expect(projection.state.board).toBeNull();
		expect(projection.rejected.get('meta/board')).toMatch(/this is board "demo"/);
		docs.meta().set('id', 'demo');
		expect(projection.state.board?.name).toBe('Acme Shop');
		docs.meta().set('schemaVersion', 99);
		expect(projection.rejected.get('meta/board')).toMatch(/schemaVersion 99.*update it/);
		docs.meta().set('schemaVersion', 1);
		expect(projection.rejected.has('meta/board')).toBe(false);
	});
});

describe("[D3] readers read within the contract's levels and limits, whatever is stored", () => {
	test('a story whose estimates nest Y.Maps thousands deep is rejected; the board reads on', () => {
		const { docs, ids, projection } = demo();
		const checkout = docs.collection('stories').get(ids.stories.checkout)!;
		nestDeep(checkout.get('estimates') as Y.Map<unknown>, ids.teams.web, 5_000);
		expect(projection.rejected.get(`stories/${ids.stories.checkout}`)).toBe(
			'estimates: nested deeper than the contract allows'
		);
		expect(projection.state.stories.has(ids.stories.checkout)).toBe(false);
		expect(projection.state.stories.get(ids.stories.search)?.title).toBe('Search suggestions');
		expect(() => projection.findings()).not.toThrow();
		// A replica loading the same document reads it the same way.
		const replica = new BoardDocs('demo');
		Y.applyUpdate(replica.board, Y.encodeStateAsUpdate(docs.board));
		const reader = new BoardProjection(replica, { now: NOW });
		expect(reader.rejected.get(`stories/${ids.stories.checkout}`)).toMatch(/nested deeper/);
	});

	test('a Yjs type in a plain field, a text past the limit, a value nested too deep', () => {
		const { docs, ids, projection } = demo();
		const teams = docs.collection('teams');
		teams.get(ids.teams.web)!.set('name', new Y.Text('Web'));
		teams.get(ids.teams.ops)!.set('name', 'x'.repeat(10_001));
		teams.get(ids.teams.mobile)!.set('kind', { a: { b: { c: { d: 'mixed' } } } });
		expect(projection.rejected.get(`teams/${ids.teams.web}`)).toBe(
			'name: nested deeper than the contract allows'
		);
		expect(projection.rejected.get(`teams/${ids.teams.ops}`)).toBe(
			'name: a text of 10001 characters is longer than the 10000 allowed'
		);
		expect(projection.rejected.get(`teams/${ids.teams.mobile}`)).toBe(
			'kind: nested deeper than the contract allows'
		);
		expect(projection.state.teams.size).toBe(0);
	});

	test('operations on such an entity refuse with the reason instead of throwing a RangeError', () => {
		const { docs, ctx, ids } = demo();
		const checkout = docs.collection('stories').get(ids.stories.checkout)!;
		nestDeep(checkout.get('estimates') as Y.Map<unknown>, ids.teams.web, 5_000);
		expect(() =>
			op.editStory(docs, ctx, ids.stories.checkout, { title: 'Faster checkout' })
		).toThrow(/stored story .* is invalid \(estimates: nested deeper than the contract allows\)/);
		docs.meta().set('operationalGoals', ['a plain array']);
		expect(() => op.updateBoard(docs, ctx, { name: 'Renamed' })).toThrow(
			/board settings cannot be read \(operationalGoals: must be a Y\.Array, not a JSON array\)/
		);
	});

	test('a live standup holding a Yjs type reads as no standup', () => {
		const { docs, ids } = demo();
		docs.team(ids.teams.web).getMap('standup').set('teamId', new Y.Map());
		expect(op.readStandup(docs, ids.teams.web)).toBeNull();
	});
});

describe('[R11] a task id reused in another team document', () => {
	function plant(docs: BoardDocs, teamId: string, task: Record<string, unknown>) {
		docs.team(teamId).getMap('tasks').set(String(task.id), entityToYMap(task, FIELD_KINDS.tasks));
	}

	test("neither replaces nor, once removed, hides the owning team's task", () => {
		const { docs, ctx, ids, projection } = demo();
		const task = op.addTask(docs, ctx, ids.teams.web, { title: 'Fix the checkout button' });
		const intruder = ids.teams.ops;
		plant(docs, intruder, { ...task, title: 'Nothing to see', owningTeamId: intruder });

		const shown = projection.state.tasks.get(task.id)!;
		expect(shown.title).toBe('Fix the checkout button');
		expect(shown.homeTeamId).toBe(ids.teams.web);
		expect(projection.rejected.get(`tasks/${task.id}@${intruder}`)).toMatch(
			/reuses the id of a task in team .*'s document/
		);

		docs.team(intruder).getMap('tasks').delete(task.id);
		expect(projection.state.tasks.get(task.id)?.title).toBe('Fix the checkout button');
		expect(projection.rejected.has(`tasks/${task.id}@${intruder}`)).toBe(false);
	});

	test('every replica shows the same copy, whichever document it read first', () => {
		const { docs, ctx, ids } = demo();
		const task = op.addTask(docs, ctx, ids.teams.web, { title: 'Owned by web' });
		// A copy claiming web as its owner, in mobile's document: the copy at home still wins.
		plant(docs, ids.teams.mobile, { ...task, title: 'Posing as web' });
		const { web, mobile } = ids.teams;
		for (const order of [
			[mobile, web],
			[web, mobile]
		]) {
			const replica = new BoardDocs(docs.boardId);
			Y.applyUpdate(replica.board, Y.encodeStateAsUpdate(docs.board));
			const reader = new BoardProjection(replica, { now: NOW });
			for (const teamId of order) {
				Y.applyUpdate(replica.team(teamId), Y.encodeStateAsUpdate(docs.team(teamId)));
			}
			expect(reader.state.tasks.get(task.id)?.title, `read ${order.join(', ')}`).toBe(
				'Owned by web'
			);
		}
	});
});
