/**
 * The operations as a user meets them: each intent changes what the board shows (read through a
 * BoardProjection, the same view the app renders), is one labelled transaction, and a refused
 * intent explains itself and leaves every document untouched.
 */
import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { ScrumOpsError } from '../../../src/lib/domain/errors';
import type { Finding } from '../../../src/lib/domain/findings';
import { compareRanked } from '../../../src/lib/domain/order';
import type { Task } from '../../../src/lib/domain/schema';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { seedDemoBoard, type DemoIds } from '../../../src/lib/sync/demo';
import type { TransactionOrigin } from '../../../src/lib/sync/layout';
import * as op from '../../../src/lib/sync/operations';
import { BoardProjection } from '../../../src/lib/sync/projection';
import { fixedContext } from '../../helpers/op-context';

const TODAY = '2026-11-23';
/** An hour after the demo was seeded: the demo SEV1 (opened 09:00) is due at 15:00. */
const NOW = Date.parse('2026-11-23T10:00:00.000Z');

/** The demo people these tests act as. */
type Cast = Record<'priya' | 'sam' | 'ana' | 'ben', string>;

interface Demo {
	docs: BoardDocs;
	ids: Omit<DemoIds, 'people'> & { people: Cast };
	/** Sam, Scrum Master of Web, acting now. */
	ctx: ReturnType<typeof fixedContext>;
	view: BoardProjection;
}

/** The demo board, with Sam acting and a projection showing what everyone sees. */
function demoBoard(): Demo {
	const docs = new BoardDocs('acme');
	const seeded = seedDemoBoard(docs, fixedContext('seed'), TODAY);
	const person = (name: keyof Cast) => {
		const id = seeded.people[name];
		if (!id) throw new Error(`the demo has no ${name}`);
		return id;
	};
	const people = {
		priya: person('priya'),
		sam: person('sam'),
		ana: person('ana'),
		ben: person('ben')
	};
	const ids = { ...seeded, people };
	const ctx = fixedContext('op', people.sam, NOW);
	const view = new BoardProjection(docs, { now: NOW });
	return { docs, ids, ctx, view };
}

function findings(view: BoardProjection, rule: Finding['rule']): readonly Finding[] {
	return view.findings().filter((f) => f.rule === rule);
}

/**
 * Every document's state vector (client → clock, so a failure reads well) and content: an insert
 * advances the vector, a delete changes the content.
 */
function snapshot(docs: BoardDocs): Record<string, { clocks: object; content: object }> {
	const out: Record<string, { clocks: object; content: object }> = {};
	const all: [string, Y.Doc][] = [['board', docs.board], ...docs.teams()];
	for (const [name, doc] of all) {
		const clocks = Object.fromEntries(Y.decodeStateVector(Y.encodeStateVector(doc)));
		out[name] = { clocks, content: doc.toJSON() };
	}
	return out;
}

/** Runs `action`, expecting a ScrumOpsError whose message matches, and no write anywhere. */
function expectRefused(docs: BoardDocs, action: () => unknown, message: RegExp): void {
	const before = snapshot(docs);
	let error: unknown = null;
	try {
		action();
	} catch (e) {
		error = e;
	}
	expect(error).toBeInstanceOf(ScrumOpsError);
	expect((error as Error).message).toMatch(message);
	expect(snapshot(docs)).toEqual(before);
}

/** Transaction origins of the board and team documents while `action` runs. */
function originsDuring(
	docs: BoardDocs,
	action: () => unknown
): { board: TransactionOrigin[]; teams: Record<string, TransactionOrigin[]> } {
	const board: TransactionOrigin[] = [];
	const teams: Record<string, TransactionOrigin[]> = {};
	const off: (() => void)[] = [];
	const listen = (doc: Y.Doc, into: TransactionOrigin[]) => {
		const handler = (tr: Y.Transaction) => into.push(tr.origin as TransactionOrigin);
		doc.on('afterTransaction', handler);
		off.push(() => doc.off('afterTransaction', handler));
	};
	listen(docs.board, board);
	for (const [teamId, doc] of docs.teams()) listen(doc, (teams[teamId] = []));
	try {
		action();
	} finally {
		for (const stop of off) stop();
	}
	return { board, teams };
}

/** Story titles in backlog order, as the board shows them. */
function backlog(view: BoardProjection): string[] {
	return [...view.state.stories.values()].sort(compareRanked).map((s) => s.title);
}

/** backlogOrder(docs) as titles, read from the projection. */
function backlogOrder(docs: BoardDocs, view: BoardProjection): string[] {
	return op.backlogOrder(docs).map((r) => view.state.stories.get(r.id)!.title);
}

