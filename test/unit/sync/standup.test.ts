/**
 * The live standup in a team's document: a round walks open incidents first, then every
 * speaker; concurrent "next" presses move it one step; someone takes over facilitation; every
 * replica converges to the same speaker and the same shared start times.
 */
import { describe, expect, test } from 'vitest';
import { currentSpeaker, roundSeconds } from '../../../src/lib/domain/standup';
import * as op from '../../../src/lib/sync/operations';
import { Network } from '../../helpers/replicas';

const TEAM = 'web';

function twoScreens(seed = 1) {
	const network = new Network(3, seed);
	const [sm, dev, watcher] = network.replicas as [
		(typeof network.replicas)[0],
		(typeof network.replicas)[0],
		(typeof network.replicas)[0]
	];
	return { network, sm, dev, watcher };
}

describe('live standup', () => {
	test('a round with open incidents starts on them, then walks every speaker to the end', () => {
		const { network, sm, watcher } = twoScreens();
		const started = op.startStandup(sm.docs, sm.ctx, TEAM, {
			facilitatorId: 'sam',
			speakerIds: ['ann', 'bob', 'ann'],
			incidentsFirst: true
		});
		expect(started.speakerIds).toEqual(['ann', 'bob']);
		expect(started.step).toBe(-1);
		expect(currentSpeaker(started)).toBeNull();
		expect(roundSeconds(started)).toBe(3 * 90);
		network.flush();
		expect(op.readStandup(watcher.docs, TEAM)).toEqual(started);

		sm.ctx.advance(2);
		expect(currentSpeaker(op.advanceStandup(sm.docs, sm.ctx, TEAM, -1))).toBe('ann');
		sm.ctx.advance(1);
		const second = op.advanceStandup(sm.docs, sm.ctx, TEAM, 0);
		expect(currentSpeaker(second)).toBe('bob');
		network.flush();
		const seen = op.readStandup(watcher.docs, TEAM)!;
		expect(currentSpeaker(seen)).toBe('bob');
		// Every screen derives the timers from the same instants.
		expect(seen.startedAt).toBe('2026-11-23T09:00:00.000Z');
		expect(seen.stepStartedAt).toBe('2026-11-23T09:03:00.000Z');

		expect(currentSpeaker(op.advanceStandup(sm.docs, sm.ctx, TEAM, 1))).toBeNull();
		const ended = op.endStandup(sm.docs, sm.ctx, TEAM);
		expect(ended.endedAt).not.toBeNull();
		expect(() => op.advanceStandup(sm.docs, sm.ctx, TEAM, 2)).toThrow(/start one first/);
	});

	test.each([1, 2, 3, 4, 5])(
		'two people pressing next on the same speaker move the round one step (seed %i)',
		(seed) => {
			const { network, sm, dev, watcher } = twoScreens(seed);
			op.startStandup(sm.docs, sm.ctx, TEAM, {
				facilitatorId: 'sam',
				speakerIds: ['ann', 'bob', 'cy'],
				incidentsFirst: false
			});
			network.flush();
			op.advanceStandup(sm.docs, sm.ctx, TEAM, 0);
			op.advanceStandup(dev.docs, dev.ctx, TEAM, 0);
			network.flush();
			for (const replica of [sm, dev, watcher]) {
				expect(currentSpeaker(op.readStandup(replica.docs, TEAM)!)).toBe('bob');
			}
		}
	);

	test('when the facilitator drops out, someone on the team takes over and carries on', () => {
		const { network, sm, dev, watcher } = twoScreens();
		op.startStandup(sm.docs, sm.ctx, TEAM, {
			facilitatorId: 'sam',
			speakerIds: ['ann', 'bob'],
			incidentsFirst: false
		});
		network.flush();
		const taken = op.takeOverStandup(dev.docs, dev.ctx, TEAM, 'ann');
		op.advanceStandup(dev.docs, dev.ctx, TEAM, taken.step);
		network.flush();
		const seen = op.readStandup(watcher.docs, TEAM)!;
		expect(seen.facilitatorId).toBe('ann');
		expect(currentSpeaker(seen)).toBe('bob');
	});

	test.each([1, 2, 3, 4, 5, 6, 7, 8])(
		'two facilitators pressing Skip and Absent today on the same speaker give one result on every replica (seed %i)',
		(seed) => {
			const { network, sm, dev, watcher } = twoScreens(seed);
			op.startStandup(sm.docs, sm.ctx, TEAM, {
				facilitatorId: 'sam',
				speakerIds: ['ann', 'bob', 'cy'],
				incidentsFirst: false
			});
			network.flush();
			const turn = { step: 0, personId: 'ann' };
			sm.ctx.advance(1);
			const skipped = op.skipSpeaker(sm.docs, sm.ctx, TEAM, turn);
			dev.ctx.advance(2);
			const absent = op.markAbsent(dev.docs, dev.ctx, TEAM, turn);
			network.flush();
			const seen = [sm, dev, watcher].map((r) => op.readStandup(r.docs, TEAM)!);
			expect(seen[1]).toEqual(seen[0]);
			expect(seen[2]).toEqual(seen[0]);
			// One press wins whole: Ann is either at the end and skipped, or out and absent.
			expect([skipped, absent]).toContainEqual(seen[0]);
			expect(currentSpeaker(seen[0]!)).toBe('bob');
		}
	);

	test.each([1, 2, 3, 4, 5, 6])(
		'two skips and a Next pressed at once on one speaker: skipped once, or moved on, the same everywhere (seed %i)',
		(seed) => {
			const { network, sm, dev, watcher } = twoScreens(seed);
			op.startStandup(sm.docs, sm.ctx, TEAM, {
				facilitatorId: 'sam',
				speakerIds: ['ann', 'bob', 'cy'],
				incidentsFirst: false
			});
			network.flush();
			const skipped = op.skipSpeaker(sm.docs, sm.ctx, TEAM, { step: 0, personId: 'ann' });
			op.skipSpeaker(dev.docs, dev.ctx, TEAM, { step: 0, personId: 'ann' });
			const moved = op.advanceStandup(watcher.docs, watcher.ctx, TEAM, 0);
			network.flush();
			const seen = [sm, dev, watcher].map((r) => op.readStandup(r.docs, TEAM)!);
			expect(seen[1]).toEqual(seen[0]);
			expect(seen[2]).toEqual(seen[0]);
			const { speakerIds, step, skippedIds } = seen[0]!;
			expect([
				{ speakerIds: skipped.speakerIds, step: skipped.step, skippedIds: skipped.skippedIds },
				{ speakerIds: moved.speakerIds, step: moved.step, skippedIds: moved.skippedIds }
			]).toContainEqual({ speakerIds, step, skippedIds });
			expect(currentSpeaker(seen[0]!)).toBe('bob');
		}
	);

	test('an ended round leaves one summary on the board, even when two people end it at once', () => {
		const { network, sm, dev, watcher } = twoScreens(3);
		op.startStandup(sm.docs, sm.ctx, TEAM, {
			facilitatorId: 'sam',
			speakerIds: ['ann', 'bob'],
			asyncIds: ['bob'],
			absentIds: ['cy'],
			incidentIds: ['wp-1'],
			incidentsFirst: true
		});
		network.flush();
		op.advanceStandup(sm.docs, sm.ctx, TEAM, -1);
		network.flush();
		sm.ctx.advance(5);
		const ended = op.endStandup(sm.docs, sm.ctx, TEAM);
		dev.ctx.advance(6);
		op.endStandup(dev.docs, dev.ctx, TEAM);
		network.flush();
		const summaries = watcher.docs.collection('standupSummaries');
		expect([...summaries.keys()]).toEqual([ended.summary.id]);
		const kept = watcher.projection.state.standupSummaries.get(ended.summary.id)!;
		expect(kept).toMatchObject({
			teamId: TEAM,
			day: '2026-11-23',
			facilitatorId: 'sam',
			speakerIds: ['ann'],
			asyncIds: [],
			absentIds: ['cy'],
			incidentIds: ['wp-1']
		});
	});

	test('a round stored before 2.1, without the new fields, still reads', () => {
		const { sm } = twoScreens();
		const map = sm.docs.team(TEAM).getMap('standup');
		sm.docs.team(TEAM).transact(() => {
			for (const [field, value] of Object.entries({
				teamId: TEAM,
				sprintId: null,
				facilitatorId: 'sam',
				startedAt: '2026-11-23T09:00:00.000Z',
				incidentsFirst: false,
				speakerIds: ['ann', 'bob'],
				step: 0,
				stepStartedAt: '2026-11-23T09:00:00.000Z',
				speakerSeconds: 90,
				endedAt: null
			}))
				map.set(field, value);
		});
		const read = op.readStandup(sm.docs, TEAM)!;
		expect(read).toMatchObject({ asyncIds: [], absentIds: [], skippedIds: [], incidentIds: [] });
		expect(currentSpeaker(op.markAbsent(sm.docs, sm.ctx, TEAM, { step: 0, personId: 'ann' }))).toBe(
			'bob'
		);
	});

	test('bad input is refused with a sentence and writes nothing', () => {
		const { sm } = twoScreens();
		expect(() =>
			op.startStandup(sm.docs, sm.ctx, TEAM, {
				facilitatorId: 'sam',
				speakerIds: [],
				incidentsFirst: false
			})
		).toThrow(/at least one person/);
		expect(() =>
			op.startStandup(sm.docs, sm.ctx, TEAM, {
				facilitatorId: 'sam',
				speakerIds: ['ann'],
				incidentsFirst: false,
				speakerSeconds: 5
			})
		).toThrow(/standup/);
		expect(op.readStandup(sm.docs, TEAM)).toBeNull();
		// A damaged stored value reads as no standup, not as a crash.
		sm.docs.team(TEAM).getMap('standup').set('step', 'three');
		expect(op.readStandup(sm.docs, TEAM)).toBeNull();
	});
});
