/**
 * Moving a board in and out as one file (docs/integrations.md, "Export, import and Jira CSV"):
 * the admin exports the whole board; anyone may import such a file as a new board, whose admin
 * they become; the admin imports a Jira CSV file into the backlog. Files are bounded and read with
 * the contract's schemas where they enter; nothing is written until the whole file is accepted.
 */
import type http from 'node:http';
import * as Y from 'yjs';
import { z } from 'zod';
import { PersonName } from '../src/lib/contract/http';
import { BoardExport, BoardImported, MAX_IMPORT_BYTES } from '../src/lib/contract/exchange';
import { Id, Person, Role } from '../src/lib/domain/schema';
import { BoardDocs } from '../src/lib/sync/board-docs';
import { buildImport, exportBoard, ImportRefusal } from '../src/lib/sync/board-file';
import { documentName, LocalEdit, META_KEY } from '../src/lib/sync/layout';
import { addPerson, liveContext } from '../src/lib/sync/operations';
import type { ShapeLimits } from '../src/lib/sync/shape/contract';
import type { AccessControl } from './auth/access';
import { authenticateAdmin, boardIdOf, newId, noBoard, parse } from './auth/api';
import { HttpError, readJsonBody, sendJson, type Route } from './http';
import type { RoomRegistry } from './relay/registry';
import type { Room } from './relay/room';
import { jiraRoutes } from './jira-api';

export interface ExchangeApiOptions {
	access: AccessControl;
	registry: RoomRegistry;
	sessionTtlSeconds: number;
	limits: ShapeLimits;
	/** Largest board export file an import reads, bytes (default MAX_IMPORT_BYTES). */
	importMaxBytes?: number;
	now?: () => number;
}

export function exchangeRoutes(options: ExchangeApiOptions): Route[] {
	const { access, registry } = options;
	const now = options.now ?? Date.now;
	return [
		{
			method: 'GET',
			path: /^\/api\/boards\/([^/]+)\/export$/,
			async handle(req, res, [rawId]) {
				const boardId = boardIdOf(rawId);
				const admin = await authenticateAdmin(access, req, boardId);
				const file = await withBoard(options, boardId, (docs) =>
					exportBoard(docs, { exportedBy: admin.personId, now: now() })
				);
				if (file === null) throw noBoard(boardId);
				const payload = JSON.stringify(file);
				const day = new Date(now()).toISOString().slice(0, 10);
				res.writeHead(200, {
					'content-type': 'application/json; charset=utf-8',
					'content-length': Buffer.byteLength(payload),
					'content-disposition': `attachment; filename="board-${boardId}-${day}.json"`,
					'cache-control': 'no-store'
				});
				res.end(payload);
			}
		},
		{
			method: 'POST',
			path: /^\/api\/boards\/import$/,
			async handle(req, res) {
				const maxBytes = options.importMaxBytes ?? MAX_IMPORT_BYTES;
				const file = parseFile(await readJsonBody(req, maxBytes));
				const boardId = newId();
				let built;
				try {
					built = buildImport(file, boardId, options.limits);
				} catch (error) {
					if (error instanceof ImportRefusal) {
						throw new HttpError(
							400,
							`The board file cannot be imported: ${error.message}. Nothing was created.`,
							'bad-request'
						);
					}
					throw error;
				}
				const admin = importer(file, adminNameOf(req));
				const name = String(built.board.getMap(META_KEY).get('name') ?? '').trim();
				const created = await access.members.createBoard({
					id: boardId,
					name: name.slice(0, 120) || 'Imported board',
					createdAt: now()
				});
				if (!created) {
					throw new HttpError(409, 'That board id is taken; try again.', 'board-id-taken');
				}
				const identity = { boardId, admin: true, ...admin.member };
				await access.members.putMember({ ...identity, joinedAt: now() });
				const origin = new LocalEdit(identity.personId, 'importBoard');
				// Team documents first: once the board document names its teams, their tasks are there.
				for (const [teamId, doc] of built.teams) {
					await writeDocument(registry, documentName.team(boardId, teamId), doc, origin);
				}
				await writeDocument(registry, documentName.board(boardId), built.board, origin);
				if (admin.added) {
					await withRoom(registry, documentName.board(boardId), (room) => {
						addPerson(new BoardDocs(boardId, room.doc), liveContext(identity.personId, now), {
							id: identity.personId,
							name: identity.name,
							roles: [...identity.roles]
						});
					});
				}
				const token = await access.tokens.issueSession(identity, options.sessionTtlSeconds);
				sendJson(res, 201, {
					boardId,
					personId: identity.personId,
					token,
					counts: built.counts
				} satisfies z.input<typeof BoardImported>);
			}
		},
		...jiraRoutes({ access, registry, now })
	];
}

