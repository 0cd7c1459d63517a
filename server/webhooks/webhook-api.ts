/**
 * The admin's webhook API: add a webhook (its signing secret is shown once), list them (never
 * with secrets, URLs without their query), remove one, and read its delivery log.
 */
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import {
	CreateWebhookRequest,
	MAX_WEBHOOKS_PER_BOARD,
	WEBHOOK_EVENT_TYPES,
	type Deliveries,
	type WebhookCreated,
	type Webhooks
} from '../../src/lib/contract/webhooks';
import type { AccessControl } from '../auth/access';
import { authenticateAdmin, boardIdOf, idOf, limitOf, newId, parse } from '../auth/api';
import { HttpError, readJsonBody, sendJson, type Route } from '../http';
import type { DeliveryRecord, WebhookRecord } from '../store/webhooks';
import type { WebhookDispatcher } from './dispatcher';

export interface WebhookApiOptions {
	access: AccessControl;
	webhooks: WebhookDispatcher;
	now?: () => number;
}

const WEBHOOKS_PATH = String.raw`^\/api\/boards\/([^/]+)\/webhooks`;

export function webhookRoutes(options: WebhookApiOptions): Route[] {
	const { access, webhooks } = options;
	const store = webhooks.store;
	const now = options.now ?? Date.now;

	/** The webhook a path names, or 404. */
	const webhookOf = async (boardId: string, raw: string | undefined) => {
		const id = idOf(raw, 'webhook');
		const webhook = (await store.webhooks(boardId)).find((w) => w.id === id);
		if (!webhook) {
			throw new HttpError(404, `There is no webhook "${id}" on this board.`, 'not-found');
		}
		return webhook;
	};

	return [
		{
			method: 'POST',
			path: new RegExp(`${WEBHOOKS_PATH}$`),
			async handle(req, res, [rawId]) {
				const boardId = boardIdOf(rawId);
				await authenticateAdmin(access, req, boardId);
				const body = parse(CreateWebhookRequest, await readJsonBody(req));
				// A sandbox is removed once idle, with everything it holds: it sends nothing out.
				if ((await access.members.board(boardId))?.sandbox) {
					throw new HttpError(
						400,
						'A demo sandbox sends no webhooks; create a board of your own to add one.',
						'bad-request'
					);
				}
				const problem = webhooks.urlProblem(body.url);
				if (problem) throw new HttpError(400, `url: ${problem}.`, 'bad-request');
				if ((await store.webhooks(boardId)).length >= MAX_WEBHOOKS_PER_BOARD) {
					throw new HttpError(
						400,
						`A board has at most ${MAX_WEBHOOKS_PER_BOARD} webhooks; remove one first.`,
						'bad-request'
					);
				}
				const webhook: WebhookRecord = {
					boardId,
					id: newId(),
					url: body.url,
					secret: randomBytes(32).toString('base64url'),
					events: body.events ? [...new Set(body.events)] : [...WEBHOOK_EVENT_TYPES],
					createdAt: now()
				};
				await store.createWebhook(webhook);
				webhooks.changed(boardId);
				sendJson(res, 201, {
					...webhookBody(webhook),
					secret: webhook.secret
				} satisfies z.input<typeof WebhookCreated>);
			}
		},
		{
			method: 'GET',
			path: new RegExp(`${WEBHOOKS_PATH}$`),
			async handle(req, res, [rawId]) {
				const boardId = boardIdOf(rawId);
				await authenticateAdmin(access, req, boardId);
				res.setHeader('cache-control', 'no-store');
				sendJson(
					res,
					200,
					(await store.webhooks(boardId)).map(webhookBody) satisfies z.input<typeof Webhooks>
				);
			}
		},
		{
			method: 'DELETE',
			path: new RegExp(`${WEBHOOKS_PATH}\\/([^/]+)$`),
			async handle(req, res, [rawId, rawWebhook]) {
				const boardId = boardIdOf(rawId);
				await authenticateAdmin(access, req, boardId);
				const id = idOf(rawWebhook, 'webhook');
				if (!(await store.deleteWebhook(boardId, id))) {
					throw new HttpError(
						404,
						`There is no webhook "${id}" on this board; it may be removed already.`,
						'not-found'
					);
				}
				webhooks.changed(boardId);
				res.writeHead(204, { 'cache-control': 'no-store' });
				res.end();
			}
		},
		{
			method: 'GET',
			path: new RegExp(`${WEBHOOKS_PATH}\\/([^/]+)\\/deliveries$`),
			async handle(req, res, [rawId, rawWebhook]) {
				const boardId = boardIdOf(rawId);
				await authenticateAdmin(access, req, boardId);
				const webhook = await webhookOf(boardId, rawWebhook);
				const limit = limitOf(req.url, { fallback: 100, max: 1000 });
				const log = await store.deliveries(boardId, webhook.id, limit);
				res.setHeader('cache-control', 'no-store');
				sendJson(res, 200, log.map(deliveryBody) satisfies z.input<typeof Deliveries>);
			}
		}
	];
}

/** A webhook as listed: no secret, and the URL without query or fragment (which may hold one). */
function webhookBody(webhook: WebhookRecord): z.input<typeof Webhooks>[number] {
	const url = new URL(webhook.url);
	return {
		id: webhook.id,
		url: `${url.origin}${url.pathname}`,
		events: [...webhook.events],
		createdAt: new Date(webhook.createdAt).toISOString()
	};
}

function deliveryBody(delivery: DeliveryRecord): z.input<typeof Deliveries>[number] {
	const instant = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
	return {
		eventId: delivery.eventId,
		type: delivery.type,
		status: delivery.status,
		attempts: delivery.attempts,
		lastStatusCode: delivery.lastStatusCode,
		lastError: delivery.lastError,
		nextAttemptAt: delivery.status === 'pending' ? instant(delivery.nextAttemptAt) : null,
		deliveredAt: instant(delivery.deliveredAt),
		createdAt: new Date(delivery.createdAt).toISOString()
	};
}
