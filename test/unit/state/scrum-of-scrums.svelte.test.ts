/**
 * The Scrum of Scrums across the demo board's teams: sprint health with the reserved budget and
 * the known/unknown burndown, multi-team stories with every team's portion, cross-team
 * impediments, escalations in flight, R6 and R12 findings, and who facilitates.
 */
import { flushSync } from 'svelte';
import { describe, expect, test } from 'vitest';
import { CeremonyRecords } from '../../../src/lib/state/ceremony-records.svelte';
import { BoardView } from '../../../src/lib/state/board-view.svelte';
import { elapsedShare, sprintHealth } from '../../../src/lib/domain/scrum-of-scrums';
import { ScrumOfScrums } from '../../../src/lib/state/scrum-of-scrums.svelte';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import * as op from '../../../src/lib/sync/operations';
import { BoardProjection } from '../../../src/lib/sync/projection';
import { fixedContext } from '../../helpers/op-context';

const NOW = Date.parse('2026-11-25T10:00:00.000Z');

function demo() {
	const docs = new BoardDocs('demo');
	const ctx = fixedContext('d', 'lee');
	const ids = seedDemoBoard(docs, ctx, '2026-11-23');
	const projection = new BoardProjection(docs, { now: NOW });
	const view = new BoardView(projection);
	const records = new CeremonyRecords(projection);
	const sos = new ScrumOfScrums(view, () => records.impediments, { now: NOW });
	return { docs, ctx, ids, view, sos };
}