/** Task titles of one column of a team's board, top to bottom. */
function column(view: BoardProjection, teamId: string, status: Task['status']): string[] {
	return [...view.state.tasks.values()]
		.filter((t) => t.homeTeamId === teamId && t.status === status)
		.sort(compareRanked)
		.map((t) => t.title);
}

function workPackage(view: BoardProjection, id: string) {
	const wp = view.state.workPackages.get(id);
	if (!wp) throw new Error(`work package ${id} is not on the board`);
	return wp;
}

function sprint(view: BoardProjection, id: string) {
	const s = view.state.sprints.get(id);
	if (!s) throw new Error(`sprint ${id} is not on the board`);
	return s;
}

/**
 * A third escalation level: the second line may escalate to a recurring vendor-support story,
 * which the ops team reserves capacity for in its active sprint.
 */
function addVendorLine({ docs, ctx, ids }: Demo): string {
	const vendor = op.createStory(docs, ctx, {
		title: 'Vendor database support',
		productOwnerIds: [ids.people.priya],
		duration: 'recurring',
		workType: 'ops',
		sla: 'policy',
		teamIds: [ids.teams.ops],
		estimates: { [ids.teams.ops]: 2 }
	}).id;
	op.editStory(docs, ctx, ids.stories.secondLine, {
		escalationAllowed: true,
		escalationTargetIds: [vendor]
	});
	op.reserveUnknownWork(docs, ctx, ids.sprints.ops, vendor, 2);
	return vendor;
}

describe('invalid input is refused with a reason and writes nothing', () => {
	test.each([
		{
			what: 'a story with an empty title',
			run: ({ docs, ctx }: Demo) => op.createStory(docs, ctx, { title: '   ' }),
			message: /Invalid story: title: a title is required/
		},
		{
			what: 'negative points for a commitment',
			run: ({ docs, ctx, ids }: Demo) =>
				op.commitStory(docs, ctx, ids.sprints.webNext, ids.stories.search, -3),
			message: /Invalid points: .*>=\s*0/
		},
		{
			what: 'a sprint that ends before it starts',
			run: ({ docs, ctx, ids }: Demo) =>
				op.planSprint(docs, ctx, {
					teamId: ids.teams.web,
					name: 'Web 16',
					start: '2026-12-21',
					end: '2026-12-20'
				}),
			message: /ends \(2026-12-20\) before it starts \(2026-12-21\)/
		},
		{
			what: 'committing an unknown story',
			run: ({ docs, ctx, ids }: Demo) =>
				op.commitStory(docs, ctx, ids.sprints.web, 'no-such-story', 3),
			message: /No story with id "no-such-story"/
		},
		{
			what: 'moving an unknown story',
			run: ({ docs, ctx }: Demo) => op.moveStory(docs, ctx, 'no-such-story', 0),
			message: /No story with id "no-such-story"/
		},
		{
			what: 'a work package under an unknown story',
			run: ({ docs, ctx }: Demo) =>
				op.createWorkPackage(docs, ctx, {
					storyId: 'no-such-story',
					title: 'Printer on fire',
					category: 'incident'
				}),
			message: /No story with id "no-such-story"/
		},
		{
			what: 'reserving unknown work for a finite story',
			run: ({ docs, ctx, ids }: Demo) =>
				op.reserveUnknownWork(docs, ctx, ids.sprints.web, ids.stories.checkout, 5),
			message: /"One-click checkout" is a finite story; unknown work is reserved only for recurring/
		}
	])('refuses $what', ({ run, message }) => {
		const demo = demoBoard();
		expectRefused(demo.docs, () => run(demo), message);
	});

	test('a template applied for an unknown team creates no orphan work package', () => {
		// BUG: the work package is written in its own transaction before the team is checked.
		const { docs, ctx, ids } = demoBoard();
		expectRefused(
			docs,
			() =>
				op.createWorkPackageFromTemplate(docs, ctx, {
					templateId: ids.templates.sev1,
					storyId: ids.stories.support,
					teamId: 'no-such-team'
				}),
			/No team with id "no-such-team"/
		);
	});

	test('adding several tasks where one has no title adds none of them', () => {
		// BUG: tasks before the invalid one are already written when it is refused.
		const { docs, ctx, ids } = demoBoard();
		expectRefused(
			docs,
			() => op.addTasks(docs, ctx, ids.teams.web, [{ title: 'Roll back' }, { title: '' }]),
			/Invalid task: title: a title is required/
		);
	});
});

