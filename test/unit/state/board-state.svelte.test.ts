import { flushSync } from 'svelte';
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
	Awareness,
	applyAwarenessUpdate,
	encodeAwarenessUpdate,
	removeAwarenessStates
} from 'y-protocols/awareness';
import { BacklogFilter } from '../../../src/lib/state/backlog-filter.svelte';
import { BoardView } from '../../../src/lib/state/board-view.svelte';
import { ConnectionState, type StatusSource } from '../../../src/lib/state/connection.svelte';
import { Presence, colourOf } from '../../../src/lib/state/presence.svelte';
import type { ConnectionStatus } from '../../../src/lib/sync/connection/board-connection';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import * as op from '../../../src/lib/sync/operations';
import { BoardProjection } from '../../../src/lib/sync/projection';
import { fixedContext } from '../../helpers/op-context';

function demo() {
	const docs = new BoardDocs('demo');
	const ctx = fixedContext('d');
	const ids = seedDemoBoard(docs, ctx, '2026-11-23');
	const projection = new BoardProjection(docs, { now: Date.parse('2026-11-23T10:00:00Z') });
	return { docs, ctx, ids, view: new BoardView(projection) };
}

describe('BoardView', () => {
	test('the backlog re-orders in an effect when a story moves', () => {
		const { docs, ctx, ids, view } = demo();
		const seen: string[] = [];
		const stop = $effect.root(() => {
			$effect(() => {
				seen.push(view.backlog[0]!.id);
			});
		});
		flushSync();
		op.moveStory(docs, ctx, ids.stories.hiring, 0);
		flushSync();
		stop();
		expect(seen).toEqual([ids.stories.secondLine, ids.stories.hiring]);
	});

	test('[R1] the sprint load and its R1 finding follow an edit of the velocity', () => {
		const { docs, ctx, ids, view } = demo();
		const sprint = view.sprint(ids.sprints.web)!;
		expect(view.load(sprint)).toMatchObject({ velocity: 30, known: 18, reserved: 9, total: 27 });
		expect(view.findingsAbout('sprint', sprint.id, 'R1')).toEqual([]);
		op.updateTeam(docs, ctx, ids.teams.web, { velocity: 20 });
		expect(view.load(view.sprint(ids.sprints.web)!).velocity).toBe(20);
		expect(view.findingsAbout('sprint', sprint.id, 'R1')[0]?.message).toContain(
			'27 points to Web 14 against velocity 20'
		);
	});

	test('a work package and a task are found by id, and follow an edit in an effect', () => {
		const { docs, ctx, view } = demo();
		const task = view.tasks[0]!;
		const wp = view.workPackages[0]!;
		expect(view.workPackage(wp.id)?.title).toBe(wp.title);
		let title = '';
		const stop = $effect.root(() => {
			$effect(() => {
				title = view.task(task.id)?.title ?? '';
			});
		});
		flushSync();
		expect(title).toBe(task.title);
		op.editTask(docs, ctx, task.homeTeamId, task.id, { title: 'Rotate the TLS certificate' });
		flushSync();
		expect(title).toBe('Rotate the TLS certificate');
		expect(view.task('no-such-task')).toBeUndefined();
		stop();
	});

	test('sprints of a team list open ones first', () => {
		const { ids, view } = demo();
		expect(view.sprintsOf(ids.teams.web).map((s) => s.state)).toEqual(['active', 'planned']);
	});
});

describe('BacklogFilter', () => {
	test('filters by team, work type, duration and words, keeping the backlog order', () => {
		const { ids, view } = demo();
		const filter = new BacklogFilter();
		expect(filter.apply(view.backlog)).toHaveLength(6);
		filter.teamId = ids.teams.web;
		expect(filter.apply(view.backlog).map((s) => s.title)).toEqual([
			'First-level web support',
			'One-click checkout',
			'Search suggestions'
		]);
		filter.workType = 'dev';
		filter.query = 'CLICK pay';
		expect(filter.apply(view.backlog).map((s) => s.title)).toEqual(['One-click checkout']);
		filter.clear();
		filter.duration = 'recurring';
		filter.epicId = 'none';
		expect(filter.apply(view.backlog)).toHaveLength(3);
		expect(filter.active).toBe(true);
	});
});

describe('ConnectionState', () => {
	test('an effect sees each status the source reports and unsubscribes when it ends', async () => {
		let status: ConnectionStatus = 'offline';
		const listeners = new Set<() => void>();
		const source: StatusSource = {
			get status() {
				return status;
			},
			onStatus(listener) {
				listeners.add(listener);
				return () => listeners.delete(listener);
			}
		};
		const state = new ConnectionState(source);
		const seen: string[] = [];
		const stop = $effect.root(() => {
			$effect(() => {
				seen.push(state.current);
			});
		});
		flushSync();
		for (const next of ['syncing', 'connected'] as const) {
			status = next;
			for (const listener of listeners) listener();
			flushSync();
		}
		stop();
		expect(seen).toEqual(['offline', 'syncing', 'connected']);
		// createSubscriber lets go of the source once no effect reads it any more (a microtask later).
		await Promise.resolve();
		expect(listeners.size).toBe(0);
	});
});

describe('Presence', () => {
	test('shows another person, what they edit, and forgets them when they leave', () => {
		const mine = new Awareness(new Y.Doc());
		const theirs = new Awareness(new Y.Doc());
		const me = new Presence(mine, { personId: 'p1', name: 'Ana' });
		const them = new Presence(theirs, { personId: 'p2', name: 'Ben' });
		them.setEditing({ kind: 'story', id: 's1' });
		// What the provider does with an awareness frame from the server.
		const deliver = () =>
			applyAwarenessUpdate(mine, encodeAwarenessUpdate(theirs, [theirs.clientID]), 'remote');
		deliver();
		expect(me.peers.map((p) => [p.name, p.editing?.id])).toEqual([['Ben', 's1']]);
		expect(me.editorOf('story', 's1')?.colour).toBe(colourOf('p2'));
		expect(me.editorOf('story', 's2')).toBeUndefined();
		them.setView('Planning');
		deliver();
		expect(me.peers[0]?.view).toBe('Planning');
		removeAwarenessStates(mine, [theirs.clientID], 'remote');
		expect(me.peers).toEqual([]);
	});

	test('shows a person once however many tabs they have open, and not my own other tabs', () => {
		const mine = new Awareness(new Y.Doc());
		const me = new Presence(mine, { personId: 'p1', name: 'Ana' });
		const tabs = [
			{ personId: 'p2', name: 'Ben' },
			{ personId: 'p2', name: 'Ben' },
			{ personId: 'p1', name: 'Ana' }
		].map((person) => {
			const awareness = new Awareness(new Y.Doc());
			return { awareness, presence: new Presence(awareness, person) };
		});
		// Ben's second tab is where he edits a story: that one stands for him.
		tabs[1]!.presence.setEditing({ kind: 'story', id: 's1' });
		for (const { awareness } of tabs) {
			applyAwarenessUpdate(mine, encodeAwarenessUpdate(awareness, [awareness.clientID]), 'remote');
		}
		expect(me.peers.map((p) => [p.name, p.editing?.id ?? null])).toEqual([['Ben', 's1']]);
		expect(me.editorOf('story', 's1')?.name).toBe('Ben');

		// He closes that tab: his other one still shows him, editing nothing.
		removeAwarenessStates(mine, [tabs[1]!.awareness.clientID], 'remote');
		expect(me.peers.map((p) => [p.name, p.editing?.id ?? null])).toEqual([['Ben', null]]);
	});
});
