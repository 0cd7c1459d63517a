/**
 * The contract between the rules and the engine. A rule is a pure function of one subject (a
 * story, a sprint, …) and of whatever it reads through a RuleContext. Because every read goes
 * through the context, the incremental engine can record what each check depended on and re-run
 * only the checks an edit could change.
 */
import type { GuardedChange } from '../authorship';
import type { Finding, RuleId } from '../findings';
import type {
	Board,
	DoneChecklist,
	DoneCriterion,
	IncidentReview,
	Person,
	Sprint,
	Story,
	Team,
	WorkPackage
} from '../schema';
import type { PlacedTask } from '../state';

export interface ScopeSubjects {
	board: Board;
	team: Team;
	story: Story;
	sprint: Sprint;
	workPackage: WorkPackage;
	task: PlacedTask;
	/** The last change of one role-guarded field, identified by its authorship key. */
	roleChange: GuardedChange;
}
export type ScopeKind = keyof ScopeSubjects;
/** The order scopes sort in when findings of one rule are listed. */
export const SCOPE_KINDS: readonly ScopeKind[] = [
	'board',
	'team',
	'story',
	'sprint',
	'workPackage',
	'task',
	'roleChange'
];

/** Read access to the board for rules. Lists are sorted deterministically (see each method). */
export interface RuleContext {
	/** The validation instant, ms since epoch. Rules must not read the clock themselves. */
	now(): number;
	board(): Board | null;
	person(id: string): Person | undefined;
	team(id: string): Team | undefined;
	story(id: string): Story | undefined;
	sprint(id: string): Sprint | undefined;
	workPackage(id: string): WorkPackage | undefined;
	/** The post-incident review of a work package, if one was started. */
	incidentReview(workPackageId: string): IncidentReview | undefined;
	/** A story's Definition of Done checklist, if anyone ticked or accepted it. */
	doneChecklist(storyId: string): DoneChecklist | undefined;
	/** Every criterion of the Definition of Done, retired ones included, by id. */
	doneCriteria(): readonly DoneCriterion[];
	/** All teams, by id. */
	teams(): readonly Team[];
	/** All people, by id. */
	people(): readonly Person[];
	/** The team's sprints, by start day then id. */
	sprintsOfTeam(teamId: string): readonly Sprint[];
	/** Sprints (any state) that commit the story or reserve unknown work for it, by id. */
	sprintsPlanningStory(storyId: string): readonly Sprint[];
	/** Sprints that list the work package as known work, by id. */
	sprintsPlanningWorkPackage(workPackageId: string): readonly Sprint[];
	/** Work packages whose originating story is the given one, by id. */
	workPackagesOfStory(storyId: string): readonly WorkPackage[];
	/** Work packages with an escalation hop from or to the given story, by id. */
	workPackagesEscalatingVia(storyId: string): readonly WorkPackage[];
	/** Tasks under the work package, from every team, by id. */
	tasksOfWorkPackage(workPackageId: string): readonly PlacedTask[];
}

/** One rule's check for one kind of subject. */
export interface RuleCheck<K extends ScopeKind = ScopeKind> {
	rule: RuleId;
	scope: K;
	check(subject: ScopeSubjects[K], ctx: RuleContext): Finding[];
}

/** Helper that keeps `scope` and the subject type of `check` in step. */
export function defineCheck<K extends ScopeKind>(check: RuleCheck<K>): RuleCheck<K> {
	return check;
}
