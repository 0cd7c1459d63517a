/**
 * The admin's alert integrations: create one (its token is answered once and stored hashed),
 * list the working ones without their tokens, revoke one. Alertmanager then posts to the
 * intake (alert-intake.ts) with the token.
 */
import type { z } from 'zod';
import {
	IntegrationCreated,
	IntegrationRequest,
	type Integrations
} from '../../src/lib/contract/alerts';
import type { AlertRouting } from '../../src/lib/domain/alerts';
import { BoardDocs } from '../../src/lib/sync/board-docs';
import { documentName, META_KEY } from '../../src/lib/sync/layout';
import type { AccessControl } from '../auth/access';
import { authenticateAdmin, boardIdOf, idOf, limitOf, newId, noBoard, parse } from '../auth/api';
import { HttpError, readJsonBody, sendJson, type Route } from '../http';
import type { RoomRegistry } from '../relay/registry';
import type { IntegrationStore } from '../store/integrations';
import { issueIntegrationToken } from './integration-tokens';

export interface IntegrationsApiOptions {
	access: AccessControl;
	registry: RoomRegistry;
	integrations: IntegrationStore;
	now?: () => number;
}

const BOARD_PATH = String.raw`\/api\/boards\/([^/]+)`;

/** Where Alertmanager posts a board's alerts, relative to the site. */
export function alertsPath(boardId: string): string {
	return `/api/boards/${encodeURIComponent(boardId)}/alerts`;
}

export function integrationRoutes(options: IntegrationsApiOptions): Route[] {
	const { access, registry, integrations } = options;
	const now = options.now ?? Date.now;
	return [
		{
			method: 'POST',
			path: new RegExp(`^${BOARD_PATH}\\/integrations$`),
			async handle(req, res, [rawId]) {
				const boardId = boardIdOf(rawId);
				const admin = await authenticateAdmin(access, req, boardId);
				const { name, ...routing } = parse(IntegrationRequest, await readJsonBody(req));
				await requireStories(registry, boardId, routing);
				const id = newId();
				const { token, tokenHash } = issueIntegrationToken(id);
				await integrations.putIntegration({
					boardId,
					id,
					name,
					tokenHash,
					routing,
					createdBy: admin.personId,
					createdAt: now()
				});
				sendJson(res, 201, {
					id,
					token,
					url: alertsPath(boardId)
				} satisfies z.input<typeof IntegrationCreated>);
			}
		},
		{
			method: 'GET',
			path: new RegExp(`^${BOARD_PATH}\\/integrations$`),
			async handle(req, res, [rawId]) {
				const boardId = boardIdOf(rawId);
				await authenticateAdmin(access, req, boardId);
				const limit = limitOf(req.url, { fallback: 100, max: 500 });
				const [open, members] = await Promise.all([
					integrations.openIntegrations(boardId, limit),
					access.members.members(boardId)
				]);
				const names = new Map(members.map((member) => [member.personId, member.name]));
				sendJson(
					res,
					200,
					open.map((integration) => ({
						id: integration.id,
						name: integration.name,
						routing: integration.routing,
						createdBy: names.get(integration.createdBy) ?? null,
						createdAt: new Date(integration.createdAt).toISOString()
					})) satisfies z.input<typeof Integrations>
				);
			}
		},
		{
			method: 'DELETE',
			path: new RegExp(`^${BOARD_PATH}\\/integrations\\/([^/]+)$`),
			async handle(req, res, [rawId, rawIntegration]) {
				const boardId = boardIdOf(rawId);
				await authenticateAdmin(access, req, boardId);
				const id = idOf(rawIntegration, 'integration');
				if (!(await integrations.revokeIntegration(boardId, id, now()))) {
					throw new HttpError(
						404,
						`There is no integration "${id}" to revoke on this board; it may be revoked already.`,
						'not-found'
					);
				}
				res.writeHead(204, { 'cache-control': 'no-store' });
				res.end();
			}
		}
	];
}

/** Refuses routing to a story the board does not have, naming it. */
async function requireStories(
	registry: RoomRegistry,
	boardId: string,
	routing: AlertRouting
): Promise<void> {
	const room = registry.acquire(documentName.board(boardId));
	const release = room.hold();
	try {
		await room.loaded;
		if (room.doc.getMap(META_KEY).size === 0) throw noBoard(boardId);
		const stories = new BoardDocs(boardId, room.doc).collection('stories');
		const wanted = [
			['defaultStoryId', routing.defaultStoryId],
			...routing.rules.map((rule, i) => [`rules.${i}.storyId`, rule.storyId])
		] as const;
		for (const [field, storyId] of wanted) {
			if (!stories.has(storyId)) {
				throw new HttpError(
					400,
					`${field}: the board has no story "${storyId}"; pick one of its stories (a recurring one with SLA takes alerts best).`,
					'bad-request'
				);
			}
		}
	} finally {
		release();
	}
}
