/**
 * A whole board as one JSON file and back (docs/schema.md, E1). Generic over the layout: every
 * collection of BOARD_COLLECTIONS and TEAM_COLLECTIONS is carried field by field through the
 * codec and FIELD_KINDS, so a collection or field added to the layout travels without an edit
 * here. Personal documents are never read: they are private to their person.
 */
import * as Y from 'yjs';
import {
	EXPORT_FORMAT,
	EXPORT_VERSION,
	type BoardExport,
	type ExportedCollections
} from '../contract/exchange';
import {
	EncodingError,
	entityToYMap,
	readEntity,
	readValues,
	writeFields,
	type FieldKinds
} from './codec';
import type { Collection } from '../domain/schema';
import type { BoardDocs } from './board-docs';
import {
	AUTHORSHIP_KEY,
	BOARD_COLLECTIONS,
	FIELD_KINDS,
	META_KEY,
	SCHEMA_VERSION,
	STANDUP_KEY,
	TEAM_COLLECTIONS,
	documentName,
	type FieldKind,
	type TransactionOrigin
} from './layout';
import { DEFAULT_SHAPE_LIMITS, describeViolation, type ShapeLimits } from './shape/contract';
import { inspectDocument } from './shape/inspect';

/** The board's documents as an export file. Team documents must be open (`openTeamDocs`). */
export function exportBoard(
	docs: BoardDocs,
	options: { exportedBy: string | null; now: number }
): BoardExport {
	const omitted: BoardExport['omitted'] = [];
	const boardName = documentName.board(docs.boardId);
	const read = (document: string, key: string, map: Y.Map<unknown>, kinds: FieldKinds) => {
		try {
			return readEntity(map, kinds);
		} catch (error) {
			if (!(error instanceof EncodingError)) throw error;
			omitted.push({ document, key, reason: error.message });
			return null;
		}
	};
	const collectionsOf = (doc: Y.Doc, names: readonly Collection[], document: string) => {
		const out: ExportedCollections = {};
		for (const name of names) {
			const entities: Record<string, Record<string, unknown>> = {};
			doc.getMap<unknown>(name).forEach((value, id) => {
				const entity =
					value instanceof Y.Map ? read(document, `${name}/${id}`, value, FIELD_KINDS[name]) : null;
				if (entity) entities[id] = entity;
				else if (!(value instanceof Y.Map)) {
					omitted.push({ document, key: `${name}/${id}`, reason: 'is not an entity map' });
				}
			});
			out[name] = entities;
		}
		return out;
	};
	const authorship: Record<string, Record<string, unknown>> = {};
	docs.authorship().forEach((value, key) => {
		if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
			authorship[key] = value as Record<string, unknown>;
		}
	});
	const teams: BoardExport['teams'] = {};
	for (const teamId of [...docs.collection('teams').keys()].sort()) {
		const doc = docs.team(teamId);
		const document = documentName.team(docs.boardId, teamId);
		let standup: Record<string, unknown> = {};
		try {
			standup = readValues(doc.getMap(STANDUP_KEY));
		} catch (error) {
			if (!(error instanceof EncodingError)) throw error;
			omitted.push({ document, key: STANDUP_KEY, reason: error.message });
		}
		teams[teamId] = { collections: collectionsOf(doc, TEAM_COLLECTIONS, document), standup };
	}
	return {
		format: EXPORT_FORMAT,
		version: EXPORT_VERSION,
		schemaVersion: SCHEMA_VERSION,
		exportedAt: new Date(options.now).toISOString(),
		exportedBy: options.exportedBy,
		board: {
			id: docs.boardId,
			meta: read(boardName, META_KEY, docs.meta(), FIELD_KINDS.meta) ?? {},
			authorship,
			collections: collectionsOf(docs.board, BOARD_COLLECTIONS, boardName)
		},
		teams,
		omitted
	};
}

/** Why an export file cannot be imported: the part of the file, and what is wrong with it. */
export class ImportRefusal extends Error {
	override readonly name = 'ImportRefusal';
	constructor(
		readonly path: string,
		readonly problem: string
	) {
		super(`${path}: ${problem}`);
	}
}

/** The documents an import writes, built apart from any live board, and what they hold. */
export interface ImportedDocuments {
	board: Y.Doc;
	/** Team id → its team document. */
	teams: Map<string, Y.Doc>;
	/** Entities per collection. */
	counts: Record<string, number>;
}

