/**
 * Outbound webhooks on the wire: what the admin API takes and answers, and the body every
 * receiver gets. The server builds and reads these shapes; the Members page reads the same ones.
 */
import { z } from 'zod';
import { BOARD_EVENT_TYPES } from '../domain/board-events';
import { Id, Instant } from '../domain/schema';

export { BOARD_EVENT_TYPES as WEBHOOK_EVENT_TYPES };

export const WebhookEventType = z.enum(BOARD_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** The header carrying `sha256=<hex HMAC-SHA256 of the raw body, keyed with the secret>`. */
export const SIGNATURE_HEADER = 'x-scrumops-signature';
/** The header naming the event type, so a receiver can route before parsing. */
export const EVENT_HEADER = 'x-scrumops-event';
/** The header naming the delivery (`<webhook id>/<event id>`), the same on every retry. */
export const DELIVERY_HEADER = 'x-scrumops-delivery';

/** Longest receiver URL accepted. */
export const MAX_WEBHOOK_URL_LENGTH = 2000;
/** Most webhooks one board may have. */
export const MAX_WEBHOOKS_PER_BOARD = 20;

/** A receiver URL: http or https, no user name or password in it, bounded. */
export const WebhookUrl = z
	.string()
	.trim()
	.min(1, 'give the URL that receives the events')
	.max(MAX_WEBHOOK_URL_LENGTH, `a URL is at most ${MAX_WEBHOOK_URL_LENGTH} characters`)
	.superRefine((value, ctx) => {
		const problem = urlProblem(value);
		if (problem) ctx.addIssue({ code: 'custom', message: problem });
	});

/** What is wrong with a receiver URL, or null. */
function urlProblem(value: string): string | null {
	if (!URL.canParse(value)) return 'not a URL; use https://host/path';
	const url = new URL(value);
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		return 'only http:// and https:// URLs receive events';
	}
	if (url.username !== '' || url.password !== '') {
		return 'put no user name or password in the URL; the signature authenticates the sender';
	}
	return null;
}

export const CreateWebhookRequest = z.object({
	url: WebhookUrl,
	/** The event types to send; all of them when absent. */
	events: z
		.array(WebhookEventType)
		.min(1, 'name at least one event type, or leave "events" out for all of them')
		.max(BOARD_EVENT_TYPES.length)
		.optional()
});
export type CreateWebhookRequest = z.infer<typeof CreateWebhookRequest>;

/** A webhook as listed: its URL shown without query or fragment, which may hold a secret. */
export const Webhook = z.object({
	id: Id,
	/** Scheme, host and path of the receiver. */
	url: z.string(),
	events: z.array(WebhookEventType),
	createdAt: Instant
});
export type Webhook = z.infer<typeof Webhook>;
export const Webhooks = z.array(Webhook);

/** The answer to creating one: the signing secret, shown this once. */
export const WebhookCreated = Webhook.extend({ secret: z.string().min(32) });
export type WebhookCreated = z.infer<typeof WebhookCreated>;

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

/** One event's delivery to one webhook, as the delivery log shows it. */
export const Delivery = z.object({
	eventId: z.string(),
	type: WebhookEventType,
	/** `pending` (waiting for its first or next attempt), `delivered`, or `failed` (gave up). */
	status: z.enum(DELIVERY_STATUSES),
	attempts: z.number().int().nonnegative(),
	/** The receiver's last HTTP status; null before an answer. */
	lastStatusCode: z.number().int().nullable(),
	/** Why the last attempt failed, when it did without an answer (timeout, refused…). */
	lastError: z.string().nullable(),
	/** When the next attempt is due; null once delivered or given up. */
	nextAttemptAt: Instant.nullable(),
	deliveredAt: Instant.nullable(),
	createdAt: Instant
});
export type Delivery = z.infer<typeof Delivery>;
export const Deliveries = z.array(Delivery);

/** What every receiver gets, as JSON; `text` is one line a chat incoming webhook shows as is. */
export const WebhookEventBody = z.object({
	/** The occurrence's id: the same on every retry, unique per occurrence. */
	id: z.string().min(1).max(300),
	type: WebhookEventType,
	boardId: Id,
	occurredAt: Instant,
	workPackageId: Id.optional(),
	storyId: Id.optional(),
	sprintId: Id.optional(),
	teamId: Id.optional(),
	text: z.string().min(1)
});
export type WebhookEventBody = z.infer<typeof WebhookEventBody>;
