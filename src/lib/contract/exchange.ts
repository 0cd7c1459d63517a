/**
 * What travels when a board is exported, imported, or fed a Jira CSV file: the board export file
 * (docs/schema.md, E1) and the bodies of the exchange endpoints (docs/integrations.md). The
 * server reads every request with these schemas and the page reads every answer with them.
 */
import { z } from 'zod';
import { JiraEpicPlan, JiraNote, JiraPlan, JiraStoryPlan } from '../domain/jira-plan';
import { Id } from '../domain/schema';

export { JiraEpicPlan, JiraNote, JiraPlan, JiraStoryPlan };

// ---------------------------------------------------------------------------------------------
// The board export file (docs/schema.md, E1)

/** The `format` every board export file names, so another JSON file is refused at once. */
export const EXPORT_FORMAT = 'scrumops-board-export';
/** The version of the file format (not of the document contract, which `schemaVersion` names). */
export const EXPORT_VERSION = 1;

/**
 * Largest board export file `POST /api/boards/import` reads, in bytes. A board of 10,000 stories,
 * 2,000 work packages and 20,000 tasks exports to about 11 MiB; the bound leaves room for boards
 * several times that size, and is an option of the server (`importMaxBytes`).
 */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

/** A key of a collection or map in the file: what the document contract accepts as a key. */
const Key = z
	.string()
	.min(1)
	.max(256)
	.refine((key) => key !== '__proto__', 'the key "__proto__" is not allowed');

function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	const proto = Object.getPrototypeOf(value) as unknown;
	return proto === Object.prototype || proto === null;
}

/**
 * One entity as plain JSON: texts as strings, `lines` as arrays of lines, sets as sorted arrays
 * of their members, records as objects, lists as arrays. Its fields are checked against the
 * document contract when they are written (the same bounds as any client's update).
 */
export const ExportedEntity = z.custom<Record<string, unknown>>(isPlainObject, {
	message: 'an entity is a JSON object of its fields'
});
export type ExportedEntity = z.infer<typeof ExportedEntity>;

/** Collection name → entity id → entity. */
export const ExportedCollections = z.record(Key, z.record(Key, ExportedEntity));
export type ExportedCollections = z.infer<typeof ExportedCollections>;

/** The export file of one board; personal documents are never in it (they are private). */
export const BoardExport = z.object({
	format: z.literal(EXPORT_FORMAT, {
		message: `not a board export file: its "format" must be "${EXPORT_FORMAT}"`
	}),
	version: z.literal(EXPORT_VERSION, {
		message: `this server reads board export files of version ${EXPORT_VERSION}; export the board again from a server of this version`
	}),
	/** The document contract version of the board that was exported (docs/schema.md, D10). */
	schemaVersion: z.number().int().min(1),
	exportedAt: z.iso.datetime({ offset: true }),
	/** The person who exported it; whoever imports the file becomes the admin as this person. */
	exportedBy: Id.nullable(),
	board: z.object({
		/** The id of the exported board; an import gets a new one. */
		id: Id,
		meta: ExportedEntity,
		/** The server's record of role-guarded changes (docs/schema.md, D12), carried as is. */
		authorship: z.record(Key, ExportedEntity),
		collections: ExportedCollections
	}),
	/** Team id → that team's document: its collections (`tasks`) and its live standup. */
	teams: z.record(
		Id,
		z.object({
			collections: ExportedCollections,
			standup: z.record(Key, z.unknown())
		})
	),
	/** Stored parts the export could not read (they break the contract), left out of the file. */
	omitted: z.array(z.object({ document: z.string(), key: z.string(), reason: z.string() }))
});
export type BoardExport = z.infer<typeof BoardExport>;

/** `POST /api/boards/import` (201): the new board and its admin's session, as on creation. */
export const BoardImported = z.object({
	boardId: Id,
	personId: Id,
	token: z.string().min(1),
	/** Entities written, per collection. */
	counts: z.record(z.string(), z.number().int().min(0))
});
export type BoardImported = z.infer<typeof BoardImported>;

// ---------------------------------------------------------------------------------------------
// Jira CSV import (docs/integrations.md)

/** Largest Jira CSV file read, in bytes. */
export const MAX_JIRA_CSV_BYTES = 8 * 1024 * 1024;
/** Most data rows a Jira CSV file may have. */
export const MAX_JIRA_ROWS = 5_000;
/** Most columns a Jira CSV file may have (Jira repeats `Sprint`, `Labels`, `Comment`…). */
export const MAX_JIRA_COLUMNS = 1_000;
/** Longest field a Jira CSV file may hold, in characters (a story's text holds 10,000). */
export const MAX_JIRA_FIELD = 10_000;

/** A file the import cannot read: where, and why; nothing is written. */
export const JiraRefusal = z.object({
	error: z.string(),
	code: z.literal('bad-request'),
	line: z.number().int().min(1),
	reason: z.string()
});
export type JiraRefusal = z.infer<typeof JiraRefusal>;

/** The Jira import's request: the CSV text and the team whose estimate story points become. */
export const JiraImportRequest = z.object({
	csv: z
		.string()
		.max(
			MAX_JIRA_CSV_BYTES,
			`the file is over ${MAX_JIRA_CSV_BYTES / 1024 / 1024} MiB; export fewer issues from Jira at a time`
		),
	/** The team whose estimate the story points become, and that the stories are planned for. */
	teamId: Id.nullable()
});
export type JiraImportRequest = z.input<typeof JiraImportRequest>;

/** The preview (`?dryRun=1`) and the import's answer: the plan, and on import what was written. */
export const JiraImportAnswer = z.object({
	plan: JiraPlan,
	written: z
		.object({ epics: z.array(Id), stories: z.array(Id) })
		.nullable()
		.describe('null for a preview')
});
export type JiraImportAnswer = z.infer<typeof JiraImportAnswer>;
