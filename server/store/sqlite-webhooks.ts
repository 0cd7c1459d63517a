/** WebhookStore in the SQLite file of the document store (tables `webhooks`, `webhook_deliveries`). */
import type Database from 'better-sqlite3';
import { deliveryFromRow, webhookFromRow, type DeliveryRow, type WebhookRow } from './webhook-rows';
import type {
	AttemptOutcome,
	DeliveryRecord,
	NewDelivery,
	WebhookRecord,
	WebhookStore
} from './webhooks';

export class SqliteWebhookStore implements WebhookStore {
	readonly #insert: Database.Statement<[string, string, string, string, string, number]>;
	readonly #select: Database.Statement<[string], WebhookRow>;
	readonly #delete: Database.Transaction<(boardId: string, id: string) => boolean>;
	readonly #enqueue: Database.Transaction<(deliveries: readonly NewDelivery[]) => number>;
	readonly #due: Database.Statement<[string, number, number], DeliveryRow>;
	readonly #claim: Database.Statement<[number, string, string, number, number]>;
	readonly #settle: Database.Statement<
		[string, number | null, string | null, number | null, number | null, string, string, number]
	>;
	readonly #log: Database.Statement<[string, string, number], DeliveryRow>;
	readonly #pendingBoards: Database.Statement<[number], string>;

	constructor(db: Database.Database) {
		this.#insert = db.prepare(
			`INSERT INTO webhooks (board, id, url, secret, events, created_at) VALUES (?, ?, ?, ?, ?, ?)`
		);
		this.#select = db.prepare('SELECT * FROM webhooks WHERE board = ? ORDER BY created_at, id');
		const deleteHook = db.prepare('DELETE FROM webhooks WHERE board = ? AND id = ?');
		const deleteDeliveries = db.prepare(
			'DELETE FROM webhook_deliveries WHERE board = ? AND webhook = ?'
		);
		this.#delete = db.transaction((boardId: string, id: string) => {
			if (deleteHook.run(boardId, id).changes === 0) return false;
			deleteDeliveries.run(boardId, id);
			return true;
		});
		const insertDelivery = db.prepare<[string, string, string, string, string, number, number]>(
			`INSERT INTO webhook_deliveries
				(webhook, event_id, board, type, body, status, attempts, next_attempt_at, created_at)
			VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)
			ON CONFLICT (webhook, event_id) DO NOTHING`
		);
		this.#enqueue = db.transaction((deliveries: readonly NewDelivery[]) => {
			let added = 0;
			for (const d of deliveries) {
				added += insertDelivery.run(
					d.webhookId,
					d.eventId,
					d.boardId,
					d.type,
					d.body,
					d.createdAt,
					d.createdAt
				).changes;
			}
			return added;
		});
		this.#due = db.prepare(
			`SELECT * FROM webhook_deliveries
			WHERE board = ? AND status = 'pending' AND next_attempt_at <= ?
			ORDER BY next_attempt_at, created_at LIMIT ?`
		);
		this.#claim = db.prepare(
			`UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = ?
			WHERE webhook = ? AND event_id = ? AND status = 'pending' AND attempts = ?
				AND next_attempt_at <= ?`
		);
		this.#settle = db.prepare(
			`UPDATE webhook_deliveries SET status = ?, last_status_code = ?, last_error = ?,
				next_attempt_at = ?, delivered_at = ?
			WHERE webhook = ? AND event_id = ? AND attempts = ? AND status = 'pending'`
		);
		this.#pendingBoards = db
			.prepare<[number], string>(
				`SELECT DISTINCT board FROM webhook_deliveries WHERE status = 'pending'
				ORDER BY board LIMIT ?`
			)
			.pluck();
		this.#log = db.prepare(
			`SELECT * FROM webhook_deliveries WHERE board = ? AND webhook = ?
			ORDER BY created_at DESC, event_id DESC LIMIT ?`
		);
	}

	async createWebhook(webhook: WebhookRecord): Promise<void> {
		this.#insert.run(
			webhook.boardId,
			webhook.id,
			webhook.url,
			webhook.secret,
			JSON.stringify(webhook.events),
			webhook.createdAt
		);
	}

	async webhooks(boardId: string): Promise<WebhookRecord[]> {
		return this.#select.all(boardId).map(webhookFromRow);
	}

	async deleteWebhook(boardId: string, id: string): Promise<boolean> {
		return this.#delete.immediate(boardId, id);
	}

	async enqueue(deliveries: readonly NewDelivery[]): Promise<number> {
		if (deliveries.length === 0) return 0;
		return this.#enqueue.immediate(deliveries);
	}

	async due(boardId: string, now: number, limit: number): Promise<DeliveryRecord[]> {
		return this.#due.all(boardId, now, limit).map(deliveryFromRow);
	}

	async claimAttempt(
		webhookId: string,
		eventId: string,
		attempts: number,
		now: number,
		holdUntil: number
	): Promise<boolean> {
		return this.#claim.run(holdUntil, webhookId, eventId, attempts, now).changes === 1;
	}

	async settleAttempt(
		webhookId: string,
		eventId: string,
		attempt: number,
		outcome: AttemptOutcome
	): Promise<void> {
		this.#settle.run(
			outcome.status,
			outcome.statusCode,
			outcome.error,
			outcome.nextAttemptAt,
			outcome.deliveredAt,
			webhookId,
			eventId,
			attempt
		);
	}

	async deliveries(boardId: string, webhookId: string, limit: number): Promise<DeliveryRecord[]> {
		return this.#log.all(boardId, webhookId, limit).map(deliveryFromRow);
	}

	async pendingBoards(limit: number): Promise<string[]> {
		return this.#pendingBoards.all(limit);
	}
}
