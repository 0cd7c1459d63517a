/**
 * The standup as screens read it: timers from the shared instants, the speaking order with the
 * incidents first, and who may start, run or take over a round.
 */
import { flushSync } from 'svelte';
import { describe, expect, test } from 'vitest';
import { standupSource } from '../../../src/lib/sync/standup-feed';
import type { Team } from '../../../src/lib/domain/schema';
import { openIncidentsOf } from '../../../src/lib/domain/incidents';
import { slaText } from '../../../src/lib/domain/sla';
import {
	ABANDONED_AFTER_MS,
	endedText,
	entriesOfRound,
	impedimentLines,
	inSpeakingOrder,
	readStandupTimers,
	planRound,
	standupPermissions,
	timerText,
	type LiveStandup,
	type StandupViewer
} from '../../../src/lib/domain/standup';
import { StandupRoom } from '../../../src/lib/state/standup.svelte';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import * as op from '../../../src/lib/sync/operations';
import { onSharedClock } from '../../../src/lib/sync/operations/context';
import { BoardProjection } from '../../../src/lib/sync/projection';
import { fixedContext } from '../../helpers/op-context';

const T0 = Date.parse('2026-11-23T09:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

function round(patch: Partial<LiveStandup> = {}): LiveStandup {
	return {
		teamId: 'web',
		sprintId: null,
		facilitatorId: 'sam',
		startedAt: at(0),
		incidentsFirst: true,
		speakerIds: ['ann', 'bob'],
		step: -1,
		stepStartedAt: at(0),
		speakerSeconds: 90,
		endedAt: null,
		asyncIds: [],
		absentIds: [],
		skippedIds: [],
		incidentIds: [],
		...patch
	};
}

const team: Team = {
	id: 'web',
	name: 'Web',
	kind: 'mixed',
	scrumMasterId: 'sam',
	memberIds: ['sam', 'ann', 'bob'],
	memberSince: {},
	velocity: 30
};

function viewer(selfId: string, presentIds: string[], canWriteTeam = true): StandupViewer {
	return {
		selfId,
		team,
		person: (id) => ({ id, name: id, roles: ['team-member'] }),
		presentIds: new Set(presentIds),
		canWriteTeam
	};
}

function demo() {
	const docs = new BoardDocs('demo');
	const ctx = fixedContext('d');
	const ids = seedDemoBoard(docs, ctx, '2026-11-23');
	const projection = new BoardProjection(docs, { now: T0 });
	return { docs, ctx, ids, state: projection.state };
}

describe('standup timers', () => {
	test.each([
		[0, '1:30 left', '4:30 left'],
		[400, '1:30 left', '4:30 left'],
		[1_000, '1:29 left', '4:29 left'],
		[90_000, '0:00 left', '3:00 left'],
		[92_500, '0:02 over', '2:58 left'],
		[275_000, '3:05 over', '0:05 over']
	])('%i ms after the shared start every screen reads %s / %s', (elapsed, speaker, total) => {
		const timers = readStandupTimers(round(), T0 + elapsed);
		expect(timers.speaker.text).toBe(speaker);
		expect(timers.round.text).toBe(total);
		expect(timers.speaker.overrun).toBe(elapsed > 90_000);
	});

	test('the speaker timer restarts at the step start; the round keeps counting from its start', () => {
		const standup = round({ step: 0, stepStartedAt: at(60_000) });
		const timers = readStandupTimers(standup, T0 + 70_000);
		expect(timers.speaker.text).toBe('1:20 left');
		expect(timers.round.text).toBe('3:20 left');
	});

	test('an ended round is frozen at its end, whenever it is read', () => {
		const standup = round({ step: 2, endedAt: at(200_000) });
		expect(readStandupTimers(standup, T0 + 900_000).round.text).toBe('1:10 left');
	});

	test.each([
		[
			200_000,
			'UTC',
			'The standup ended at 09:03, after 3 min 20 s: 1 min 10 s inside its 4 min 30 s timebox.'
		],
		[
			330_000,
			'Australia/Sydney',
			'The standup ended at 20:05, after 5 min 30 s: 1 min 00 s over its 4 min 30 s timebox.'
		]
	])(
		'an ended round says when, at the board’s time, how long it took and against its timebox (%i ms, %s)',
		(elapsed, timeZone, text) => {
			const standup = round({ step: 2, endedAt: at(elapsed) });
			expect(endedText({ ...standup, endedAt: standup.endedAt! }, timeZone)).toBe(text);
		}
	);

	test('two screens with different clocks read the same timer through the shared clock', () => {
		const standup = round();
		const serverNow = T0 + 30_000;
		// One machine is 7 s ahead, another 12 s behind; each corrects by its offset.
		const screens = [
			{ local: serverNow + 7_000, offset: -7_000 },
			{ local: serverNow - 12_000, offset: 12_000 }
		];
		const texts = screens.map((s) => readStandupTimers(standup, s.local + s.offset).speaker.text);
		expect(texts).toEqual(['1:00 left', '1:00 left']);
		expect(timerText(-61_000)).toBe('1:01 over');
	});

	test('standup writes carry the shared clock, not the local one', () => {
		const base = fixedContext('x', 'sam');
		const ctx = onSharedClock(base, { now: T0 + 5_000 });
		expect(ctx.now()).toBe(at(5_000));
		expect(ctx.actorId).toBe('sam');
	});
});

describe('incident SLA in words', () => {
	test.each([
		[
			{ state: 'on-track', deadline: 1, remainingMs: 3 * 3_600_000 + 5 * 60_000, share: 0.5 },
			'SLA on track: 3 h 05 min left'
		],
		[
			{ state: 'at-risk', deadline: 1, remainingMs: 40 * 60_000, share: 0.1 },
			'SLA at risk: 40 min 00 s left'
		],
		[
			{ state: 'breached', deadline: 1, remainingMs: -45_000, share: -0.1 },
			'SLA breached 45 s ago'
		],
		[{ state: 'none', deadline: null, remainingMs: null, share: null }, 'No SLA']
	] as const)('%j reads "%s"', (reading, text) => {
		expect(slaText(reading)).toBe(text);
	});
});

describe('speaker order', () => {
	test('the demo team starts on its SEV1; the people here speak, those swarming on it first', () => {
		const { ids, state } = demo();
		const incidents = openIncidentsOf(
			ids.teams.web,
			{
				stories: state.stories.values(),
				sprints: state.sprints.values(),
				workPackages: state.workPackages.values()
			},
			T0
		);
		expect(incidents.map((i) => i.workPackage.id)).toEqual([ids.incident]);
		expect(incidents[0]!.workPackage.severity).toBe('SEV1');
		expect(incidents[0]!.sla.state).toBe('on-track');

		const nameOf = (id: string) => state.people.get(id)?.name ?? id;
		const plan = planRound(state.teams.get(ids.teams.web)!.memberIds, {
			incidents,
			presentIds: new Set([ids.people.eli, ids.people.ben, ids.people.ana]),
			updateIds: new Set([ids.people.dana]),
			nameOf
		});
		// Ana swarms on the incident; Ben and Eli are here; Dana left an update; the others are away.
		expect(plan.speakerIds.map(nameOf)).toEqual(['Ana', 'Ben', 'Eli', 'Dana']);
		expect(plan.asyncIds.map(nameOf)).toEqual(['Dana']);
		expect(plan.absentIds.map(nameOf)).toEqual(['Chen', 'Sam (SM)']);
	});

	test('a team without open incidents has none first; a done incident drops out', () => {
		const { docs, ctx, ids, state } = demo();
		const board = () => ({
			stories: state.stories.values(),
			sprints: state.sprints.values(),
			workPackages: state.workPackages.values()
		});
		expect(openIncidentsOf(ids.teams.mobile, board(), T0)).toEqual([]);
		op.completeWorkPackage(docs, ctx, ids.incident, {
			openTasks: 'complete',
			teamIds: [ids.teams.web]
		});
		expect(openIncidentsOf(ids.teams.web, board(), T0)).toEqual([]);
	});

	test('an incident escalated to Ops L2 is on both teams’ standups', () => {
		const { docs, ctx, ids, state } = demo();
		op.escalate(docs, ctx, ids.incident, ids.stories.secondLine, 'needs the database team');
		const board = {
			stories: [...state.stories.values()],
			sprints: [...state.sprints.values()],
			workPackages: [...state.workPackages.values()]
		};
		for (const teamId of [ids.teams.web, ids.teams.ops]) {
			expect(openIncidentsOf(teamId, board, T0).map((i) => i.workPackage.id)).toEqual([
				ids.incident
			]);
		}
	});
});

describe('what was said', () => {
	const entry = (id: string, personId: string, impediments = '') => ({
		id,
		teamId: 'web',
		sprintId: null,
		personId,
		day: '2026-11-23',
		done: '',
		next: '',
		impediments,
		round: null
	});
	const names: Record<string, string> = { ann: 'Ann', bob: 'Bob', cy: 'Cy', dee: 'Dee' };

	test('notes read in speaking order, then those who did not speak in the round, by name', () => {
		// Ids sort the other way round from the order people spoke in.
		const entries = [entry('a1', 'cy'), entry('b2', 'dee'), entry('c3', 'bob'), entry('d4', 'ann')];
		const order = inSpeakingOrder(entries, ['bob', 'cy'], (id) => names[id]!).map(
			(e) => e.personId
		);
		expect(order).toEqual(['bob', 'cy', 'ann', 'dee']);
	});

	test('a second standup the same day starts clean; an update written outside a round shows in each', () => {
		const first = round({ startedAt: at(0) });
		const second = round({ startedAt: at(3_600_000) });
		const entries = [
			{ ...entry('a', 'ann'), round: first.startedAt },
			{ ...entry('b', 'bob'), round: second.startedAt },
			entry('c', 'cy') // left before the standup, for whoever reads it
		];
		expect(entriesOfRound(entries, first).map((e) => e.id)).toEqual(['a', 'c']);
		expect(entriesOfRound(entries, second).map((e) => e.id)).toEqual(['b', 'c']);
		expect(entriesOfRound(entries, null).map((e) => e.id)).toEqual(['c']);
	});

	test('two impediments said by one person are two lines, not one', () => {
		expect(
			impedimentLines(entry('e', 'ann', 'Waiting for the DBA\n  \nStaging is down  '))
		).toEqual(['Waiting for the DBA', 'Staging is down']);
		expect(impedimentLines(entry('f', 'bob'))).toEqual([]);
	});
});

describe('who runs the round', () => {
	test('the Scrum Master starts; a member may start only while no Scrum Master is here', () => {
		expect(standupPermissions(null, T0, viewer('sam', ['sam', 'ann'])).start).toBe(true);
		expect(standupPermissions(null, T0, viewer('ann', ['sam', 'ann'])).start).toBe(false);
		expect(standupPermissions(null, T0, viewer('ann', ['ann', 'bob'])).start).toBe(true);
		expect(standupPermissions(null, T0, viewer('eve', ['eve'])).start).toBe(false);
		expect(standupPermissions(null, T0, viewer('ann', ['ann'], false)).start).toBe(false);
	});

	test.each([
		['sam', ['sam', 'ann', 'bob'], { start: false, facilitate: true, takeOver: false }],
		['ann', ['sam', 'ann', 'bob'], { start: false, facilitate: false, takeOver: false }],
		['ann', ['ann', 'bob'], { start: false, facilitate: false, takeOver: true }],
		['eve', ['eve', 'ann'], { start: false, facilitate: false, takeOver: false }]
	])(
		'%s with %j on the board may %j',
		(self: string, present: string[], expected: Record<string, boolean>) => {
			expect(standupPermissions(round(), T0 + 1_000, viewer(self, present))).toEqual(expected);
		}
	);

	test('a read-only team member never takes over', () => {
		expect(standupPermissions(round(), T0, viewer('ann', ['ann'], false)).takeOver).toBe(false);
	});

	test('an abandoned round may be replaced: it counts as not running', () => {
		const late = T0 + ABANDONED_AFTER_MS + 1;
		expect(standupPermissions(round(), late, viewer('sam', ['sam']))).toEqual({
			start: true,
			facilitate: false,
			takeOver: false
		});
	});
});

describe('StandupRoom', () => {
	test('follows the team document: a start and an advance re-render the speaker and timers', () => {
		const docs = new BoardDocs('demo');
		const clock = { now: T0 + 10_000 };
		const ctx = onSharedClock(fixedContext('s', 'sam'), { now: T0 });
		const room = new StandupRoom(standupSource(docs, 'web'), clock);
		const seen: (string | null)[] = [];
		const stop = $effect.root(() => {
			$effect(() => {
				seen.push(room.running ? (room.speakerId ?? 'incidents') : null);
			});
		});
		flushSync();
		op.startStandup(docs, ctx, 'web', {
			facilitatorId: 'sam',
			speakerIds: ['ann', 'bob'],
			incidentsFirst: true
		});
		flushSync();
		op.advanceStandup(docs, ctx, 'web', -1);
		flushSync();
		stop();
		expect(seen).toEqual([null, 'incidents', 'ann']);
		expect(room.timers?.speaker.text).toBe('1:20 left');
		expect(room.permissions(viewer('ann', ['ann'])).takeOver).toBe(true);
	});
});
