/**
 * A standup that respects people's time: the round walks the people who are here, then the
 * updates absent people left; the facilitator skips a turn or marks someone absent; each round
 * leaves a summary that reads the same on every screen and as plain text.
 */
import { describe, expect, test } from 'vitest';
import type { StandupEntry } from '../../../src/lib/domain/schema';
import {
	absentTurn,
	lastStandups,
	planRound,
	roundSeconds,
	skipTurn,
	summarizeStandup,
	summaryIdOf,
	summaryOfRound,
	type LiveStandup
} from '../../../src/lib/domain/standup';

const T0 = Date.parse('2026-11-23T09:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const NAMES: Record<string, string> = {
	ann: 'Ann',
	bob: 'Bob',
	cy: 'Cy',
	dee: 'Dee',
	eve: 'Eve',
	sam: 'Sam'
};
const nameOf = (id: string) => NAMES[id] ?? id;

function round(patch: Partial<LiveStandup> = {}): LiveStandup {
	return {
		teamId: 'web',
		sprintId: 'web-14',
		facilitatorId: 'sam',
		startedAt: at(0),
		incidentsFirst: false,
		speakerIds: ['ann', 'bob', 'cy'],
		step: 0,
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

function entry(id: string, personId: string, patch: Partial<StandupEntry> = {}): StandupEntry {
	return {
		id,
		teamId: 'web',
		sprintId: 'web-14',
		personId,
		day: '2026-11-23',
		done: '',
		next: '',
		impediments: '',
		round: null,
		...patch
	};
}

describe('who the round walks', () => {
	const members = ['sam', 'ann', 'bob', 'cy', 'dee', 'eve'];
	const plan = (present: string[], updates: string[], swarm: string[] = []) =>
		planRound(members, {
			incidents: swarm.length
				? [{ workPackage: { swarm } } as unknown as Parameters<typeof planRound>[1]['incidents'][0]]
				: [],
			presentIds: new Set(present),
			updateIds: new Set(updates),
			nameOf
		});

	test('the people who are here speak first, then the absent people who left an update', () => {
		const { speakerIds, asyncIds, absentIds } = plan(['sam', 'eve', 'bob'], ['dee', 'ann']);
		expect(speakerIds).toEqual(['bob', 'eve', 'sam', 'ann', 'dee']);
		expect(asyncIds).toEqual(['ann', 'dee']);
		// Cy is away without an update: no turn to press Next through, listed absent.
		expect(absentIds).toEqual(['cy']);
	});

	test('someone here who swarms on an open incident speaks first; an absent swarmer does not jump the queue', () => {
		expect(plan(['sam', 'eve', 'bob'], ['ann'], ['eve', 'ann']).speakerIds).toEqual([
			'eve',
			'bob',
			'sam',
			'ann'
		]);
	});

	test('an update from someone who is here anyway gives no second turn', () => {
		const { speakerIds, asyncIds } = plan(['sam', 'bob'], ['bob']);
		expect(speakerIds).toEqual(['bob', 'sam']);
		expect(asyncIds).toEqual([]);
	});

	test('the timebox counts the speakers in the round, not the whole team', () => {
		const { speakerIds } = plan(['sam', 'bob'], ['ann']);
		expect(roundSeconds(round({ speakerIds }))).toBe(3 * 90);
	});
});

describe('skip and absent today', () => {
	test('"Skip" moves the speaker to the end once; the next person speaks now', () => {
		const next = skipTurn(round(), { step: 0, personId: 'ann' }, at(60_000))!;
		expect(next.speakerIds).toEqual(['bob', 'cy', 'ann']);
		expect(next.step).toBe(0);
		expect(next.stepStartedAt).toBe(at(60_000));
		expect(next.skippedIds).toEqual(['ann']);
	});

	test('skipped a second time, or when nobody is left after them, the speaker leaves the round', () => {
		const again = skipTurn(
			round({ speakerIds: ['bob', 'cy', 'ann'], step: 2, skippedIds: ['ann'] }),
			{ step: 2, personId: 'ann' },
			at(1)
		)!;
		expect(again.speakerIds).toEqual(['bob', 'cy']);
		expect(again.step).toBe(2);
		expect(again.skippedIds).toEqual(['ann']);
		const last = skipTurn(round({ step: 2 }), { step: 2, personId: 'cy' }, at(1))!;
		expect(last.speakerIds).toEqual(['ann', 'bob']);
		expect(last.skippedIds).toEqual(['cy']);
	});

	test('"Absent today" takes the speaker out of the round and records them absent', () => {
		const standup = round({
			speakerIds: ['ann', 'bob', 'cy'],
			asyncIds: ['cy'],
			absentIds: ['dee']
		});
		const bob = absentTurn({ ...standup, step: 1 }, { step: 1, personId: 'bob' }, at(5))!;
		expect(bob.speakerIds).toEqual(['ann', 'cy']);
		expect(bob.step).toBe(1);
		expect(bob.absentIds).toEqual(['dee', 'bob']);
		const cy = absentTurn(bob, { step: 1, personId: 'cy' }, at(6))!;
		expect(cy.speakerIds).toEqual(['ann']);
		expect(cy.asyncIds).toEqual([]);
		// The round is at its end: the step equals the number of speakers.
		expect(cy.step).toBe(cy.speakerIds.length);
	});

	test.each([
		['a step the round has left', { step: 1, personId: 'ann' }],
		['someone other than the speaker', { step: 0, personId: 'bob' }]
	])('a press on %s changes nothing', (_, turn) => {
		expect(skipTurn(round(), turn, at(1))).toBeNull();
		expect(absentTurn(round(), turn, at(1))).toBeNull();
	});
});

describe('the summary of a round', () => {
	const lookup = {
		personName: nameOf,
		teamName: () => 'Web',
		incidentTitle: (id: string) => (id === 'wp-1' ? 'Checkout returns HTTP 500' : id)
	};

	test('a round ended early keeps who had their turn, who was absent, skipped, and its incidents', () => {
		const standup = round({
			incidentsFirst: true,
			incidentIds: ['wp-1'],
			speakerIds: ['bob', 'cy', 'ann'],
			asyncIds: ['cy'],
			absentIds: ['dee'],
			skippedIds: ['ann'],
			step: 1
		});
		const summary = summaryOfRound(standup, at(300_000), '2026-11-23');
		expect(summary).toEqual({
			id: summaryIdOf(standup),
			teamId: 'web',
			sprintId: 'web-14',
			day: '2026-11-23',
			round: at(0),
			endedAt: at(300_000),
			facilitatorId: 'sam',
			speakerIds: ['bob', 'cy'],
			asyncIds: ['cy'],
			absentIds: ['dee'],
			skippedIds: ['ann'],
			incidentIds: ['wp-1']
		});
		expect(summaryOfRound({ ...standup, step: -1 }, at(1), '2026-11-23').speakerIds).toEqual([]);
	});

	test('reads in speaking order, one line per done, next and impediment, with who was not there', () => {
		const summary = summaryOfRound(
			round({
				incidentIds: ['wp-1'],
				speakerIds: ['bob', 'cy', 'ann'],
				asyncIds: ['cy'],
				absentIds: ['dee', 'eve'],
				skippedIds: ['ann'],
				step: 3
			}),
			at(12 * 60_000),
			'2026-11-23'
		);
		const entries = [
			// Ids sort against the speaking order.
			entry('a', 'ann', { round: at(0), done: 'Login page', next: 'Signup' }),
			entry('b', 'cy', { done: 'Release notes', impediments: 'Waiting for legal\nNo staging' }),
			entry('c', 'bob', { round: at(0), done: 'Cart', next: 'Checkout', impediments: 'Flaky CI' }),
			entry('d', 'dee', { next: 'On leave tomorrow too' })
		];
		const view = summarizeStandup(summary, entries, lookup, 'Europe/Berlin');
		expect(view.said.map((s) => s.name)).toEqual(['Bob', 'Cy', 'Ann', 'Dee']);
		expect(view.absent).toEqual([
			{ personId: 'dee', name: 'Dee', leftUpdate: true },
			{ personId: 'eve', name: 'Eve', leftUpdate: false }
		]);
		expect(view.skipped).toEqual([{ personId: 'ann', name: 'Ann', spokeLater: true }]);
		expect(view.text).toBe(
			[
				'Daily Standup · Web · 2026-11-23',
				'10:00–10:12 (Europe/Berlin), facilitated by Sam',
				'Open incidents: Checkout returns HTTP 500',
				'',
				'Bob',
				'Done: Cart',
				'Next: Checkout',
				'Impediment: Flaky CI',
				'',
				'Cy (left an update before the standup)',
				'Done: Release notes',
				'Impediment: Waiting for legal',
				'Impediment: No staging',
				'',
				'Ann',
				'Done: Login page',
				'Next: Signup',
				'',
				'Dee (left an update before the standup)',
				'Next: On leave tomorrow too',
				'',
				'Absent: Dee (left an update), Eve',
				'Skipped: Ann (spoke at the end)'
			].join('\n')
		);
	});

	test('two rounds on one day: the second starts clean, with only what was said in it', () => {
		const first = round({ startedAt: at(0), step: 3 });
		const second = round({ startedAt: at(3_600_000), speakerIds: ['bob'], step: 1 });
		const entries = [
			entry('a', 'ann', { round: first.startedAt, done: 'First round' }),
			entry('b', 'bob', { round: second.startedAt, done: 'Second round' }),
			entry('c', 'cy', { done: 'Left before' })
		];
		const firstView = summarizeStandup(
			summaryOfRound(first, at(600_000), '2026-11-23'),
			entries,
			lookup,
			'UTC'
		);
		const secondView = summarizeStandup(
			summaryOfRound(second, at(4_000_000), '2026-11-23'),
			entries,
			lookup,
			'UTC'
		);
		expect(firstView.said.map((s) => s.done)).toEqual(['First round', 'Left before']);
		expect(secondView.said.map((s) => s.done)).toEqual(['Second round', 'Left before']);
		expect(summaryIdOf(first)).not.toBe(summaryIdOf(second));
		// Someone whose turn came but who recorded nothing is named as such.
		expect(firstView.silent).toEqual(['Bob']);
		// The Scrum of Scrums links each team's latest standup.
		const last = lastStandups([
			summaryOfRound(second, at(4_000_000), '2026-11-23'),
			summaryOfRound(first, at(600_000), '2026-11-23')
		]);
		expect(last.get('web')?.round).toBe(second.startedAt);
	});
});
