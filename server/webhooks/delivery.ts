/**
 * One attempt to deliver an event to a webhook: a signed POST with a bounded wait, and what it
 * came to. Nothing here logs or returns the receiver's URL, which may carry a secret.
 */
import { createHmac } from 'node:crypto';
import {
	DELIVERY_HEADER,
	EVENT_HEADER,
	SIGNATURE_HEADER,
	type WebhookEventType
} from '../../src/lib/contract/webhooks';

/** `sha256=<hex>`: the HMAC-SHA256 of the exact body bytes, keyed with the webhook's secret. */
export function signature(secret: string, body: string): string {
	return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export interface AttemptResult {
	ok: boolean;
	/** The receiver's HTTP status; null when none came. */
	statusCode: number | null;
	/** Why no answer came (refused, timed out…), in words; null when one did. */
	error: string | null;
}

export interface Attempt {
	url: string;
	secret: string;
	body: string;
	type: WebhookEventType;
	/** `<webhook id>/<event id>`, the same on every retry, so a receiver can drop repeats. */
	deliveryId: string;
	timeoutMs: number;
}

/** POSTs the body; a 2xx answer delivers it, anything else is a failed attempt. */
export async function attempt(request: Attempt): Promise<AttemptResult> {
	try {
		const response = await fetch(request.url, {
			method: 'POST',
			body: request.body,
			// A redirect could lead the signed body anywhere: it counts as an answer, not a hop.
			redirect: 'manual',
			headers: {
				'content-type': 'application/json',
				'user-agent': 'ScrumOps-Webhooks/1',
				[SIGNATURE_HEADER]: signature(request.secret, request.body),
				[EVENT_HEADER]: request.type,
				[DELIVERY_HEADER]: request.deliveryId
			},
			signal: AbortSignal.timeout(request.timeoutMs)
		});
		// The answer's body is not read: a receiver cannot make the server hold megabytes.
		await response.body?.cancel().catch(() => undefined);
		const ok = response.status >= 200 && response.status < 300;
		return { ok, statusCode: response.status, error: null };
	} catch (error) {
		return { ok: false, statusCode: null, error: reasonOf(error, request.timeoutMs) };
	}
}

/** Why a request got no answer, without the URL (fetch's messages may quote it). */
function reasonOf(error: unknown, timeoutMs: number): string {
	if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
		return `no answer within ${timeoutMs} ms`;
	}
	const cause =
		error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
	if (typeof cause?.code === 'string') return `the request failed: ${cause.code}`;
	return 'the request failed before an answer came';
}