describe('each operation is one transaction labelled with the actor and the intent', () => {
	test('commitStory produces exactly one board transaction with a typed origin', () => {
		const { docs, ctx, ids } = demoBoard();
		const origins = originsDuring(docs, () =>
			op.commitStory(docs, ctx, ids.sprints.webNext, ids.stories.search, 5)
		);
		expect(origins.board).toEqual([
			{ kind: 'local', actorId: ids.people.sam, intent: 'commitStory' }
		]);
		for (const teamOrigins of Object.values(origins.teams)) expect(teamOrigins).toEqual([]);
	});

	test.each([
		{
			intent: 'createStory',
			run: ({ docs, ctx }: Demo) => op.createStory(docs, ctx, { title: 'Gift cards' }, 2)
		},
		{
			intent: 'moveStory',
			run: ({ docs, ctx, ids }: Demo) => op.moveStory(docs, ctx, ids.stories.hiring, 0)
		},
		{
			intent: 'joinSwarm',
			run: ({ docs, ctx, ids }: Demo) =>
				op.setSwarming(docs, ctx, ids.incident, ids.people.ben, true)
		},
		{
			intent: 'escalate',
			run: ({ docs, ctx, ids }: Demo) =>
				op.escalate(docs, ctx, ids.incident, ids.stories.secondLine, 'database deadlock')
		},
		{
			intent: 'closeSprint',
			run: ({ docs, ctx, ids }: Demo) => op.closeSprint(docs, ctx, ids.sprints.web)
		}
	])('$intent is one board transaction', ({ intent, run }) => {
		const demo = demoBoard();
		const origins = originsDuring(demo.docs, () => run(demo));
		expect(origins.board).toEqual([{ kind: 'local', actorId: demo.ids.people.sam, intent }]);
	});

	test('completing a task is one transaction of the owning team’s document only', () => {
		const { docs, ctx, ids, view } = demoBoard();
		const [investigate] = [...view.state.tasks.values()].filter((t) => t.title === 'Investigate');
		const origins = originsDuring(docs, () =>
			op.moveTask(docs, ctx, ids.teams.web, investigate!.id, 'done')
		);
		expect(origins.board).toEqual([]);
		expect(origins.teams[ids.teams.web]).toEqual([
			{ kind: 'local', actorId: ids.people.sam, intent: 'completeTask' }
		]);
	});

	test('a template writes one transaction in the board and one in the chosen team’s document', () => {
		const { docs, ctx, ids } = demoBoard();
		const origins = originsDuring(docs, () =>
			op.createWorkPackageFromTemplate(docs, ctx, {
				templateId: ids.templates.sev1,
				storyId: ids.stories.support,
				teamId: ids.teams.ops
			})
		);
		const actorId = ids.people.sam;
		expect(origins.board).toEqual([{ kind: 'local', actorId, intent: 'createWorkPackage' }]);
		expect(origins.teams[ids.teams.ops]).toEqual([{ kind: 'local', actorId, intent: 'addTasks' }]);
		expect(origins.teams[ids.teams.web]).toEqual([]);
	});
});

describe('backlog order', () => {
	const DEMO_BACKLOG = [
		'Second-level production support',
		'First-level web support',
		'One-click checkout',
		'Search suggestions',
		'App store release 4.2',
		'Hire a site reliability engineer'
	];

	test('the demo backlog lists stories in creation order', () => {
		const { docs, view } = demoBoard();
		expect(backlog(view)).toEqual(DEMO_BACKLOG);
		expect(backlogOrder(docs, view)).toEqual(DEMO_BACKLOG);
	});

	test.each([
		{ position: 0, where: 'at the top', index: 0 },
		{ position: 3, where: 'in the middle', index: 3 },
		{ position: undefined, where: 'at the bottom by default', index: 6 },
		{ position: 99, where: 'at the bottom when past the end', index: 6 }
	])('a story created $where appears there', ({ position, index }) => {
		const { docs, ctx, view } = demoBoard();
		op.createStory(docs, ctx, { title: 'Gift cards' }, position);
		const expected = [...DEMO_BACKLOG];
		expected.splice(index, 0, 'Gift cards');
		expect(backlog(view)).toEqual(expected);
		expect(backlogOrder(docs, view)).toEqual(expected);
	});

	test.each([
		{
			story: 'hiring' as const,
			where: 'to the top',
			position: 0,
			expected: [
				'Hire a site reliability engineer',
				'Second-level production support',
				'First-level web support',
				'One-click checkout',
				'Search suggestions',
				'App store release 4.2'
			]
		},
		{
			story: 'secondLine' as const,
			where: 'to the bottom',
			position: 5,
			expected: [
				'First-level web support',
				'One-click checkout',
				'Search suggestions',
				'App store release 4.2',
				'Hire a site reliability engineer',
				'Second-level production support'
			]
		},
		{
			story: 'secondLine' as const,
			where: 'into the middle',
			position: 2,
			expected: [
				'First-level web support',
				'One-click checkout',
				'Second-level production support',
				'Search suggestions',
				'App store release 4.2',
				'Hire a site reliability engineer'
			]
		},
		{
			story: 'appRelease' as const,
			where: 'to second place',
			position: 1,
			expected: [
				'Second-level production support',
				'App store release 4.2',
				'First-level web support',
				'One-click checkout',
				'Search suggestions',
				'Hire a site reliability engineer'
			]
		}
	])('moving the $story story $where reorders the backlog', ({ story, position, expected }) => {
		const { docs, ctx, ids, view } = demoBoard();
		op.moveStory(docs, ctx, ids.stories[story], position);
		expect(backlog(view)).toEqual(expected);
		expect(backlogOrder(docs, view)).toEqual(expected);
	});

	test('a story placed between two stories created concurrently at the same spot lands between them', () => {
		const a = new BoardDocs('acme');
		const b = new BoardDocs('acme');
		op.createStory(a, fixedContext('a'), { title: 'Dark mode' });
		op.createStory(b, fixedContext('b'), { title: 'Wish list' });
		Y.applyUpdate(a.board, Y.encodeStateAsUpdate(b.board));
		const view = new BoardProjection(a, { now: NOW });
		const [first, second] = [...view.state.stories.values()].sort(compareRanked);
		expect(first!.rank).toBe(second!.rank);

		op.createStory(a, fixedContext('c'), { title: 'Gift cards' }, 1);
		expect(backlog(view)).toEqual(['Dark mode', 'Gift cards', 'Wish list']);
	});
});

