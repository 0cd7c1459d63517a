/**
 * Incidents: templates per severity, as every new board (and the demo) starts with, and the
 * timeline of who did what when. Applying a template creates the work package with the
 * severity's SLA deadline and the five incident steps as the team's tasks.
 */
import { describe, expect, test } from 'vitest';
import { incidentRunBy, timelineLines } from '../../../src/lib/domain/incidents';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import * as op from '../../../src/lib/sync/operations';
import { BoardProjection } from '../../../src/lib/sync/projection';
import { fixedContext } from '../../helpers/op-context';

describe('incident templates', () => {
	test('one template per severity, each with investigate, mitigate, resolve, verify, document', () => {
		const docs = new BoardDocs('b');
		const ctx = fixedContext('t');
		op.createBoard(docs, ctx, { name: 'B' });
		const ids = op.seedIncidentTemplates(docs, ctx);
		const projection = new BoardProjection(docs, { now: Date.now() });
		const templates = [...projection.state.templates.values()];
		expect(templates.map((t) => [t.name, t.defaultSeverity, t.category])).toEqual([
			['SEV1 incident', 'SEV1', 'incident'],
			['SEV2 incident', 'SEV2', 'incident'],
			['SEV3 incident', 'SEV3', 'incident'],
			['Non-production defect', 'non-production-defect', 'defect']
		]);
		for (const template of templates) {
			expect(template.tasks.map((task) => task.title)).toEqual([
				'Investigate',
				'Mitigate',
				'Resolve',
				'Verify',
				'Document'
			]);
		}
		expect(Object.keys(ids)).toEqual(['SEV1', 'SEV2', 'SEV3', 'non-production-defect']);
		projection.destroy();
	});

	test('[R9] applying the SEV2 template gives a 24 h deadline and five tasks for the team', () => {
		const docs = new BoardDocs('demo');
		const ctx = fixedContext('d');
		const demo = seedDemoBoard(docs, ctx, '2026-11-23');
		const sev2 = [...docs.collection('templates').entries()].find(
			([, map]) => map.get('defaultSeverity') === 'SEV2'
		)![0];
		const { workPackage, tasks } = op.createWorkPackageFromTemplate(docs, ctx, {
			templateId: sev2,
			storyId: demo.stories.support,
			teamId: demo.teams.web,
			title: 'Search is slow'
		});
		expect(workPackage.severity).toBe('SEV2');
		expect(Date.parse(workPackage.slaDeadline!) - Date.parse(workPackage.createdAt)).toBe(
			24 * 3_600_000
		);
		expect(tasks.map((task) => [task.title, task.owningTeamId])).toEqual(
			['Investigate', 'Mitigate', 'Resolve', 'Verify', 'Document'].map((t) => [t, demo.teams.web])
		);
	});
});

describe('incident timeline', () => {
	test('who did what when: creation, swarm, tasks, severity, escalation, return, completion', () => {
		const docs = new BoardDocs('demo');
		const ctx = fixedContext('d', 'ana');
		const ids = seedDemoBoard(docs, ctx, '2026-11-23');
		const wp = op.createWorkPackage(docs, ctx, {
			storyId: ids.stories.support,
			title: 'Login loops',
			category: 'incident',
			severity: 'SEV2'
		});
		const as = (personId: string) => ({ ...ctx, actorId: personId });
		ctx.advance(1);
		op.setSwarming(docs, as('ben'), wp.id, ids.people.ben, true);
		op.addTasks(docs, as('ben'), ids.teams.web, [
			{ title: 'Check the session store', workPackageId: wp.id },
			{ title: 'Roll back 4.1', workPackageId: wp.id }
		]);
		op.setSeverity(docs, ctx, wp.id, 'SEV1');
		op.escalate(docs, ctx, wp.id, ids.stories.secondLine, 'needs a database admin');
		op.resolveEscalation(docs, as('olga'), wp.id);
		op.completeWorkPackage(docs, ctx, wp.id, { openTasks: 'cancel', teamIds: [ids.teams.web] });
		const projection = new BoardProjection(docs, { now: Date.now() });
		const timeline = projection.state.workPackages.get(wp.id)!.timeline;
		expect(timeline.map((e) => [e.action, e.personId, e.detail])).toEqual([
			['created', 'ana', 'SEV2 Login loops'],
			['joined', ids.people.ben, ''],
			['task-added', 'ben', 'Check the session store, Roll back 4.1'],
			['severity', 'ana', 'SEV1'],
			['escalated', 'ana', 'to "Second-level production support": needs a database admin'],
			['returned', 'olga', 'from "Second-level production support"'],
			['completed', 'ana', '2 open tasks cancelled']
		]);
		expect(timeline[1]!.at).toBe('2026-11-23T09:01:00.000Z');
		projection.destroy();
	});

	test('the timeline keeps its newest 500 lines', () => {
		const docs = new BoardDocs('demo');
		const ctx = fixedContext('d', 'ana');
		const ids = seedDemoBoard(docs, ctx, '2026-11-23');
		for (let i = 0; i < 260; i++) {
			op.setSwarming(docs, ctx, ids.incident, ids.people.ben, true);
			op.setSwarming(docs, ctx, ids.incident, ids.people.ben, false);
		}
		const projection = new BoardProjection(docs, { now: Date.now() });
		const timeline = projection.state.workPackages.get(ids.incident)!.timeline;
		expect(timeline).toHaveLength(500);
		expect(timeline.at(-1)!.action).toBe('left');
		projection.destroy();
	});
});