describe('Scrum of Scrums', () => {
	test('sprint health: committed against velocity, the reserved budget, the burndown in tasks', () => {
		const { docs, ctx, ids, view } = demo();
		const web = view.team(ids.teams.web)!;
		const before = sprintHealth(web, view, '2026-11-25');
		// The SEV1 from its template is sized by its tasks: 7 of the 9 reserved points.
		expect(before).toMatchObject({
			velocity: 30,
			known: 18,
			reserved: 9,
			budgetUsed: 7,
			budgetLeft: 2
		});
		expect(before.sprint?.id).toBe(ids.sprints.web);
		// The SEV1 arrived unplanned: its five template tasks are unknown work.
		expect(before.unknownTasks).toEqual({ done: 0, total: 5 });
		expect(before.knownTasks).toEqual({ done: 0, total: 0 });
		expect(before.elapsed).toBeCloseTo(3 / 14);

		const task = op.addTask(docs, ctx, ids.teams.web, {
			title: 'Pay button',
			storyId: ids.stories.checkout,
			workPackageId: null
		});
		op.moveTask(docs, ctx, ids.teams.web, task.id, 'done');
		const wp = op.createWorkPackage(docs, ctx, {
			storyId: ids.stories.support,
			title: 'Refund stuck',
			category: 'request',
			points: 3
		});
		const after = sprintHealth(view.team(ids.teams.web)!, view, '2026-11-25');
		expect(after.knownTasks).toEqual({ done: 1, total: 1 });
		expect(after.budgets).toEqual([
			expect.objectContaining({ storyId: ids.stories.support, reserved: 9, used: 10, left: -1 })
		]);
		expect(after.budgetLeft).toBe(-1);
		expect(wp.id).toBeTruthy();
	});

	test('the burndown counts tasks left at the end of each sprint day, from when each was done', () => {
		const { docs, ctx, ids, view } = demo();
		const incidentTasks = view.tasks.filter((t) => t.workPackageId === ids.incident);
		expect(incidentTasks).toHaveLength(5);
		ctx.advance(24 * 60);
		for (const task of incidentTasks.slice(0, 2))
			op.moveTask(docs, ctx, ids.teams.web, task.id, 'done');
		ctx.advance(24 * 60);
		op.moveTask(docs, ctx, ids.teams.web, incidentTasks[2]!.id, 'done');
		// Reordering inside Done is not a new finish; moving back out is not done at all.
		op.moveTask(docs, ctx, ids.teams.web, incidentTasks[0]!.id, 'done', 0);
		const planned = op.addTask(docs, ctx, ids.teams.web, {
			title: 'Pay button',
			storyId: ids.stories.checkout
		});
		const health = sprintHealth(view.team(ids.teams.web)!, view, '2026-11-25');
		expect(health.burndown).toEqual([
			{ day: '2026-11-23', known: 0, unknown: 5 },
			{ day: '2026-11-24', known: 0, unknown: 3 },
			{ day: '2026-11-25', known: 1, unknown: 2 }
		]);
		expect(view.tasks.find((t) => t.id === incidentTasks[0]!.id)!.doneAt).toBe(
			'2026-11-24T09:00:00.000Z'
		);
		op.moveTask(docs, ctx, ids.teams.web, incidentTasks[2]!.id, 'doing');
		expect(view.tasks.find((t) => t.id === incidentTasks[2]!.id)!.doneAt).toBeNull();
		expect(planned.doneAt).toBeNull();
	});

	test('days are the board’s calendar days: a Sydney morning is already the next day there', () => {
		const cases = [
			{
				zone: 'Australia/Sydney',
				// A task done at 09:00 on the 24th there still counted at the end of the 23rd.
				burndown: [
					{ day: '2026-11-23', known: 0, unknown: 5 },
					{ day: '2026-11-24', known: 0, unknown: 4 }
				],
				// 08:30 on the 23rd there: the sprint's first day has begun.
				elapsed: 1 / 14,
				lastDay: '2026-11-23'
			},
			{
				zone: 'UTC',
				// The same task was done at 22:00 on the 23rd in UTC.
				burndown: [
					{ day: '2026-11-23', known: 0, unknown: 4 },
					{ day: '2026-11-24', known: 0, unknown: 4 }
				],
				// Still 21:30 on the 22nd in UTC: the sprint has not begun.
				elapsed: 0,
				lastDay: null
			}
		];
		for (const { zone, burndown, elapsed, lastDay } of cases) {
			const docs = new BoardDocs('demo');
			const ctx = fixedContext('d', 'lee');
			const ids = seedDemoBoard(docs, ctx, '2026-11-23');
			op.setBoardTimeZone(docs, ctx, zone);
			const morning = fixedContext('m', 'ana', Date.parse('2026-11-23T22:00:00.000Z'));
			const projection = new BoardProjection(docs, { now: NOW });
			const view = new BoardView(projection);
			const task = view.tasks.find((t) => t.workPackageId === ids.incident)!;
			op.moveTask(docs, morning, ids.teams.web, task.id, 'done');
			const web = view.team(ids.teams.web)!;
			expect(sprintHealth(web, view, '2026-11-24').burndown).toEqual(burndown);

			const sos = new ScrumOfScrums(view, () => [], {
				now: Date.parse('2026-11-22T21:30:00.000Z')
			});
			const health = sos.health.find((h) => h.team.id === ids.teams.web)!;
			expect(health.elapsed).toBeCloseTo(elapsed);
			expect(health.burndown.at(-1)?.day ?? null).toBe(lastDay);
		}
	});

	test('the ideal burndown position runs from the first to the last day of the sprint', () => {
		const sprint = { start: '2026-11-23', end: '2026-12-06' } as Parameters<typeof elapsedShare>[0];
		expect(elapsedShare(sprint, '2026-11-20')).toBe(0);
		expect(elapsedShare(sprint, '2026-11-23')).toBeCloseTo(1 / 14);
		expect(elapsedShare(sprint, '2026-12-06')).toBe(1);
		expect(elapsedShare(sprint, '2026-12-20')).toBe(1);
	});

	test('a multi-team story shows each team’s estimate, sprint and points', () => {
		const { ids, sos } = demo();
		const search = sos.multiTeamStories.find((s) => s.story.id === ids.stories.search)!;
		expect(search.portions.map((p) => [p.teamId, p.estimate, p.sprint?.id, p.points])).toEqual([
			[ids.teams.web, 5, ids.sprints.web, 5],
			[ids.teams.mobile, 8, ids.sprints.mobile, 8]
		]);
		expect(sos.multiTeamStories).toHaveLength(1);
	});

	test('[R6] moving one team’s sprint makes the misaligned dates a coordination topic', () => {
		const { docs, ctx, ids, sos } = demo();
		expect(sos.coordination).toEqual([]);
		op.editSprint(docs, ctx, ids.sprints.mobile, { end: '2026-12-10' });
		expect(sos.coordination.map((f) => f.message)).toEqual([
			expect.stringContaining(
				'Multi-team story "Search suggestions" is in sprints that are not aligned'
			)
		]);
	});

	test('[R12] a fourth team without a Chief Product Owner is a missing large-scale role', () => {
		const { docs, ctx, sos } = demo();
		expect(sos.missingRoles).toEqual([]);
		op.createTeam(docs, ctx, { name: 'Data', kind: 'dev', velocity: 20, memberIds: [] });
		expect(sos.missingRoles).toEqual([]);
		expect(sos.facilitators.map((p) => p.name)).toEqual(['Sam (SM)']);
	});

	test('a cross-team impediment and an escalation in flight appear as they are made', () => {
		const { docs, ctx, ids, sos } = demo();
		const seen: string[] = [];
		const stop = $effect.root(() => {
			$effect(() => {
				seen.push(
					`${sos.crossTeamImpediments.map((i) => i.title).join()}|${sos.escalations.length}`
				);
			});
		});
		flushSync();
		op.raiseImpediment(docs, ctx, {
			teamId: ids.teams.web,
			title: 'Staging database is down',
			affectedTeamIds: [ids.teams.mobile]
		});
		op.raiseImpediment(docs, ctx, { teamId: ids.teams.web, title: 'Only ours' });
		flushSync();
		op.escalate(docs, ctx, ids.incident, ids.stories.secondLine, 'database specialists needed');
		flushSync();
		stop();
		expect(seen).toEqual(['|0', 'Staging database is down|0', 'Staging database is down|1']);
		const [escalation] = sos.escalations;
		expect(escalation?.hop.toStoryId).toBe(ids.stories.secondLine);
		expect(escalation?.sla.state).toBe('breached');

		op.resolveEscalation(docs, ctx, ids.incident);
		expect(sos.escalations).toEqual([]);
	});
});
