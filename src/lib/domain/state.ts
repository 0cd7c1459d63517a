/**
 * The plain, validated state of one board: what the rules read. The sync layer builds it from the
 * board document and the team documents; tests build it directly.
 */
import type { GuardedChange } from './authorship';
import type {
	Board,
	Comment,
	DoneChecklist,
	DoneCriterion,
	Epic,
	Impediment,
	IncidentReview,
	Observation,
	Person,
	RetroItem,
	Sprint,
	StandupEntry,
	StandupSummary,
	Story,
	Task,
	Team,
	Template,
	WorkPackage
} from './schema';

/** A task together with the team document it lives in: R11 compares the two. */
export interface PlacedTask extends Task {
	homeTeamId: string;
}

export interface BoardState {
	board: Board | null;
	people: ReadonlyMap<string, Person>;
	teams: ReadonlyMap<string, Team>;
	epics: ReadonlyMap<string, Epic>;
	stories: ReadonlyMap<string, Story>;
	workPackages: ReadonlyMap<string, WorkPackage>;
	tasks: ReadonlyMap<string, PlacedTask>;
	templates: ReadonlyMap<string, Template>;
	sprints: ReadonlyMap<string, Sprint>;
	standups: ReadonlyMap<string, StandupEntry>;
	/** What stays of each ended Daily Standup (absent collection: none). */
	standupSummaries: ReadonlyMap<string, StandupSummary>;
	impediments: ReadonlyMap<string, Impediment>;
	retro: ReadonlyMap<string, RetroItem>;
	/** Comments on stories and work packages (absent collection: none). */
	comments: ReadonlyMap<string, Comment>;
	/** Post-incident reviews, by their work package's id (absent collection: none). */
	incidentReviews: ReadonlyMap<string, IncidentReview>;
	/** Readings of stories' success measures (absent collection: none). */
	observations: ReadonlyMap<string, Observation>;
	/** The Definition of Done's criteria (absent collection: none). */
	doneCriteria: ReadonlyMap<string, DoneCriterion>;
	/** Stories' Definition of Done checklists, by story id (absent collection: none). */
	doneChecklists: ReadonlyMap<string, DoneChecklist>;
	/** The last change of each role-guarded field, by authorship key (`stories/s-42/duration`). */
	roleChanges: ReadonlyMap<string, GuardedChange>;
}

/** An empty board state, e.g. before the first sync. */
export function emptyBoardState(): BoardState {
	return {
		board: null,
		people: new Map(),
		teams: new Map(),
		epics: new Map(),
		stories: new Map(),
		workPackages: new Map(),
		tasks: new Map(),
		templates: new Map(),
		sprints: new Map(),
		standups: new Map(),
		standupSummaries: new Map(),
		impediments: new Map(),
		retro: new Map(),
		comments: new Map(),
		incidentReviews: new Map(),
		observations: new Map(),
		doneCriteria: new Map(),
		doneChecklists: new Map(),
		roleChanges: new Map()
	};
}