describe('completing is a decision', () => {
	function swarm() {
		const docs = new BoardDocs('demo');
		const ctx = fixedContext('d', 'ana');
		const ids = seedDemoBoard(docs, ctx, '2026-11-23');
		const projection = new BoardProjection(docs, { now: Date.now() });
		const tasks = () =>
			[...projection.state.tasks.values()].filter((t) => t.workPackageId === ids.incident);
		const incident = () => projection.state.workPackages.get(ids.incident)!;
		const web = [ids.teams.web];
		return { docs, ctx, ids, projection, tasks, incident, web };
	}
	const state = (docs: BoardDocs) =>
		JSON.stringify([docs.board, ...docs.teams().values()].map((d) => d.toJSON()));

	test('a work package with open tasks is not completed without saying what becomes of them', () => {
		const { docs, ctx, ids, incident, web } = swarm();
		const before = state(docs);
		expect(() => op.completeWorkPackage(docs, ctx, ids.incident, { teamIds: web })).toThrow(
			'"Checkout returns HTTP 500 for EU cards" has 5 open tasks: complete them, move them to a follow-up, or cancel them first.'
		);
		// Nor by someone of another team, who cannot decide for Web's tasks (R11).
		expect(() =>
			op.completeWorkPackage(docs, ctx, ids.incident, {
				openTasks: 'complete',
				teamIds: [ids.teams.ops]
			})
		).toThrow(/has 5 open tasks of Web; ask them to finish or cancel them first/);
		expect(state(docs)).toBe(before);
		expect(incident().status).toBe('open');
	});

	test('complete them: every task is done with the work package', () => {
		const { docs, ctx, ids, tasks, incident, web } = swarm();
		op.completeWorkPackage(docs, ctx, ids.incident, { openTasks: 'complete', teamIds: web });
		expect(tasks().map((t) => t.status)).toEqual(Array(5).fill('done'));
		expect(incident().status).toBe('done');
		expect(incident().timeline.at(-1)).toMatchObject({
			action: 'completed',
			detail: '5 open tasks completed with it'
		});
	});

	test('move them to a follow-up: a new work package under the same story takes them', () => {
		const { docs, ctx, ids, projection, tasks, incident, web } = swarm();
		op.moveTask(docs, ctx, ids.teams.web, tasks()[0]!.id, 'done');
		const { followUp } = op.completeWorkPackage(docs, ctx, ids.incident, {
			openTasks: 'follow-up',
			teamIds: web
		});
		const next = projection.state.workPackages.get(followUp!.id)!;
		expect(next).toMatchObject({
			title: 'Follow-up: Checkout returns HTTP 500 for EU cards',
			storyId: ids.stories.support,
			status: 'open'
		});
		expect(tasks().map((t) => t.status)).toEqual(['done']);
		expect(
			[...projection.state.tasks.values()].filter((t) => t.workPackageId === next.id)
		).toHaveLength(4);
		expect(incident().timeline.at(-1)!.detail).toBe(
			'4 open tasks moved to "Follow-up: Checkout returns HTTP 500 for EU cards"'
		);
	});

	test('cancel them: the tasks leave the team board and the counts, the work package is done', () => {
		const { docs, ctx, ids, tasks, incident, web } = swarm();
		op.completeWorkPackage(docs, ctx, ids.incident, { openTasks: 'cancel', teamIds: web });
		expect(tasks().map((t) => t.status)).toEqual(Array(5).fill('cancelled'));
		expect(incident().status).toBe('done');
		expect(incident().timeline.at(-1)!.detail).toBe('5 open tasks cancelled');
	});
});