describe('work packages and their SLA deadline', () => {
	test.each([
		{ severity: 'SEV1' as const, deadline: '2026-11-23T16:00:00.000Z' },
		{ severity: 'SEV2' as const, deadline: '2026-11-24T10:00:00.000Z' },
		{ severity: 'SEV3' as const, deadline: '2026-11-26T10:00:00.000Z' },
		{ severity: null, deadline: null }
	])(
		'on a story with SLA policy, a $severity work package is due at $deadline',
		({ severity, deadline }) => {
			const { docs, ctx, ids, view } = demoBoard();
			const wp = op.createWorkPackage(docs, ctx, {
				storyId: ids.stories.support,
				title: 'Payment page slow',
				category: 'incident',
				severity
			});
			expect(workPackage(view, wp.id)).toMatchObject({
				createdAt: '2026-11-23T10:00:00.000Z',
				severity,
				slaDeadline: deadline,
				status: 'open',
				submitterId: ids.people.sam
			});
		}
	);

	test('on a story without SLA, even a SEV1 work package has no deadline', () => {
		const { docs, ctx, ids, view } = demoBoard();
		const wp = op.createWorkPackage(docs, ctx, {
			storyId: ids.stories.checkout,
			title: 'Checkout button misaligned',
			category: 'bug',
			severity: 'SEV1'
		});
		expect(workPackage(view, wp.id)).toMatchObject({ severity: 'SEV1', slaDeadline: null });
	});

	test('a template creates the work package on the board and its tasks, in order, in the chosen team’s document', () => {
		const { docs, ctx, ids, view } = demoBoard();
		const team = ids.teams.mobile;
		const { workPackage: wp, tasks } = op.createWorkPackageFromTemplate(docs, ctx, {
			templateId: ids.templates.sev1,
			storyId: ids.stories.support,
			teamId: team,
			title: 'App login loops'
		});

		expect(docs.collection('workPackages').has(wp.id)).toBe(true);
		expect(workPackage(view, wp.id)).toMatchObject({
			title: 'App login loops',
			category: 'incident',
			severity: 'SEV1',
			slaDeadline: '2026-11-23T16:00:00.000Z',
			templateId: ids.templates.sev1
		});

		const shown = [...view.state.tasks.values()]
			.filter((t) => t.workPackageId === wp.id)
			.sort(compareRanked);
		expect(shown.map((t) => [t.title, t.estimate])).toEqual([
			['Investigate', 1],
			['Mitigate', 2],
			['Resolve', 2],
			['Verify', 1],
			['Document', 1]
		]);
		for (const task of shown) {
			expect(task).toMatchObject({ owningTeamId: team, homeTeamId: team, status: 'todo' });
			expect(docs.teamCollection(team, 'tasks').has(task.id)).toBe(true);
			expect(docs.teamCollection(ids.teams.web, 'tasks').has(task.id)).toBe(false);
		}
		expect(shown.map((t) => t.id)).toEqual(tasks.map((t) => t.id));
		expect(column(view, team, 'todo')).toEqual([
			'Investigate',
			'Mitigate',
			'Resolve',
			'Verify',
			'Document'
		]);
	});
});