const IMPORT_ORIGIN: TransactionOrigin = { kind: 'server-repair', actorId: null, intent: 'import' };

/**
 * Fresh documents holding what `file` holds, for a board of id `boardId`: every entity written
 * with the codec, `meta` with the new id. Refuses, naming the part, a collection this layout does
 * not have, a team document of a team the file does not list, and anything that breaks the
 * document contract within `limits` (the bounds any client's update is held to).
 */
export function buildImport(
	file: BoardExport,
	boardId: string,
	limits: ShapeLimits = DEFAULT_SHAPE_LIMITS
): ImportedDocuments {
	const counts: Record<string, number> = {};
	const board = new Y.Doc();
	board.transact(() => {
		writeFields(board.getMap(META_KEY), { ...file.board.meta, id: boardId }, FIELD_KINDS.meta);
		const authorship = board.getMap(AUTHORSHIP_KEY);
		for (const [key, change] of Object.entries(file.board.authorship)) authorship.set(key, change);
		writeCollections(board, file.board.collections, BOARD_COLLECTIONS, 'board', counts);
	}, IMPORT_ORIGIN);
	const teamIds = new Set(Object.keys(file.board.collections.teams ?? {}));
	const teams = new Map<string, Y.Doc>();
	for (const [teamId, content] of Object.entries(file.teams)) {
		if (!teamIds.has(teamId)) {
			throw new ImportRefusal(
				`teams/${teamId}`,
				'a team document of a team the board does not have; export the board again'
			);
		}
		const doc = new Y.Doc();
		doc.transact(() => {
			writeCollections(doc, content.collections, TEAM_COLLECTIONS, `teams/${teamId}`, counts);
			const standup = doc.getMap(STANDUP_KEY);
			for (const [key, value] of Object.entries(content.standup)) standup.set(key, value);
		}, IMPORT_ORIGIN);
		teams.set(teamId, doc);
	}
	refuseBroken(board, 'board', 'board', limits);
	for (const [teamId, doc] of teams) refuseBroken(doc, 'team', `teams/${teamId}`, limits);
	return { board, teams, counts };
}

function writeCollections(
	doc: Y.Doc,
	collections: ExportedCollections,
	known: readonly string[],
	where: string,
	counts: Record<string, number>
): void {
	for (const [name, entities] of Object.entries(collections)) {
		if (!known.includes(name)) {
			throw new ImportRefusal(
				`${where}/${name}`,
				`this server has no collection "${name}" in that document; import the file on a server of the version that exported it`
			);
		}
		const kinds = FIELD_KINDS[name as keyof typeof FIELD_KINDS];
		const map = doc.getMap<Y.Map<unknown>>(name);
		for (const [id, entity] of Object.entries(entities)) {
			for (const [field, value] of Object.entries(entity)) {
				const kind = kinds[field];
				if (kind && !fitsKind(value, kind)) {
					throw new ImportRefusal(
						`${where}/${name}/${id}/${field}`,
						`a ${kind} field is written as ${SHAPES[kind]} (docs/schema.md, E1); this one is not`
					);
				}
			}
			map.set(id, entityToYMap(entity, kinds));
		}
		counts[name] = (counts[name] ?? 0) + Object.keys(entities).length;
	}
}

/** The JSON each field kind is exported as. */
const SHAPES: Readonly<Record<FieldKind, string>> = {
	set: 'an array of strings',
	record: 'an object',
	list: 'an array',
	mapList: 'an array of objects',
	text: 'a string',
	lines: 'an array of strings'
};

function fitsKind(value: unknown, kind: FieldKind): boolean {
	const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
	switch (kind) {
		case 'text':
			return typeof value === 'string';
		case 'set':
		case 'lines':
			return Array.isArray(value) && value.every((item) => typeof item === 'string');
		case 'record':
			return isObject(value);
		case 'list':
			return Array.isArray(value);
		case 'mapList':
			return Array.isArray(value) && value.every(isObject);
	}
}

function refuseBroken(
	doc: Y.Doc,
	kind: 'board' | 'team',
	where: string,
	limits: ShapeLimits
): void {
	const violation = inspectDocument(doc, kind, limits)[0];
	if (violation) {
		const path = violation.path.replace(/^\//, '');
		throw new ImportRefusal(`${where}/${path}`, describeViolation({ ...violation, path: '' }));
	}
}
