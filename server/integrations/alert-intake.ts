/**
 * Alert intake: Prometheus Alertmanager posts its webhook notification to
 * `POST /api/boards/:id/alerts` with an integration's token. A firing group opens one work
 * package (its story and severity from the integration's routing); later notifications of the
 * same group update it while it is open; a resolved group is noted on it. The alert group's
 * record in the store decides which work package a group has, so two notifications taken at once
 * (here or on another instance) never open two.
 */
import type http from 'node:http';
import type { z } from 'zod';
import {
	AlertmanagerPayload,
	MAX_ALERT_BODY_BYTES,
	type AlertsAccepted
} from '../../src/lib/contract/alerts';
import {
	MAX_FIRING_NAMES,
	alertName,
	alertTitle,
	severityFor,
	storyFor
} from '../../src/lib/domain/alerts';
import { ScrumOpsError } from '../../src/lib/domain/errors';
import type { WorkPackage, WorkPackageAlert } from '../../src/lib/domain/schema';
import type { BoardDocs } from '../../src/lib/sync/board-docs';
import {
	completeResolvedAlert,
	liveContext,
	noteAlert,
	openAlertWorkPackage,
	type OpContext
} from '../../src/lib/sync/operations';
import { readStored } from '../../src/lib/sync/operations/context';
import { boardIdOf, newId, parse } from '../auth/api';
import { HttpError, readJsonBody, sendJson, type Route } from '../http';
import { AddressLimiter, type AddressLimit } from '../rate-limit';
import type { RoomRegistry } from '../relay/registry';
import type { IntegrationRecord, IntegrationStore } from '../store/integrations';
import { withLoadedBoard } from './board-rooms';
import { hashToken, integrationIdOf, tokenMatches } from './integration-tokens';

export interface AlertIntakeOptions {
	registry: RoomRegistry;
	integrations: IntegrationStore;
	/** Notifications per integration: over it, 429 with Retry-After. Default 120/min, 30 at once. */
	limit?: AddressLimit;
	now?: () => number;
}

export const DEFAULT_ALERT_LIMIT: AddressLimit = { perMinute: 120, burst: 30 };

/** How often a notification re-reads its group after losing a race for it. */
const CLAIM_ATTEMPTS = 3;

export function alertIntakeRoutes(options: AlertIntakeOptions): Route[] {
	const { registry, integrations } = options;
	const now = options.now ?? Date.now;
	// Counted per integration: one noisy Alertmanager cannot starve another board's.
	const limiter = new AddressLimiter(options.limit ?? DEFAULT_ALERT_LIMIT);
	const groups = new GroupQueue();

	return [
		{
			method: 'POST',
			path: /^\/api\/boards\/([^/]+)\/alerts$/,
			// Its own limit, per integration, not per address: Alertmanager sends from one address.
			writeLimited: false,
			async handle(req, res, [rawId]) {
				const boardId = boardIdOf(rawId);
				const integration = await authenticateIntegration(integrations, req, boardId);
				const wait = limiter.take(`${boardId}/${integration.id}`);
				if (wait !== null) {
					res.setHeader('retry-after', String(wait));
					throw new HttpError(
						429,
						`Too many notifications for integration "${integration.name}"; try again in ${wait} s (Alertmanager retries by itself).`,
						'rate-limited'
					);
				}
				const payload = parse(AlertmanagerPayload, await readJsonBody(req, MAX_ALERT_BODY_BYTES));
				const groupHash = hashToken(payload.groupKey);
				const answer = await groups.run(`${boardId}/${integration.id}/${groupHash}`, () =>
					withLoadedBoard(registry, boardId, (docs) =>
						intake(docs, integrations, integration, payload, groupHash, now())
					).catch((error: unknown) => {
						// The board refused the write (its stored work package is damaged, the story
						// is gone): nothing was written, and sending it again will not help.
						if (error instanceof ScrumOpsError) {
							throw new HttpError(
								400,
								`The board could not take this alert: ${error.message} Ask the board's admin to check the integration "${integration.name}".`,
								'bad-request'
							);
						}
						throw error;
					})
				);
				sendJson(res, 200, answer);
			}
		}
	];
}

/** The integration whose token the request carries, or 401 saying what to send. */
async function authenticateIntegration(
	integrations: IntegrationStore,
	req: http.IncomingMessage,
	boardId: string
): Promise<IntegrationRecord> {
	const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
	if (!match) {
		throw new HttpError(
			401,
			"Send the integration's token as 'Authorization: Bearer <token>' (in Alertmanager: http_config.authorization.credentials).",
			'integration-invalid'
		);
	}
	const token = match[1]!;
	const id = integrationIdOf(token);
	const record = id === null ? null : await integrations.integration(boardId, id);
	if (!record || record.revokedAt !== null || !tokenMatches(token, record.tokenHash)) {
		throw new HttpError(
			401,
			"This integration token is not one of this board's, or it was revoked: ask the board's admin to create an integration and use its token.",
			'integration-invalid'
		);
	}
	return record;
}

