/**
 * Undo and redo of one's own edits (src/lib/sync/edit-history.ts), on two replicas of a board
 * joined by a simulated network: undo reverts the local person's last write in the view it was
 * made in, and only theirs; what others did meanwhile survives on every replica.
 */
import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { seedDemoBoard, type DemoIds } from '../../../src/lib/sync/demo';
import { EditHistory } from '../../../src/lib/sync/edit-history';
import type { TransactionOrigin } from '../../../src/lib/sync/layout';
import * as op from '../../../src/lib/sync/operations';
import { fixedContext } from '../../helpers/op-context';
import { Network, snapshot, type Replica } from '../../helpers/replicas';

/** Two replicas of the demo board: Ana on the first, Ben on the second, both in team Web. */
function twoPeople() {
	const network = new Network(2, 7);
	const [a, b] = network.replicas as [Replica, Replica];
	const ids: DemoIds = seedDemoBoard(a.docs, fixedContext('seed'), '2026-11-23');
	network.flush();
	const web = ids.teams.web;
	const person = (replica: Replica, actorId: string) => {
		const history = new EditHistory(replica.docs, () => [web]);
		const base = fixedContext(actorId, actorId);
		/** Runs `intent` as one write of this person in `view`, as the BoardSession does. */
		const write = (view: string, intent: (ctx: op.OpContext) => unknown) =>
			intent(op.inScope(base, history.begin(view)));
		return { replica, history, write };
	};
	return { network, ids, web, ana: person(a, 'ana'), ben: person(b, 'ben') };
}

const title = (replica: Replica, storyId: string) =>
	replica.projection.state.stories.get(storyId)?.title;

describe('undo and redo of one’s own edits', () => {
	test('undo reverts only the local person’s edit; a concurrent remote edit survives on both replicas', () => {
		const { network, ids, ana, ben } = twoPeople();
		const { checkout, search } = ids.stories;
		const before = title(ana.replica, checkout);
		ana.write('backlog', (ctx) =>
			op.editStory(ana.replica.docs, ctx, checkout, { title: 'Checkout in one step' })
		);
		ben.write('backlog', (ctx) =>
			op.editStory(ben.replica.docs, ctx, search, { title: 'Search as you type' })
		);
		network.flush();

		expect(ana.history.undo('backlog')).toBe(true);
		network.flush();
		for (const replica of network.replicas) {
			expect(title(replica, checkout)).toBe(before);
			expect(title(replica, search)).toBe('Search as you type');
		}
		expect(snapshot(ana.replica)).toEqual(snapshot(ben.replica));
		expect(ana.history.canUndo('backlog')).toBe(false);
		expect(ben.history.canUndo('backlog')).toBe(true);
	});

	test('a remote edit of the same field made after one’s own is not undone', () => {
		const { network, ids, ana, ben } = twoPeople();
		const { checkout } = ids.stories;
		ana.write('backlog', (ctx) =>
			op.editStory(ana.replica.docs, ctx, checkout, { title: 'Ana’s' })
		);
		network.flush();
		ben.write('backlog', (ctx) =>
			op.editStory(ben.replica.docs, ctx, checkout, { title: 'Ben’s' })
		);
		network.flush();

		ana.history.undo('backlog');
		network.flush();
		for (const replica of network.replicas) expect(title(replica, checkout)).toBe('Ben’s');
	});

	test('what arrives from others, storage or the server is never in one’s history', () => {
		const { network, ids, ana, ben } = twoPeople();
		ben.write('backlog', (ctx) => op.moveStory(ben.replica.docs, ctx, ids.stories.hiring, 0));
		network.flush();
		const repair: TransactionOrigin = { kind: 'server-repair', actorId: null, intent: 'repair' };
		const board = ana.replica.docs.board;
		board.transact(() => board.getMap('findings').set('updatedAt', 'now'), repair);
		ana.write('planning', () => {}); // the view's history is listening from here on
		Y.applyUpdate(board, Y.encodeStateAsUpdate(ben.replica.docs.board), {
			kind: 'persistence',
			actorId: null,
			intent: 'load'
		});
		expect(ana.history.canUndo('backlog')).toBe(false);
		expect(ana.history.canUndo('planning')).toBe(false);
	});

	test('each view has its own history: undo in the backlog leaves a planning edit alone', () => {
		const { network, ids, web, ana } = twoPeople();
		const { checkout } = ids.stories;
		const before = title(ana.replica, checkout);
		ana.write('backlog', (ctx) => op.editStory(ana.replica.docs, ctx, checkout, { title: 'New' }));
		ana.write('planning', (ctx) => op.updateTeam(ana.replica.docs, ctx, web, { velocity: 41 }));

		ana.history.undo('backlog');
		network.flush();
		expect(title(ana.replica, checkout)).toBe(before);
		expect(ana.replica.projection.state.teams.get(web)?.velocity).toBe(41);
		expect(ana.history.canUndo('backlog')).toBe(false);
		expect(ana.history.canUndo('planning')).toBe(true);

		ana.history.undo('planning');
		expect(ana.replica.projection.state.teams.get(web)?.velocity).not.toBe(41);
	});

	test('one write across the board and a team document undoes and redoes as one', () => {
		const { network, ids, web, ana, ben } = twoPeople();
		const { checkout } = ids.stories;
		const tasksBefore = ben.replica.projection.state.tasks.size;
		ana.write('team', (ctx) => {
			op.editStory(ana.replica.docs, ctx, checkout, { title: 'Split into tasks' });
			op.addTask(ana.replica.docs, ctx, web, { title: 'Write the API', storyId: checkout });
		});
		network.flush();
		expect(ben.replica.projection.state.tasks.size).toBe(tasksBefore + 1);

		ana.history.undo('team');
		network.flush();
		expect(ben.replica.projection.state.tasks.size).toBe(tasksBefore);
		expect(title(ben.replica, checkout)).not.toBe('Split into tasks');
		expect(ana.history.canUndo('team')).toBe(false);

		ana.history.redo('team');
		network.flush();
		expect(ben.replica.projection.state.tasks.size).toBe(tasksBefore + 1);
		expect(title(ben.replica, checkout)).toBe('Split into tasks');
	});

	test('separate writes are separate steps; a new edit after an undo ends the redo', () => {
		const { ids, ana } = twoPeople();
		const { checkout } = ids.stories;
		const docs = ana.replica.docs;
		ana.write('backlog', (ctx) => op.editStory(docs, ctx, checkout, { title: 'One' }));
		ana.write('backlog', (ctx) => op.moveStory(docs, ctx, checkout, 3));
		ana.history.undo('backlog');
		expect(title(ana.replica, checkout)).toBe('One');
		expect(ana.history.canRedo('backlog')).toBe(true);

		ana.write('backlog', (ctx) => op.editStory(docs, ctx, checkout, { title: 'Two' }));
		expect(ana.history.canRedo('backlog')).toBe(false);
		ana.history.undo('backlog');
		expect(title(ana.replica, checkout)).toBe('One');
	});
});