describe('escalation', () => {
	test('[R8] escalating records a hop and leaves severity and SLA deadline unchanged', () => {
		const demo = demoBoard();
		const { docs, ctx, ids, view } = demo;
		const before = workPackage(view, ids.incident);
		op.escalate(docs, ctx, ids.incident, ids.stories.secondLine, 'database deadlock');

		const after = workPackage(view, ids.incident);
		expect(after.escalations).toEqual([
			{
				fromStoryId: ids.stories.support,
				toStoryId: ids.stories.secondLine,
				at: '2026-11-23T10:00:00.000Z',
				byPersonId: ids.people.sam,
				reason: 'database deadlock',
				severity: 'SEV1',
				slaDeadline: before.slaDeadline,
				resolvedAt: null,
				resolvedBy: null
			}
		]);
		expect(after.severity).toBe('SEV1');
		expect(after.slaDeadline).toBe(before.slaDeadline);
		expect(after.storyId).toBe(ids.stories.support);
		expect(op.holdingStoryId(after)).toBe(ids.stories.secondLine);
		expect(findings(view, 'R7')).toEqual([]);
		expect(findings(view, 'R8')).toEqual([]);
	});

	test('[R8] the severity of an escalated work package cannot be changed', () => {
		const { docs, ctx, ids } = demoBoard();
		op.escalate(docs, ctx, ids.incident, ids.stories.secondLine, 'database deadlock');
		expectRefused(
			docs,
			() => op.setSeverity(docs, ctx, ids.incident, 'SEV3'),
			/has been escalated; its severity and SLA deadline are fixed \(R8\)/
		);
	});

	test('[R14] the originating team cannot complete a work package still escalated', () => {
		const { docs, ctx, ids, view } = demoBoard();
		op.escalate(docs, ctx, ids.incident, ids.stories.secondLine, 'database deadlock');
		expectRefused(
			docs,
			() => op.completeWorkPackage(docs, ctx, ids.incident),
			/still escalated to another team; it can be completed once they resolve it/
		);
		expect(workPackage(view, ids.incident).status).toBe('open');
		expect(findings(view, 'R14')).toEqual([]);
	});

	test('[R14] once the receiving team resolves it, the originating team is told it can complete it', () => {
		const { docs, ctx, ids, view } = demoBoard();
		op.escalate(docs, ctx, ids.incident, ids.stories.secondLine, 'database deadlock');
		ctx.advance(90);
		op.resolveEscalation(docs, ctx, ids.incident);

		const wp = workPackage(view, ids.incident);
		expect(wp.escalations[0]).toMatchObject({
			resolvedAt: '2026-11-23T11:30:00.000Z',
			resolvedBy: ids.people.sam
		});
		expect(op.holdingStoryId(wp)).toBe(ids.stories.support);
		const [info] = findings(view, 'R14');
		expect(info).toMatchObject({ severity: 'info' });
		expect(info!.message).toContain('returned from "Second-level production support"');
		expect(info!.message).toContain('the originating team can complete it');
		expect(info!.refs).toContainEqual({ kind: 'workPackage', id: ids.incident });

		op.completeWorkPackage(docs, ctx, ids.incident, {
			openTasks: 'complete',
			teamIds: [ids.teams.web]
		});
		expect(workPackage(view, ids.incident)).toMatchObject({
			status: 'done',
			completedAt: '2026-11-23T11:30:00.000Z'
		});
		expect(findings(view, 'R14')).toEqual([]);
	});

	test('[R14] escalated twice and resolved once, the work is back with the first target only', () => {
		const demo = demoBoard();
		const { docs, ctx, ids, view } = demo;
		const vendor = addVendorLine(demo);
		op.escalate(docs, ctx, ids.incident, ids.stories.secondLine, 'database deadlock');
		op.escalate(docs, ctx, ids.incident, vendor, 'storage engine bug');
		expect(op.holdingStoryId(workPackage(view, ids.incident))).toBe(vendor);
		expect(
			workPackage(view, ids.incident).escalations.map((h) => [h.fromStoryId, h.toStoryId])
		).toEqual([
			[ids.stories.support, ids.stories.secondLine],
			[ids.stories.secondLine, vendor]
		]);
		expect(findings(view, 'R7')).toEqual([]);

		op.resolveEscalation(docs, ctx, ids.incident);
		const wp = workPackage(view, ids.incident);
		expect(op.holdingStoryId(wp)).toBe(ids.stories.secondLine);
		expect(wp.escalations.map((h) => h.resolvedAt === null)).toEqual([true, false]);
		expect(findings(view, 'R14')).toEqual([]);
		expectRefused(docs, () => op.completeWorkPackage(docs, ctx, ids.incident), /still escalated/);

		op.resolveEscalation(docs, ctx, ids.incident);
		expect(op.holdingStoryId(workPackage(view, ids.incident))).toBe(ids.stories.support);
		expect(findings(view, 'R14').map((f) => f.severity)).toEqual(['info']);
		op.completeWorkPackage(docs, ctx, ids.incident, {
			openTasks: 'complete',
			teamIds: [ids.teams.web]
		});
		expect(workPackage(view, ids.incident).status).toBe('done');
	});

	test('resolving when nothing is escalated is refused', () => {
		const { docs, ctx, ids } = demoBoard();
		expectRefused(
			docs,
			() => op.resolveEscalation(docs, ctx, ids.incident),
			/no escalation waiting to be resolved/
		);
	});
});