describe('an incident run by roles', () => {
	function incident() {
		const docs = new BoardDocs('demo');
		const ctx = fixedContext('d', 'ana');
		const ids = seedDemoBoard(docs, ctx, '2026-11-23');
		const projection = new BoardProjection(docs, { now: Date.now() });
		const wp = () => projection.state.workPackages.get(ids.incident)!;
		const as = (personId: string) => fixedContext(`x-${personId}`, personId);
		return { docs, ctx, ids, projection, wp, as };
	}

	test('a commander and a communications lead are named; taking a role joins the swarm', () => {
		const { docs, ctx, ids, wp } = incident();
		op.setIncidentRole(docs, ctx, ids.incident, 'commander', ids.people.ben);
		op.setIncidentRole(docs, ctx, ids.incident, 'comms', ids.people.sam);
		expect(wp()).toMatchObject({ commanderId: ids.people.ben, commsLeadId: ids.people.sam });
		expect(wp().swarm).toEqual(expect.arrayContaining([ids.people.ben, ids.people.sam]));
		op.setIncidentRole(docs, ctx, ids.incident, 'comms', null);
		expect(wp().commsLeadId).toBeNull();
		expect(() => op.setIncidentRole(docs, ctx, ids.incident, 'commander', 'nobody')).toThrow(
			'No person with id "nobody" on this board.'
		);
	});

	test('the commander or the communications lead posts status updates; nobody else does', () => {
		const { docs, ids, wp, as } = incident();
		const update = {
			state: 'identified',
			text: 'EU card BIN ranges rejected by the gateway'
		} as const;
		expect(() => op.postStatusUpdate(docs, as(ids.people.ben), ids.incident, update)).toThrow(
			/Name an incident commander .* first: the commander posts its status updates\./
		);
		op.setIncidentRole(docs, as(ids.people.ana), ids.incident, 'commander', ids.people.ben);
		op.setIncidentRole(docs, as(ids.people.ana), ids.incident, 'comms', ids.people.sam);
		expect(() => op.postStatusUpdate(docs, as(ids.people.ana), ids.incident, update)).toThrow(
			/Only the incident commander or the communications lead posts status updates/
		);
		op.postStatusUpdate(docs, as(ids.people.ben), ids.incident, update);
		op.postStatusUpdate(docs, as(ids.people.sam), ids.incident, {
			state: 'monitoring',
			text: 'Fix deployed, watching errors'
		});
		expect(wp().statusUpdates.map((u) => [u.state, u.personId])).toEqual([
			['identified', ids.people.ben],
			['monitoring', ids.people.sam]
		]);
		expect(() =>
			op.postStatusUpdate(docs, as(ids.people.ben), ids.incident, { state: 'resolved', text: ' ' })
		).toThrow(/say what is going on/);
	});

	test('the lists that show the swarm say who runs it and where it stands', () => {
		const { docs, ids, projection, wp, as } = incident();
		const nameOf = (id: string) => projection.state.people.get(id)?.name ?? id;
		expect(incidentRunBy(wp(), nameOf)).toBeNull();
		op.setIncidentRole(docs, as(ids.people.ana), ids.incident, 'commander', ids.people.ben);
		op.setIncidentRole(docs, as(ids.people.ana), ids.incident, 'comms', ids.people.sam);
		op.postStatusUpdate(docs, as(ids.people.ben), ids.incident, {
			state: 'identified',
			text: 'Gateway rejects EU BINs'
		});
		expect(incidentRunBy(wp(), nameOf)).toBe('Commander: Ben · Comms: Sam (SM) · Identified');
	});

	test('the timeline keeps the status updates, in time order with the rest', () => {
		const { docs, ids, projection, wp, as } = incident();
		op.setIncidentRole(docs, as(ids.people.ana), ids.incident, 'commander', ids.people.ana);
		op.postStatusUpdate(docs, as(ids.people.ana), ids.incident, {
			state: 'investigating',
			text: 'Looking at the gateway'
		});
		const lines = timelineLines(wp(), (id) => projection.state.people.get(id));
		expect(lines[0]).toMatchObject({
			action: 'status',
			text: 'posted an update: Investigating: Looking at the gateway'
		});
	});
});
