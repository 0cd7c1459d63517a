/** Rows of the webhook tables as both SQL stores read them, and the records they make. */
import { WebhookEventType } from '../../src/lib/contract/webhooks';
import type { DeliveryRecord, DeliveryStatus, WebhookRecord } from './webhooks';

export interface WebhookRow {
	board: string;
	id: string;
	url: string;
	secret: string;
	/** JSON array of event types (jsonb arrives parsed from PostgreSQL). */
	events: string | unknown[];
	created_at: number | string;
}

export interface DeliveryRow {
	board: string;
	webhook: string;
	event_id: string;
	type: string;
	body: string;
	status: string;
	attempts: number;
	last_status_code: number | null;
	last_error: string | null;
	next_attempt_at: number | string | null;
	delivered_at: number | string | null;
	created_at: number | string;
}

export function webhookFromRow(row: WebhookRow): WebhookRecord {
	const events = typeof row.events === 'string' ? (JSON.parse(row.events) as unknown) : row.events;
	return {
		boardId: row.board,
		id: row.id,
		url: row.url,
		secret: row.secret,
		events: WebhookEventType.array().parse(events),
		createdAt: Number(row.created_at)
	};
}

export function deliveryFromRow(row: DeliveryRow): DeliveryRecord {
	return {
		boardId: row.board,
		webhookId: row.webhook,
		eventId: row.event_id,
		type: WebhookEventType.parse(row.type),
		body: row.body,
		status: row.status as DeliveryStatus,
		attempts: Number(row.attempts),
		lastStatusCode: row.last_status_code === null ? null : Number(row.last_status_code),
		lastError: row.last_error,
		nextAttemptAt: row.next_attempt_at === null ? null : Number(row.next_attempt_at),
		deliveredAt: row.delivered_at === null ? null : Number(row.delivered_at),
		createdAt: Number(row.created_at)
	};
}
