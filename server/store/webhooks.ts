/**
 * Outbound webhooks and their delivery log. A delivery is one event occurrence for one webhook,
 * keyed by both: recording it again is a no-op, which is what sends each occurrence once however
 * many instances read it. An attempt is claimed before it is made, so two instances never make
 * the same attempt. The SQLite and PostgreSQL stores keep these beside the documents
 * (`sqlite-webhooks.ts`, `postgres-webhooks.ts`); this one, in memory, is for tests.
 */
import type { WebhookEventType } from '../../src/lib/contract/webhooks';

export interface WebhookRecord {
	boardId: string;
	id: string;
	/** The receiver, query included (which may hold a secret: never logged). */
	url: string;
	/** HMAC-SHA256 key for the signature header. */
	secret: string;
	events: WebhookEventType[];
	/** ms since epoch; occurrences before it are not sent. */
	createdAt: number;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface DeliveryRecord {
	boardId: string;
	webhookId: string;
	eventId: string;
	type: WebhookEventType;
	/** The JSON body, exactly as signed and sent. */
	body: string;
	status: DeliveryStatus;
	attempts: number;
	lastStatusCode: number | null;
	lastError: string | null;
	/** ms since epoch: when the next attempt may be made; null once settled. */
	nextAttemptAt: number | null;
	deliveredAt: number | null;
	createdAt: number;
}

export type NewDelivery = Pick<
	DeliveryRecord,
	'boardId' | 'webhookId' | 'eventId' | 'type' | 'body' | 'createdAt'
>;

/** What became of an attempt. */
export interface AttemptOutcome {
	status: DeliveryStatus;
	statusCode: number | null;
	error: string | null;
	/** Set for `pending`: when to try again. */
	nextAttemptAt: number | null;
	/** Set for `delivered`. */
	deliveredAt: number | null;
}

export interface WebhookStore {
	createWebhook(webhook: WebhookRecord): Promise<void>;
	/** The board's webhooks, oldest first. */
	webhooks(boardId: string): Promise<WebhookRecord[]>;
	/** Removes a webhook and its deliveries; false when there was none. */
	deleteWebhook(boardId: string, id: string): Promise<boolean>;
	/**
	 * Records deliveries to make, due at once; one already recorded (same webhook and event) is
	 * left as it is. Resolves with how many were new.
	 */
	enqueue(deliveries: readonly NewDelivery[]): Promise<number>;
	/** Pending deliveries of the board due at `now`, oldest first, at most `limit`. */
	due(boardId: string, now: number, limit: number): Promise<DeliveryRecord[]>;
	/**
	 * Takes the next attempt of a pending delivery due at `now` that has made `attempts`
	 * attempts: counts it, and holds it until `holdUntil` (when it is due again should this
	 * attempt never report). False when another caller took it first.
	 */
	claimAttempt(
		webhookId: string,
		eventId: string,
		attempts: number,
		now: number,
		holdUntil: number
	): Promise<boolean>;
	/** Records what the attempt numbered `attempt` came to (ignored once another attempt began). */
	settleAttempt(
		webhookId: string,
		eventId: string,
		attempt: number,
		outcome: AttemptOutcome
	): Promise<void>;
	/** A webhook's deliveries, newest first, at most `limit`. */
	deliveries(boardId: string, webhookId: string, limit: number): Promise<DeliveryRecord[]>;
	/** Boards with deliveries still pending, sorted, at most `limit`. */
	pendingBoards(limit: number): Promise<string[]>;
}

export class MemoryWebhookStore implements WebhookStore {
	readonly #webhooks = new Map<string, WebhookRecord>();
	readonly #deliveries = new Map<string, DeliveryRecord>();

	async createWebhook(webhook: WebhookRecord): Promise<void> {
		this.#webhooks.set(key(webhook.boardId, webhook.id), {
			...webhook,
			events: [...webhook.events]
		});
	}

	async webhooks(boardId: string): Promise<WebhookRecord[]> {
		return [...this.#webhooks.values()]
			.filter((webhook) => webhook.boardId === boardId)
			.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
			.map((webhook) => ({ ...webhook, events: [...webhook.events] }));
	}

	async deleteWebhook(boardId: string, id: string): Promise<boolean> {
		if (!this.#webhooks.delete(key(boardId, id))) return false;
		for (const [k, delivery] of this.#deliveries) {
			if (delivery.boardId === boardId && delivery.webhookId === id) this.#deliveries.delete(k);
		}
		return true;
	}

	async enqueue(deliveries: readonly NewDelivery[]): Promise<number> {
		let added = 0;
		for (const delivery of deliveries) {
			const k = key(delivery.webhookId, delivery.eventId);
			if (this.#deliveries.has(k)) continue;
			this.#deliveries.set(k, {
				...delivery,
				status: 'pending',
				attempts: 0,
				lastStatusCode: null,
				lastError: null,
				nextAttemptAt: delivery.createdAt,
				deliveredAt: null
			});
			added++;
		}
		return added;
	}

	async due(boardId: string, now: number, limit: number): Promise<DeliveryRecord[]> {
		return [...this.#deliveries.values()]
			.filter((d) => d.boardId === boardId && d.status === 'pending' && d.nextAttemptAt! <= now)
			.sort((a, b) => a.nextAttemptAt! - b.nextAttemptAt! || a.createdAt - b.createdAt)
			.slice(0, limit)
			.map((d) => ({ ...d }));
	}

	async claimAttempt(
		webhookId: string,
		eventId: string,
		attempts: number,
		now: number,
		holdUntil: number
	): Promise<boolean> {
		const delivery = this.#deliveries.get(key(webhookId, eventId));
		if (!delivery || delivery.status !== 'pending' || delivery.attempts !== attempts) return false;
		if (delivery.nextAttemptAt! > now) return false;
		delivery.attempts++;
		delivery.nextAttemptAt = holdUntil;
		return true;
	}

	async settleAttempt(
		webhookId: string,
		eventId: string,
		attempt: number,
		outcome: AttemptOutcome
	): Promise<void> {
		const delivery = this.#deliveries.get(key(webhookId, eventId));
		if (!delivery || delivery.attempts !== attempt || delivery.status !== 'pending') return;
		delivery.status = outcome.status;
		delivery.lastStatusCode = outcome.statusCode;
		delivery.lastError = outcome.error;
		delivery.nextAttemptAt = outcome.nextAttemptAt;
		delivery.deliveredAt = outcome.deliveredAt;
	}

	async pendingBoards(limit: number): Promise<string[]> {
		const boards = new Set(
			[...this.#deliveries.values()].filter((d) => d.status === 'pending').map((d) => d.boardId)
		);
		return [...boards].sort().slice(0, limit);
	}

	async deliveries(boardId: string, webhookId: string, limit: number): Promise<DeliveryRecord[]> {
		return [...this.#deliveries.values()]
			.filter((d) => d.boardId === boardId && d.webhookId === webhookId)
			.sort((a, b) => b.createdAt - a.createdAt || (a.eventId < b.eventId ? 1 : -1))
			.slice(0, limit)
			.map((d) => ({ ...d }));
	}
}

function key(a: string, b: string): string {
	return `${a}\u0000${b}`;
}