function parseFile(body: unknown): BoardExport {
	const result = BoardExport.safeParse(body);
	if (result.success) return result.data;
	const issue = result.error.issues[0]!;
	const where = issue.path.join('.');
	throw new HttpError(
		400,
		`The board file cannot be imported: ${where ? `${where}: ` : ''}${issue.message}. Nothing was created.`,
		'bad-request'
	);
}

/** `?adminName=`: the importer's name when the file's exporter is not one of its people. */
function adminNameOf(req: http.IncomingMessage): string | null {
	const raw = new URLSearchParams(req.url?.split('?')[1] ?? '').get('adminName');
	return raw === null ? null : parse(PersonName, raw);
}

/**
 * Who the importer becomes on the new board. The person who exported the file, when the file
 * holds them: the importer is their member, with their roles and teams, and admin. Otherwise a
 * new person named `adminName`, Product Owner and Scrum Master, as on creating a board.
 */
function importer(
	file: BoardExport,
	adminName: string | null
): {
	member: { personId: string; name: string; teams: string[]; roles: Role[] };
	added: boolean;
} {
	const exporter = file.exportedBy;
	const stored = exporter === null ? undefined : file.board.collections.people?.[exporter];
	const person = Person.safeParse(stored);
	if (exporter !== null && person.success) {
		const teams = Object.entries(file.board.collections.teams ?? {})
			.filter(([, team]) => Array.isArray(team.memberIds) && team.memberIds.includes(exporter))
			.map(([teamId]) => teamId)
			.filter((teamId) => Id.safeParse(teamId).success);
		const name = PersonName.safeParse(person.data.name);
		return {
			member: {
				personId: exporter,
				name: name.success ? name.data : 'Admin',
				teams,
				roles: [...person.data.roles]
			},
			added: false
		};
	}
	if (adminName === null) {
		throw new HttpError(
			400,
			'The board file does not say who exported it: add ?adminName=<your name> to import it as a new person who is its admin.',
			'bad-request'
		);
	}
	return {
		member: {
			personId: newId(),
			name: adminName,
			teams: [],
			roles: ['product-owner', 'scrum-master']
		},
		added: true
	};
}

/** Applies everything `source` holds to the stored document `name`, and waits until it is stored. */
async function writeDocument(
	registry: RoomRegistry,
	name: string,
	source: Y.Doc,
	origin: LocalEdit
): Promise<void> {
	await withRoom(registry, name, (room) => {
		Y.applyUpdate(room.doc, Y.encodeStateAsUpdate(source), origin);
	});
}

async function withRoom(
	registry: RoomRegistry,
	name: string,
	write: (room: Room) => void
): Promise<void> {
	const room = registry.acquire(name);
	const release = room.hold();
	try {
		await room.loaded;
		write(room);
		await room.flush();
	} finally {
		release();
	}
}

/**
 * Runs `read` on the board's documents, its team documents loaded and held meanwhile. Null when
 * there is no such board.
 */
export async function withBoard<T>(
	options: Pick<ExchangeApiOptions, 'registry'>,
	boardId: string,
	read: (docs: BoardDocs) => T
): Promise<T | null> {
	const releases: (() => void)[] = [];
	const rooms: Room[] = [];
	try {
		const board = options.registry.acquire(documentName.board(boardId));
		releases.push(board.hold());
		await board.loaded;
		if (board.doc.getMap(META_KEY).size === 0) return null;
		const docs = new BoardDocs(boardId, board.doc, (teamId) => {
			const room = options.registry.acquire(documentName.team(boardId, teamId));
			releases.push(room.hold());
			rooms.push(room);
			return room.doc;
		});
		docs.openTeamDocs();
		await Promise.all(rooms.map((room) => room.loaded));
		return read(docs);
	} finally {
		for (const release of releases) release();
	}
}
