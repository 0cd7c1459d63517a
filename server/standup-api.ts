/**
 * The standup over HTTP: a member who cannot attend today's Daily Standup leaves their update
 * (done, next, impediments) from a script or a chat bot. It is written server-side in the board's
 * room through the same operation the board's form uses, so it is stored and relayed like any
 * edit, and the round reads it out in the person's turn.
 */
import type { z } from 'zod';
import { StandupUpdateCreated, StandupUpdateRequest } from '../src/lib/contract/http';
import { ScrumOpsError } from '../src/lib/domain/errors';
import type { StandupEntry } from '../src/lib/domain/schema';
import { BoardDocs } from '../src/lib/sync/board-docs';
import { documentName, META_KEY } from '../src/lib/sync/layout';
import { leaveStandupUpdate, liveContext } from '../src/lib/sync/operations';
import type { AccessControl } from './auth/access';
import { authenticate, boardIdOf, noBoard, parse } from './auth/api';
import { HttpError, readJsonBody, sendJson, type Route } from './http';
import type { RoomRegistry } from './relay/registry';

export interface StandupApiOptions {
	access: AccessControl;
	registry: RoomRegistry;
	/** The server's clock: which day the update is for. */
	now?: () => number;
}

export function standupRoutes(options: StandupApiOptions): Route[] {
	const { access, registry } = options;
	const now = options.now ?? Date.now;
	return [
		{
			method: 'POST',
			path: /^\/api\/boards\/([^/]+)\/standup-updates$/,
			async handle(req, res, [rawId]) {
				const boardId = boardIdOf(rawId);
				const identity = await authenticate(access, req, boardId);
				const body = parse(StandupUpdateRequest, await readJsonBody(req));
				if (!identity.teams.includes(body.teamId)) {
					throw new HttpError(
						403,
						`You are not a member of team "${body.teamId}": only its members leave updates for its standup.`,
						'not-team-member'
					);
				}
				const room = registry.acquire(documentName.board(boardId));
				const release = room.hold();
				let entry: StandupEntry;
				try {
					await room.loaded;
					if (room.doc.getMap(META_KEY).size === 0) throw noBoard(boardId);
					const docs = new BoardDocs(boardId, room.doc);
					if (!docs.collection('teams').has(body.teamId)) {
						throw new HttpError(
							404,
							`The board has no team "${body.teamId}"; check the team id.`,
							'not-found'
						);
					}
					try {
						entry = leaveStandupUpdate(docs, liveContext(identity.personId, now), {
							teamId: body.teamId,
							personId: identity.personId,
							done: body.done,
							next: body.next,
							impediments: body.impediments
						});
					} catch (error) {
						// The board refused it (the team's record disagrees, a stored part is damaged).
						if (error instanceof ScrumOpsError) {
							throw new HttpError(400, error.message, 'bad-request');
						}
						throw error;
					}
					await room.flush();
				} finally {
					release();
				}
				sendJson(res, 201, entry satisfies z.input<typeof StandupUpdateCreated>);
			}
		}
	];
}