describe('swarming', () => {
	test('[R13] the SEV1 warning disappears when a second person joins the swarm', () => {
		const { docs, ctx, ids, view } = demoBoard();
		expect(workPackage(view, ids.incident).swarm).toEqual([ids.people.ana]);
		const [warning] = findings(view, 'R13');
		expect(warning).toMatchObject({ severity: 'warning' });
		expect(warning!.message).toContain('has 1 person swarming; a SEV1 needs at least 2');

		op.setSwarming(docs, ctx, ids.incident, ids.people.ben, true);
		expect(workPackage(view, ids.incident).swarm).toEqual([ids.people.ana, ids.people.ben].sort());
		expect(findings(view, 'R13')).toEqual([]);
	});

	test('[R13] when someone leaves a swarm of two, the warning returns', () => {
		const { docs, ctx, ids, view } = demoBoard();
		op.setSwarming(docs, ctx, ids.incident, ids.people.ben, true);
		op.setSwarming(docs, ctx, ids.incident, ids.people.ana, false);
		expect(workPackage(view, ids.incident).swarm).toEqual([ids.people.ben]);
		expect(findings(view, 'R13')).toHaveLength(1);
	});

	test('joining twice keeps one entry in the roster', () => {
		const { docs, ctx, ids, view } = demoBoard();
		op.setSwarming(docs, ctx, ids.incident, ids.people.ana, true);
		expect(workPackage(view, ids.incident).swarm).toEqual([ids.people.ana]);
	});
});

