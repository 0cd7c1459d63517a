/**
 * How a board lives in Yjs (docs/schema.md is the prose version of this file). A board is one
 * board document plus one document per team; the split follows write scope, so the server can let
 * a team write its own tasks document and nobody else's (R11).
 */
import type { Collection } from '../domain/schema';

export const SCHEMA_VERSION = 1;

/** Document names, as used in the sync URL `/sync/<name>`. */
export const documentName = {
	board: (boardId: string) => boardId,
	team: (boardId: string, teamId: string) => `${boardId}/team/${teamId}`
};

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
	'impediments',
	'retro',
	'comments'
] as const satisfies readonly BoardCollection[];

/**
 * How one field is stored inside an entity's Y.Map. Anything not listed is a `value`: a JSON
 * primitive (string, number, boolean or null) under the field's name, last writer wins.
 * - `set`: a nested Y.Map whose keys are the members (value `true`, or a timestamp); concurrent
 *   adds of different members both survive, which is how conflicts become visible to the rules.
 * - `record`: a nested Y.Map from key to a JSON value (points, a review); keys merge independently.
 * - `list`: a nested Y.Array of JSON values.
 * - `mapList`: a nested Y.Array of Y.Maps, for append-only histories whose entries are edited later.
 */
export type FieldKind = 'set' | 'record' | 'list' | 'mapList';

export const FIELD_KINDS: { [C in Collection | 'meta']: Readonly<Record<string, FieldKind>> } = {
	meta: { operationalGoals: 'list', slaPolicy: 'record' },
	people: { roles: 'set' },
	teams: { memberIds: 'set' },
	epics: {},
	stories: {
		acceptanceCriteria: 'list',
		productOwnerIds: 'set',
		teamIds: 'set',
		escalationTargetIds: 'set',
		estimates: 'record'
	},
	workPackages: { swarm: 'set', escalations: 'mapList', timeline: 'mapList' },
	tasks: {},
	templates: { tasks: 'list' },
	sprints: { commitments: 'record', knownWork: 'record', reserved: 'record', reviews: 'record' },
	standups: {},
	impediments: { affectedTeamIds: 'set' },
	retro: {},
	comments: { mentions: 'set' }
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