/** What one notification does to its group's work package. */
async function intake(
	docs: BoardDocs,
	integrations: IntegrationStore,
	integration: IntegrationRecord,
	payload: AlertmanagerPayload,
	groupHash: string,
	at: number
): Promise<z.input<typeof AlertsAccepted>> {
	const ctx = liveContext(null, () => at);
	const key = { boardId: integration.boardId, integrationId: integration.id, groupHash };
	const firing = payload.status === 'firing';
	for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
		const record = await integrations.alertGroup(key.boardId, key.integrationId, groupHash);
		if (record === null) {
			if (!firing) return { outcome: 'ignored', workPackageId: null };
			const claimed = await integrations.claimAlertGroup({
				...key,
				workPackageId: newId(),
				claimedAt: at
			});
			return open(docs, ctx, integration, payload, claimed.workPackageId, at);
		}
		const workPackage = workPackageOf(docs, record.workPackageId);
		if (workPackage === 'missing') {
			// Claimed, and not written yet: here by a request that failed, or by another instance
			// now. Writing it under the claimed id leaves one work package either way.
			if (!firing) return { outcome: 'ignored', workPackageId: null };
			return open(docs, ctx, integration, payload, record.workPackageId, at);
		}
		if (workPackage.status === 'open') {
			noteAlert(docs, ctx, workPackage.id, alertState(integration, payload, at, workPackage.alert));
			if (firing) return { outcome: 'updated', workPackageId: workPackage.id };
			if (integration.routing.onResolved === 'complete') {
				completeResolvedAlert(docs, ctx, workPackage.id);
			}
			return { outcome: 'resolved', workPackageId: workPackage.id };
		}
		// Its work package was completed: a group firing again is new work.
		if (!firing) return { outcome: 'ignored', workPackageId: workPackage.id };
		const next = newId();
		if (
			await integrations.reclaimAlertGroup(
				{ ...key, workPackageId: next, claimedAt: at },
				record.workPackageId
			)
		) {
			return open(docs, ctx, integration, payload, next, at);
		}
		// Another notification moved the group first: read where it went.
	}
	throw new HttpError(
		503,
		'This alert group changed too often at once to settle; Alertmanager will send it again.',
		'server-busy'
	);
}

function open(
	docs: BoardDocs,
	ctx: OpContext,
	integration: IntegrationRecord,
	payload: AlertmanagerPayload,
	workPackageId: string,
	at: number
): z.input<typeof AlertsAccepted> {
	const routing = integration.routing;
	openAlertWorkPackage(docs, ctx, {
		workPackageId,
		storyId: storyFor(routing, payload),
		severity: severityFor(routing, payload),
		title: alertTitle(payload),
		startedAt: startedAt(payload, at),
		alert: alertState(integration, payload, at, null)
	});
	return { outcome: 'opened', workPackageId };
}

/** The work package of the group, or `missing` when the board does not have it (yet). */
function workPackageOf(docs: BoardDocs, id: string): WorkPackage | 'missing' {
	if (!docs.collection('workPackages').has(id)) return 'missing';
	return readStored(docs.collection('workPackages'), 'workPackages', id);
}

/** What the work package says about its alert after this notification. */
function alertState(
	integration: IntegrationRecord,
	payload: AlertmanagerPayload,
	at: number,
	before: WorkPackageAlert | null
): WorkPackageAlert {
	const firing = payload.alerts.filter((alert) => alert.status === 'firing');
	const link = payload.alerts.find((alert) => alert.generatorURL !== null)?.generatorURL ?? null;
	const resolved = payload.status === 'resolved';
	return {
		integrationId: integration.id,
		generatorUrl: link ?? before?.generatorUrl ?? null,
		firing: firing.slice(0, MAX_FIRING_NAMES).map(alertName),
		// Alerts Alertmanager left out (`max_alerts`) of a firing group are counted as firing.
		firingCount: resolved ? 0 : firing.length + payload.truncatedAlerts,
		lastNotifiedAt: new Date(at).toISOString(),
		resolvedAt: resolved ? (before?.resolvedAt ?? new Date(at).toISOString()) : null
	};
}

/** When the group's earliest firing alert started (never later than now): the SLA clock's start. */
function startedAt(payload: AlertmanagerPayload, at: number): string {
	const firing = payload.alerts.filter((alert) => alert.status === 'firing');
	const starts = (firing.length > 0 ? firing : payload.alerts)
		.map((alert) => Date.parse(alert.startsAt))
		.filter((ms) => Number.isFinite(ms) && ms > 0);
	return new Date(Math.min(at, ...starts)).toISOString();
}

/**
 * Runs the notifications of one alert group one after another on this instance; other
 * instances are kept apart by the group's record in the store.
 */
class GroupQueue {
	readonly #tails = new Map<string, Promise<unknown>>();

	run<T>(key: string, work: () => Promise<T>): Promise<T> {
		const previous = this.#tails.get(key) ?? Promise.resolve();
		const result = previous.then(work, work);
		const tail = result.catch(() => undefined);
		this.#tails.set(key, tail);
		void tail.then(() => {
			if (this.#tails.get(key) === tail) this.#tails.delete(key);
		});
		return result;
	}
}
