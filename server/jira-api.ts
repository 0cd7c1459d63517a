/**
 * `POST /api/boards/:id/import/jira`: the admin imports a Jira Cloud CSV export into the board's
 * backlog. `?dryRun=1` answers the plan only (the preview); without it the same plan is written in
 * one transaction of the board document. A file the reader cannot read is refused with its line.
 */
import type http from 'node:http';
import type { z } from 'zod';
import {
	JiraImportAnswer,
	JiraImportRequest,
	MAX_JIRA_CSV_BYTES,
	type JiraRefusal
} from '../src/lib/contract/exchange';
import { timeZoneOf } from '../src/lib/domain/days';
import { Board } from '../src/lib/domain/schema';
import { BoardDocs } from '../src/lib/sync/board-docs';
import { readEntity } from '../src/lib/sync/codec';
import { documentName, FIELD_KINDS, META_KEY } from '../src/lib/sync/layout';
import { importJiraPlan, JiraLineRefused, liveContext } from '../src/lib/sync/operations';
import type { AccessControl } from './auth/access';
import { authenticateAdmin, boardIdOf, noBoard, parse } from './auth/api';
import { HttpError, readJsonBody, sendJson, type Route } from './http';
import { jiraPlanOf } from './jira-csv';
import type { RoomRegistry } from './relay/registry';

/**
 * Largest request body: the CSV text as a JSON string, where quotes and line breaks are escaped
 * (a CSV of quoted multi-line fields grows by about a fifth; twice the file bound is ample).
 */
const MAX_BODY_BYTES = 2 * MAX_JIRA_CSV_BYTES + 4096;

export function jiraRoutes(options: {
	access: AccessControl;
	registry: RoomRegistry;
	now: () => number;
}): Route[] {
	const { access, registry, now } = options;
	return [
		{
			method: 'POST',
			path: /^\/api\/boards\/([^/]+)\/import\/jira$/,
			async handle(req, res, [rawId]) {
				const boardId = boardIdOf(rawId);
				const admin = await authenticateAdmin(access, req, boardId);
				const body = parse(JiraImportRequest, await readJsonBody(req, MAX_BODY_BYTES));
				const dryRun = isDryRun(req);
				const room = registry.acquire(documentName.board(boardId));
				const release = room.hold();
				try {
					await room.loaded;
					const meta = room.doc.getMap(META_KEY);
					if (meta.size === 0) throw noBoard(boardId);
					const docs = new BoardDocs(boardId, room.doc);
					if (body.teamId !== null && !docs.collection('teams').has(body.teamId)) {
						throw new HttpError(
							400,
							`The board has no team "${body.teamId}"; choose one of its teams.`,
							'bad-request'
						);
					}
					const board = Board.safeParse(safeRead(meta));
					const plan = jiraPlanOf(body.csv, {
						timeZone: timeZoneOf(board.success ? board.data : null),
						withTeam: body.teamId !== null
					});
					if ('reason' in plan) {
						refuse(res, plan.line, plan.reason);
						return;
					}
					if (dryRun) {
						sendJson(res, 200, { plan, written: null } satisfies z.input<typeof JiraImportAnswer>);
						return;
					}
					let written;
					try {
						written = importJiraPlan(docs, liveContext(admin.personId, now), plan, body.teamId);
					} catch (error) {
						if (error instanceof JiraLineRefused) {
							refuse(res, error.line, error.reason);
							return;
						}
						throw error;
					}
					await room.flush();
					sendJson(res, 201, { plan, written } satisfies z.input<typeof JiraImportAnswer>);
				} finally {
					release();
				}
			}
		}
	];
}

function isDryRun(req: http.IncomingMessage): boolean {
	const value = new URLSearchParams(req.url?.split('?')[1] ?? '').get('dryRun');
	return value === '1' || value === 'true';
}

function safeRead(meta: Parameters<typeof readEntity>[0]): unknown {
	try {
		return readEntity(meta, FIELD_KINDS.meta);
	} catch {
		return null;
	}
}

/** 400 with the line and the reason: the file cannot be imported, and nothing was written. */
function refuse(res: http.ServerResponse, line: number, reason: string): void {
	sendJson(res, 400, {
		error: `The file cannot be imported: line ${line}: ${reason}. Nothing was imported.`,
		code: 'bad-request',
		line,
		reason
	} satisfies JiraRefusal);
}
