/**
 * WebhookStore in the PostgreSQL database of the document store (tables `webhooks`,
 * `webhook_deliveries`), shared by every instance using that database.
 */
import type { Pool, QueryResultRow } from 'pg';
import { deliveryFromRow, webhookFromRow, type DeliveryRow, type WebhookRow } from './webhook-rows';
import type {
	AttemptOutcome,
	DeliveryRecord,
	NewDelivery,
	WebhookRecord,
	WebhookStore
} from './webhooks';

type StorageError = (action: string, cause: unknown) => Error;

export class PostgresWebhookStore implements WebhookStore {
	readonly #pool: Pool;
	readonly #storageError: StorageError;

	/** Used through PostgresStore.webhooks(), which shares its pool and error messages. */
	constructor(pool: Pool, storageError: StorageError) {
		this.#pool = pool;
		this.#storageError = storageError;
	}

	async createWebhook(webhook: WebhookRecord): Promise<void> {
		await this.#query(
			`Adding a webhook to ${JSON.stringify(webhook.boardId)}`,
			`INSERT INTO webhooks (board, id, url, secret, events, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`,
			[
				webhook.boardId,
				webhook.id,
				webhook.url,
				webhook.secret,
				JSON.stringify(webhook.events),
				webhook.createdAt
			]
		);
	}

	async webhooks(boardId: string): Promise<WebhookRecord[]> {
		const { rows } = await this.#query<WebhookRow>(
			`Reading the webhooks of ${JSON.stringify(boardId)}`,
			'SELECT * FROM webhooks WHERE board = $1 ORDER BY created_at, id',
			[boardId]
		);
		return rows.map(webhookFromRow);
	}

	async deleteWebhook(boardId: string, id: string): Promise<boolean> {
		// One statement: the deliveries go with the webhook, or nothing goes.
		const { rows } = await this.#query<{ deleted: number }>(
			`Removing a webhook of ${JSON.stringify(boardId)}`,
			`WITH hook AS (DELETE FROM webhooks WHERE board = $1 AND id = $2 RETURNING id),
				gone AS (DELETE FROM webhook_deliveries WHERE board = $1 AND webhook IN (SELECT id FROM hook))
			SELECT count(*)::integer AS deleted FROM hook`,
			[boardId, id]
		);
		return (rows[0]?.deleted ?? 0) > 0;
	}

	async enqueue(deliveries: readonly NewDelivery[]): Promise<number> {
		if (deliveries.length === 0) return 0;
		const { rowCount } = await this.#query(
			`Recording ${deliveries.length} webhook deliveries`,
			`INSERT INTO webhook_deliveries
				(webhook, event_id, board, type, body, status, attempts, next_attempt_at, created_at)
			SELECT webhook, event_id, board, type, body, 'pending', 0, created_at, created_at
			FROM jsonb_to_recordset($1::jsonb)
				AS d(webhook text, event_id text, board text, type text, body text, created_at bigint)
			ON CONFLICT (webhook, event_id) DO NOTHING`,
			[
				JSON.stringify(
					deliveries.map((d) => ({
						webhook: d.webhookId,
						event_id: d.eventId,
						board: d.boardId,
						type: d.type,
						body: d.body,
						created_at: d.createdAt
					}))
				)
			]
		);
		return rowCount ?? 0;
	}

	async due(boardId: string, now: number, limit: number): Promise<DeliveryRecord[]> {
		const { rows } = await this.#query<DeliveryRow>(
			`Reading the due webhook deliveries of ${JSON.stringify(boardId)}`,
			`SELECT * FROM webhook_deliveries
			WHERE board = $1 AND status = 'pending' AND next_attempt_at <= $2
			ORDER BY next_attempt_at, created_at LIMIT $3`,
			[boardId, now, limit]
		);
		return rows.map(deliveryFromRow);
	}

	async claimAttempt(
		webhookId: string,
		eventId: string,
		attempts: number,
		now: number,
		holdUntil: number
	): Promise<boolean> {
		const { rowCount } = await this.#query(
			'Claiming a webhook delivery attempt',
			`UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = $1
			WHERE webhook = $2 AND event_id = $3 AND status = 'pending' AND attempts = $4
				AND next_attempt_at <= $5`,
			[holdUntil, webhookId, eventId, attempts, now]
		);
		return rowCount === 1;
	}

	async settleAttempt(
		webhookId: string,
		eventId: string,
		attempt: number,
		outcome: AttemptOutcome
	): Promise<void> {
		await this.#query(
			'Recording a webhook delivery attempt',
			`UPDATE webhook_deliveries SET status = $1, last_status_code = $2, last_error = $3,
				next_attempt_at = $4, delivered_at = $5
			WHERE webhook = $6 AND event_id = $7 AND attempts = $8 AND status = 'pending'`,
			[
				outcome.status,
				outcome.statusCode,
				outcome.error,
				outcome.nextAttemptAt,
				outcome.deliveredAt,
				webhookId,
				eventId,
				attempt
			]
		);
	}

	async deliveries(boardId: string, webhookId: string, limit: number): Promise<DeliveryRecord[]> {
		const { rows } = await this.#query<DeliveryRow>(
			`Reading the delivery log of a webhook of ${JSON.stringify(boardId)}`,
			`SELECT * FROM webhook_deliveries WHERE board = $1 AND webhook = $2
			ORDER BY created_at DESC, event_id DESC LIMIT $3`,
			[boardId, webhookId, limit]
		);
		return rows.map(deliveryFromRow);
	}

	async pendingBoards(limit: number): Promise<string[]> {
		const { rows } = await this.#query<{ board: string }>(
			'Reading the boards with pending webhook deliveries',
			`SELECT DISTINCT board COLLATE "C" AS board FROM webhook_deliveries
			WHERE status = 'pending' ORDER BY 1 LIMIT $1`,
			[limit]
		);
		return rows.map((row) => row.board);
	}

	/** One statement on a pooled connection; failures say what was being done, and where. */
	async #query<Row extends QueryResultRow = QueryResultRow>(
		action: string,
		text: string,
		values: unknown[]
	) {
		try {
			return await this.#pool.query<Row>(text, values);
		} catch (error) {
			throw this.#storageError(action, error);
		}
	}
}
