/**
 * How a board lives in Yjs (docs/schema.md is the prose version of this file). A board is one
 * board document plus one document per team; the split follows write scope, so the server can let
 * a team write its own tasks document and nobody else's (R11).
 */
import type { Collection } from '../domain/schema';

/**
 * 2: free text people write together is a Y.Text (the `text` and `lines` kinds). Boards of
 * version 1 are still read, and the server converts them (and what 1.x clients write) at once.
 */
export const SCHEMA_VERSION = 2;

/** Document names, as used in the sync URL `/sync/<name>`. */
export const documentName = {
	board: (boardId: string) => boardId,
	team: (boardId: string, teamId: string) => `${boardId}/team/${teamId}`,
	person: (boardId: string, personId: string) => `${boardId}/person/${personId}`
};

/**
 * Root map of a personal document: notice id → the instant this person dismissed it, on any of
 * their devices (docs/schema.md, D18).
 */
export const DISMISSED_KEY = 'dismissed';
/** Root map of a personal document with plain values: `since`, their first visit anywhere. */
export const INBOX_KEY = 'inbox';

/** Root map of the board settings (`Board` without being a collection). */
export const META_KEY = 'meta';
/** Root key the server owns for published findings; clients never write it. */
export const FINDINGS_KEY = 'findings';
/** The keys the server writes under `findings`: the findings as plain JSON, and when. */
export const FINDINGS_FIELDS = { list: 'list', updatedAt: 'updatedAt' } as const;
/**
 * Root Y.Map the server owns for role-guarded changes: authorship key → GuardedChange, a plain
 * JSON object (src/lib/domain/authorship.ts). Clients never write it; rule A1 reads it.
 */
export const AUTHORSHIP_KEY = 'authorship';

/** Root map of a team document holding the team's live standup (domain/standup.ts). */
export const STANDUP_KEY = 'standup';

/**
 * Root map of a team document holding the team's live retrospective, plain values
 * (domain/retrospective.ts; docs/schema.md D19, since 2.5).
 */
export const RETRO_KEY = 'retrospective';
/**
 * Root map of retrospective cards, card id → Y.Map of plain values: in a team document the
 * cards revealed to the team; in a personal document the person's cards while the team writes,
 * which only their own connections receive (D18, D19).
 */
export const RETRO_CARDS_KEY = 'retroCards';
/** Root record of a team document: person id → their votes in the retrospective (D19). */
export const RETRO_VOTES_KEY = 'retroVotes';

/** Collections kept in each team's document; every other collection is in the board document. */
export const TEAM_COLLECTIONS = ['tasks'] as const satisfies readonly Collection[];
export type TeamCollection = (typeof TEAM_COLLECTIONS)[number];
export type BoardCollection = Exclude<Collection, TeamCollection>;
export const BOARD_COLLECTIONS = [
	'people',
	'teams',
	'epics',
	'stories',
	'workPackages',
	'templates',
	'sprints',
	'standups',
	'standupSummaries',
	'impediments',
	'retro',
	'comments',
	'incidentReviews',
	'observations',
	'doneCriteria',
	'doneChecklists'
] as const satisfies readonly BoardCollection[];

/**
 * How one field is stored inside an entity's Y.Map. Anything not listed is a `value`: a JSON
 * primitive (string, number, boolean or null) under the field's name, last writer wins.
 * - `set`: a nested Y.Map whose keys are the members (value `true`, or a timestamp); concurrent
 *   adds of different members both survive, which is how conflicts become visible to the rules.
 * - `record`: a nested Y.Map from key to a JSON value (points, a review); keys merge independently.
 * - `list`: a nested Y.Array of JSON values.
 * - `mapList`: a nested Y.Array of Y.Maps, for append-only histories whose entries are edited later.
 * - `text`: a nested Y.Text, so people typing into the same field at once merge character by
 *   character. Read as a string.
 * - `lines`: a nested Y.Text holding one item per line, read as the list of its non-blank lines.
 */
export type FieldKind = 'set' | 'record' | 'list' | 'mapList' | 'text' | 'lines';

/** The kinds stored as a Y.Text. */
export function isTextKind(kind: FieldKind | undefined): kind is 'text' | 'lines' {
	return kind === 'text' || kind === 'lines';
}

export const FIELD_KINDS: { [C in Collection | 'meta']: Readonly<Record<string, FieldKind>> } = {
	meta: { operationalGoals: 'list', slaPolicy: 'record', vision: 'text' },
	people: { roles: 'set' },
	teams: { memberIds: 'set', memberSince: 'record' },
	epics: { description: 'text' },
	stories: {
		asA: 'text',
		iWant: 'text',
		soThat: 'text',
		successMeasure: 'text',
		acceptanceCriteria: 'lines',
		productOwnerIds: 'set',
		teamIds: 'set',
		escalationTargetIds: 'set',
		estimates: 'record',
		proposals: 'record'
	},
	workPackages: {
		swarm: 'set',
		escalations: 'mapList',
		timeline: 'mapList',
		description: 'text',
		statusUpdates: 'mapList'
	},
	tasks: {},
	templates: { tasks: 'list', changeRequests: 'mapList' },
	sprints: {
		commitments: 'record',
		knownWork: 'record',
		reserved: 'record',
		reviews: 'record',
		goal: 'text'
	},
	standups: { done: 'text', next: 'text', impediments: 'text' },
	standupSummaries: {
		speakerIds: 'list',
		asyncIds: 'list',
		absentIds: 'list',
		skippedIds: 'list',
		incidentIds: 'list'
	},
	impediments: { affectedTeamIds: 'set', description: 'text' },
	retro: { text: 'text' },
	comments: { mentions: 'set' },
	incidentReviews: {
		summary: 'text',
		impact: 'text',
		timeline: 'mapList',
		contributingFactors: 'text',
		wentWell: 'text',
		actionItems: 'mapList'
	},
	observations: {},
	doneCriteria: {},
	doneChecklists: { ticks: 'record', acceptedAgainst: 'list' }
};

/** Who made a transaction. Hooks use it to tell local edits, remote ones and repairs apart. */
export const ORIGIN_KINDS = ['local', 'remote', 'persistence', 'server-repair'] as const;
export type OriginKind = (typeof ORIGIN_KINDS)[number];

export interface TransactionOrigin {
	kind: OriginKind;
	/** The person on whose behalf the change was made, when known. */
	actorId: string | null;
	/** The user intent, e.g. 'commitStory'; for logs and the audit trail. */
	intent: string;
}

/** Where a local write was made: the view, for its own undo history, and which write it was. */
export interface EditScope {
	/** The view the person wrote in (`backlog`, `planning`…); each has its own undo history. */
	readonly view: string;
	/** Counts the person's writes, so the transactions of one write undo together. */
	readonly write: number;
}

/**
 * The origin of a person's own edit on this replica. A class, so that `Y.UndoManager` tracks
 * local writes by their constructor; remote, persistence and server-repair origins are plain
 * objects (or the relay's peers) it never tracks, so undo never reverts someone else's edit.
 */
export class LocalEdit implements TransactionOrigin {
	readonly kind = 'local' as const;
	readonly actorId: string | null;
	readonly intent: string;
	/** Set for writes made in a view; absent for seeding, scripts and tests. */
	readonly scope?: EditScope;

	constructor(actorId: string | null, intent: string, scope?: EditScope) {
		this.actorId = actorId;
		this.intent = intent;
		if (scope) this.scope = scope;
	}
}