describe('[R10] closing a sprint carries work over', () => {
	/**
	 * Web 14 at its end: checkout accepted, search not reviewed, support (recurring) committed and
	 * reserved with the demo SEV1 still open, and two known work packages, one finished.
	 */
	function webSprintAtItsEnd() {
		const demo = demoBoard();
		const { docs, ctx, ids } = demo;
		op.commitStory(docs, ctx, ids.sprints.web, ids.stories.support, 4);
		const known = (title: string, points: number) => {
			const id = op.createWorkPackage(docs, ctx, {
				storyId: ids.stories.support,
				title,
				category: 'request',
				planned: true,
				points
			}).id;
			op.planKnownWork(docs, ctx, ids.sprints.web, id, points);
			return id;
		};
		const openKnown = known('Rotate TLS certificates', 3);
		const doneKnown = known('Renew domain', 1);
		op.completeWorkPackage(docs, ctx, doneKnown);
		op.reviewStory(docs, ctx, ids.sprints.web, ids.stories.checkout, 'accepted');
		return { ...demo, openKnown, doneKnown };
	}

	test('a recurring story with open work is planned into the next sprint with its points', () => {
		const { docs, ctx, ids, view } = webSprintAtItsEnd();
		const carry = op.closeSprint(docs, ctx, ids.sprints.web);

		expect(carry.nextSprintId).toBe(ids.sprints.webNext);
		expect(carry.carriedStoryIds).toEqual([ids.stories.support]);
		const next = sprint(view, ids.sprints.webNext);
		expect(next.commitments[ids.stories.support]).toBe(4);
		expect(next.reserved[ids.stories.support]).toBe(9);
		expect(findings(view, 'R10')).toEqual([]);
	});

	test('unfinished known work packages move to the next sprint; finished ones do not', () => {
		const { docs, ctx, ids, view, openKnown, doneKnown } = webSprintAtItsEnd();
		const carry = op.closeSprint(docs, ctx, ids.sprints.web);

		expect(carry.carriedWorkPackageIds).toEqual([openKnown]);
		expect(sprint(view, ids.sprints.webNext).knownWork).toEqual({ [openKnown]: 3 });
		expect(sprint(view, ids.sprints.webNext).knownWork).not.toHaveProperty(doneKnown);
	});

	test('finite stories not accepted go back to the backlog; accepted ones do not', () => {
		const { docs, ctx, ids, view } = webSprintAtItsEnd();
		const carry = op.closeSprint(docs, ctx, ids.sprints.web);

		expect(carry.returnedStoryIds).toEqual([ids.stories.search]);
		expect(carry.returnedStoryIds).not.toContain(ids.stories.checkout);
		const openSprintsOfWeb = [...view.state.sprints.values()].filter(
			(s) => s.teamId === ids.teams.web && s.state !== 'closed'
		);
		for (const s of openSprintsOfWeb) {
			expect(s.commitments).not.toHaveProperty(ids.stories.search);
			expect(s.commitments).not.toHaveProperty(ids.stories.checkout);
		}
		expect(backlog(view)).toContain('Search suggestions');
	});

	test('the closed sprint shows as closed, with when', () => {
		const { docs, ctx, ids, view } = webSprintAtItsEnd();
		ctx.advance(60);
		op.closeSprint(docs, ctx, ids.sprints.web);
		expect(sprint(view, ids.sprints.web)).toMatchObject({
			state: 'closed',
			closedAt: '2026-11-23T11:00:00.000Z'
		});
	});

	test('points the next sprint already planned for a carried story are kept', () => {
		const { docs, ctx, ids, view } = webSprintAtItsEnd();
		op.reserveUnknownWork(docs, ctx, ids.sprints.webNext, ids.stories.support, 6);
		op.closeSprint(docs, ctx, ids.sprints.web);
		expect(sprint(view, ids.sprints.webNext).reserved[ids.stories.support]).toBe(6);
	});

	test('closing without a next sprint leaves recurring work unplanned and warns', () => {
		const { docs, ctx, ids, view } = demoBoard();
		op.createWorkPackage(docs, ctx, {
			storyId: ids.stories.secondLine,
			title: 'Disk full on db-2',
			category: 'incident',
			severity: 'SEV2'
		});
		const carry = op.closeSprint(docs, ctx, ids.sprints.ops);

		expect(carry).toEqual({
			nextSprintId: null,
			carriedStoryIds: [],
			carriedWorkPackageIds: [],
			returnedStoryIds: []
		});
		const [warning] = findings(view, 'R10');
		expect(warning).toMatchObject({ severity: 'warning' });
		expect(warning!.message).toContain('Ops 14 of Ops L2 closed with 1 open work package');
		expect(warning!.message).toContain('"Second-level production support"');
		expect(warning!.refs).toContainEqual({ kind: 'sprint', id: ids.sprints.ops });
	});

	test('closing a sprint that is already closed is refused', () => {
		const { docs, ctx, ids } = demoBoard();
		op.closeSprint(docs, ctx, ids.sprints.web);
		expectRefused(
			docs,
			() => op.closeSprint(docs, ctx, ids.sprints.web),
			/Sprint "Web 14" is already closed/
		);
	});

	test('work escalated to the closing team’s recurring story is carried over with that story', () => {
		// BUG: closeSprint counts a work package only under its originating story, not under the
		// story holding it; the escalated SEV1 is left without second-line capacity (R7 then fails).
		const { docs, ctx, ids, view } = demoBoard();
		const opsNext = op.planSprint(docs, ctx, {
			teamId: ids.teams.ops,
			name: 'Ops 15',
			start: '2026-12-07',
			end: '2026-12-20'
		}).id;
		op.escalate(docs, ctx, ids.incident, ids.stories.secondLine, 'database deadlock');
		const carry = op.closeSprint(docs, ctx, ids.sprints.ops);

		expect(carry.carriedStoryIds).toEqual([ids.stories.secondLine]);
		expect(sprint(view, opsNext).reserved[ids.stories.secondLine]).toBe(8);
		op.startSprint(docs, ctx, opsNext);
		expect(findings(view, 'R7')).toEqual([]);
	});

	test('naming the closing sprint as its own next sprint is refused', () => {
		// BUG: the sprint "carries" its work into itself, closes, and R10 then warns.
		const { docs, ctx, ids } = demoBoard();
		expectRefused(
			docs,
			() => op.closeSprint(docs, ctx, ids.sprints.web, ids.sprints.web),
			/"Web 14"/
		);
	});
});

