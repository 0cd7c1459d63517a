/**
 * Builds board states for tests: each entity helper takes only the fields a test cares about and
 * fills the rest with valid defaults, then parses the result with the real schema so a fixture
 * can never be a state the app would reject. `expectFindings` checks one table row of a rule test.
 */
import { expect } from 'vitest';
import { GuardedChange, keyOfChange } from '../../src/lib/domain/authorship';
import type { Finding, FindingSeverity, Ref, RuleId } from '../../src/lib/domain/findings';
import { validate } from '../../src/lib/domain/validation/engine';
import * as schema from '../../src/lib/domain/schema';
import { emptyBoardState, type BoardState, type PlacedTask } from '../../src/lib/domain/state';

/** The instant fixtures are created at; also the default validation instant. */
export const T0 = '2026-11-21T09:00:00.000Z';
export const NOW = Date.parse(T0);

const MINUTE = 60_000;
/** An ISO instant `minutes` after T0 (negative: before). */
export function minutesAfterT0(minutes: number): string {
	return new Date(NOW + minutes * MINUTE).toISOString();
}

type With<T, K extends keyof T> = Partial<T> & Pick<T, K>;

export function board(fields: Partial<schema.Board> = {}): schema.Board {
	return schema.Board.parse({
		id: 'board',
		name: 'Web shop',
		vision: '',
		operationalGoals: [],
		slaPolicy: schema.DEFAULT_SLA_POLICY,
		targetOpsPercent: 30,
		splitTolerance: 10,
		createdAt: T0,
		...fields
	});
}

export function person(fields: With<schema.Person, 'id'>): schema.Person {
	return schema.Person.parse({ name: `Person ${fields.id}`, roles: ['team-member'], ...fields });
}

/** A team of six (inside R15's range) with velocity 30. */
export function team(fields: With<schema.Team, 'id'>): schema.Team {
	const members = [1, 2, 3, 4, 5, 6].map((n) => `${fields.id}-m${n}`);
	return schema.Team.parse({
		name: `Team ${fields.id}`,
		kind: 'dev',
		scrumMasterId: null,
		memberIds: members,
		velocity: 30,
		...fields
	});
}

/** A finite, single-team dev story owned by Product Owner "po". */
export function story(fields: With<schema.Story, 'id'>): schema.Story {
	return schema.Story.parse({
		title: `Story ${fields.id}`,
		asA: '',
		iWant: '',
		soThat: '',
		acceptanceCriteria: [],
		successMeasure: '',
		productOwnerIds: ['po'],
		epicId: null,
		rank: 'a0',
		duration: 'finite',
		teaming: 'single',
		teamIds: [],
		workType: 'dev',
		sla: 'none',
		escalationAllowed: false,
		escalationTargetIds: [],
		estimates: {},
		createdAt: T0,
		...fields
	});
}

/** An open, unplanned work package of story "s1", created at T0, without severity or SLA. */
export function workPackage(fields: With<schema.WorkPackage, 'id'>): schema.WorkPackage {
	return schema.WorkPackage.parse({
		storyId: 's1',
		title: `Work package ${fields.id}`,
		category: 'incident',
		severity: null,
		submitterId: null,
		createdAt: T0,
		slaDeadline: null,
		planned: false,
		points: null,
		status: 'open',
		completedAt: null,
		swarm: [],
		escalations: [],
		timeline: [],
		templateId: null,
		...fields
	});
}

/** An unresolved escalation hop made at T0, recording no severity and no deadline. */
export function hop(
	fields: With<schema.EscalationHop, 'fromStoryId' | 'toStoryId'>
): schema.EscalationHop {
	return schema.EscalationHop.parse({
		at: T0,
		byPersonId: null,
		reason: '',
		severity: null,
		slaDeadline: null,
		resolvedAt: null,
		resolvedBy: null,
		...fields
	});
}

/** An active two-week sprint of team "t1" around T0, with nothing planned. */
export function sprint(fields: With<schema.Sprint, 'id'>): schema.Sprint {
	return schema.Sprint.parse({
		teamId: 't1',
		name: `Sprint ${fields.id}`,
		goal: '',
		start: '2026-11-16',
		end: '2026-11-27',
		state: 'active',
		commitments: {},
		knownWork: {},
		reserved: {},
		reviews: {},
		closedAt: null,
		...fields
	});
}

/** A todo task of team "t1", living in that team's document unless `homeTeamId` says otherwise. */
export function task(fields: With<PlacedTask, 'id'>): PlacedTask {
	const { homeTeamId, ...taskFields } = fields;
	const parsed = schema.Task.parse({
		title: `Task ${fields.id}`,
		owningTeamId: 't1',
		workPackageId: null,
		storyId: null,
		assigneeId: null,
		estimate: null,
		status: 'todo',
		rank: 'a0',
		createdBy: null,
		createdAt: T0,
		...taskFields
	});
	return { ...parsed, homeTeamId: homeTeamId ?? parsed.owningTeamId };
}