describe('sprint review', () => {
	test.each([
		{ story: 'checkout' as const, outcome: 'accepted' as const },
		{ story: 'search' as const, outcome: 'rejected' as const },
		{ story: 'support' as const, outcome: 'noted' as const }
	])('a $story story can be reviewed as $outcome', ({ story, outcome }) => {
		const { docs, ctx, ids, view } = demoBoard();
		op.reviewStory(docs, ctx, ids.sprints.web, ids.stories[story], outcome, 'demoed');
		expect(sprint(view, ids.sprints.web).reviews[ids.stories[story]]).toEqual({
			outcome,
			note: 'demoed',
			byPersonId: ids.people.sam,
			at: '2026-11-23T10:00:00.000Z'
		});
	});

	test.each([
		{
			story: 'checkout' as const,
			outcome: 'noted' as const,
			message: /is finite: accept or reject it/
		},
		{
			story: 'support' as const,
			outcome: 'accepted' as const,
			message: /is recurring: it is reviewed with a periodic note/
		},
		{
			story: 'support' as const,
			outcome: 'rejected' as const,
			message: /is recurring: it is reviewed with a periodic note/
		}
	])('a $story story cannot be reviewed as $outcome', ({ story, outcome, message }) => {
		const { docs, ctx, ids } = demoBoard();
		expectRefused(
			docs,
			() => op.reviewStory(docs, ctx, ids.sprints.web, ids.stories[story], outcome),
			message
		);
	});

	test('a story not planned in the sprint cannot be reviewed there', () => {
		const { docs, ctx, ids } = demoBoard();
		expectRefused(
			docs,
			() => op.reviewStory(docs, ctx, ids.sprints.web, ids.stories.appRelease, 'accepted'),
			/"App store release 4.2" is not planned in sprint "Web 14"/
		);
	});
});

describe('tasks', () => {
	const TEMPLATE_TASKS = ['Investigate', 'Mitigate', 'Resolve', 'Verify', 'Document'];

	function taskId(view: BoardProjection, title: string): string {
		const task = [...view.state.tasks.values()].find((t) => t.title === title);
		if (!task) throw new Error(`no task "${title}"`);
		return task.id;
	}

	test('a new task appears at the bottom of the todo column, owned by its team', () => {
		const { docs, ctx, ids, view } = demoBoard();
		expect(column(view, ids.teams.web, 'todo')).toEqual(TEMPLATE_TASKS);
		const task = op.addTask(docs, ctx, ids.teams.web, { title: 'Roll back deploy' });

		expect(column(view, ids.teams.web, 'todo')).toEqual([...TEMPLATE_TASKS, 'Roll back deploy']);
		expect(view.state.tasks.get(task.id)).toMatchObject({
			owningTeamId: ids.teams.web,
			homeTeamId: ids.teams.web,
			createdBy: ids.people.sam,
			status: 'todo'
		});
		expect(findings(view, 'R11')).toEqual([]);
	});

	test('a task moved to done at position 0 tops the done column', () => {
		const { docs, ctx, ids, view } = demoBoard();
		const web = ids.teams.web;
		op.moveTask(docs, ctx, web, taskId(view, 'Investigate'), 'done');
		op.moveTask(docs, ctx, web, taskId(view, 'Mitigate'), 'done');
		expect(column(view, web, 'done')).toEqual(['Investigate', 'Mitigate']);

		op.moveTask(docs, ctx, web, taskId(view, 'Document'), 'done', 0);
		expect(column(view, web, 'done')).toEqual(['Document', 'Investigate', 'Mitigate']);
		expect(column(view, web, 'todo')).toEqual(['Resolve', 'Verify']);
	});

	test('a task moved within its column lands at the asked position', () => {
		const { docs, ctx, ids, view } = demoBoard();
		op.moveTask(docs, ctx, ids.teams.web, taskId(view, 'Document'), 'todo', 1);
		expect(column(view, ids.teams.web, 'todo')).toEqual([
			'Investigate',
			'Document',
			'Mitigate',
			'Resolve',
			'Verify'
		]);
	});

	test('[R11] editing a task cannot hand it to another team', () => {
		const { docs, ctx, ids, view } = demoBoard();
		const id = taskId(view, 'Investigate');
		expectRefused(
			docs,
			() =>
				op.editTask(docs, ctx, ids.teams.web, id, {
					owningTeamId: ids.teams.mobile
				} as Parameters<typeof op.editTask>[4]),
			/A task keeps the team that created it/
		);
		expect(view.state.tasks.get(id)?.owningTeamId).toBe(ids.teams.web);
	});

	test('editing a task’s title, assignee and estimate shows the new values', () => {
		const { docs, ctx, ids, view } = demoBoard();
		const id = taskId(view, 'Investigate');
		op.editTask(docs, ctx, ids.teams.web, id, {
			title: 'Investigate EU card errors',
			assigneeId: ids.people.ana,
			estimate: 3
		});
		expect(view.state.tasks.get(id)).toMatchObject({
			title: 'Investigate EU card errors',
			assigneeId: ids.people.ana,
			estimate: 3,
			owningTeamId: ids.teams.web
		});
	});
});