/** A post-incident review of work package `id`, started at T0, empty and not done. */
export function incidentReview(fields: With<schema.IncidentReview, 'id'>): schema.IncidentReview {
	return schema.IncidentReview.parse({
		summary: '',
		impact: '',
		timeline: [],
		contributingFactors: '',
		wentWell: '',
		actionItems: [],
		createdBy: null,
		createdAt: T0,
		doneAt: null,
		doneBy: null,
		...fields
	});
}

/** A board-wide criterion of the Definition of Done, written at T0. */
export function doneCriterion(fields: With<schema.DoneCriterion, 'id'>): schema.DoneCriterion {
	return schema.DoneCriterion.parse({
		text: `Criterion ${fields.id}`,
		teamId: null,
		workType: null,
		createdBy: null,
		createdAt: T0,
		retiredAt: null,
		...fields
	});
}

/** Story `id`'s Definition of Done checklist: nothing ticked, not accepted. */
export function doneChecklist(fields: With<schema.DoneChecklist, 'id'>): schema.DoneChecklist {
	return schema.DoneChecklist.parse({
		ticks: {},
		acceptedAgainst: [],
		acceptedAt: null,
		...fields
	});
}

/** A reading of story "s1"'s success measure at T0. */
export function observation(fields: With<schema.Observation, 'id'>): schema.Observation {
	return schema.Observation.parse({
		storyId: 's1',
		at: T0,
		value: 0,
		note: '',
		recordedBy: null,
		...fields
	});
}

/** Team member "mallory" changed story "s1"'s duration at T0. */
export function roleChange(
	fields: Partial<GuardedChange> & Pick<GuardedChange, 'field'>
): GuardedChange {
	return GuardedChange.parse({
		collection: 'stories',
		entityId: 's1',
		personId: 'mallory',
		personName: 'Mallory',
		roles: ['team-member'],
		at: T0,
		...fields
	});
}

export interface BoardParts {
	/** Defaults to `board()`; pass null for a board whose settings have not synced yet. */
	board?: schema.Board | null;
	people?: schema.Person[];
	teams?: schema.Team[];
	stories?: schema.Story[];
	workPackages?: schema.WorkPackage[];
	sprints?: schema.Sprint[];
	tasks?: PlacedTask[];
	incidentReviews?: schema.IncidentReview[];
	observations?: schema.Observation[];
	doneCriteria?: schema.DoneCriterion[];
	doneChecklists?: schema.DoneChecklist[];
	/** Recorded changes of role-guarded fields, filed under their authorship keys. */
	roleChanges?: GuardedChange[];
}

/** A board state holding exactly the given entities. */
export function boardState(parts: BoardParts = {}): BoardState {
	const byId = <T extends { id: string }>(list: T[] = []) => new Map(list.map((e) => [e.id, e]));
	return {
		...emptyBoardState(),
		board: parts.board === undefined ? board() : parts.board,
		people: byId(parts.people),
		teams: byId(parts.teams),
		stories: byId(parts.stories),
		workPackages: byId(parts.workPackages),
		sprints: byId(parts.sprints),
		tasks: byId(parts.tasks),
		incidentReviews: byId(parts.incidentReviews),
		observations: byId(parts.observations),
		doneCriteria: byId(parts.doneCriteria),
		doneChecklists: byId(parts.doneChecklists),
		roleChanges: new Map((parts.roleChanges ?? []).map((c) => [keyOfChange(c), c]))
	};
}

/** The findings of one rule, from a full validation of the state at `now` (default T0). */
export function findingsOf(rule: RuleId, parts: BoardParts, now: number = NOW): Finding[] {
	return validate(boardState(parts), now).filter((f) => f.rule === rule);
}

/** What a table row expects of one finding: its severity, its refs, and phrases of its message. */
export interface ExpectedFinding {
	severity: FindingSeverity;
	refs: Ref[];
	says: string[];
}

/** Asserts that validating `parts` yields exactly the expected findings of `rule`, in order. */
export function expectFindings(
	rule: RuleId,
	parts: BoardParts,
	expected: readonly ExpectedFinding[],
	now: number = NOW
): Finding[] {
	const found = findingsOf(rule, parts, now);
	expect(found.map((f) => ({ rule: f.rule, severity: f.severity, refs: f.refs }))).toEqual(
		expected.map((e) => ({ rule, severity: e.severity, refs: e.refs }))
	);
	found.forEach((f, i) => {
		for (const phrase of expected[i]?.says ?? []) expect(f.message).toContain(phrase);
	});
	return found;
}

/** Shorthand for a ref in expected findings: ref('sprint', 'p1'). */
export function ref(kind: Ref['kind'], id: string): Ref {
	return { kind, id };
}
