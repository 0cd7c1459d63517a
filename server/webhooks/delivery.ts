/**
 * One attempt to deliver an event to a webhook: a signed POST with a bounded wait, and what it
 * came to. Nothing here logs or returns the receiver's URL, which may carry a secret.
 *
 * Anyone may create a board and so add webhooks: unless told otherwise, a receiver must not be
 * on a loopback, private or link-local address, checked on the address actually connected to
 * (after DNS), so a name cannot point the server at its own network.
 */
import { createHmac } from 'node:crypto';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP } from 'node:net';
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

const PRIVATE = new BlockList();
for (const [network, prefix] of [
	['0.0.0.0', 8],
	['10.0.0.0', 8],
	['100.64.0.0', 10],
	['127.0.0.0', 8],
	['169.254.0.0', 16],
	['172.16.0.0', 12],
	['192.168.0.0', 16]
] as const) {
	PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
	['::', 127],
	['fc00::', 7],
	['fe80::', 10]
] as const) {
	PRIVATE.addSubnet(network, prefix, 'ipv6');
}

/** Whether `address` (an IP) is loopback, private, shared or link-local. */
export function isPrivateAddress(address: string): boolean {
	const bare = address.replace(/^\[|\]$/g, '');
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
	if (mapped) return PRIVATE.check(mapped[1]!, 'ipv4');
	const family = isIP(bare);
	if (family === 0) return false;
	return PRIVATE.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why the server will not send to `url`'s host as written (an IP literal), or null. */
export function privateHostProblem(url: string): string | null {
	const host = new URL(url).hostname;
	if (host === 'localhost' || isPrivateAddress(host)) {
		return `${host} is a private address; give a receiver this server may reach on the public network`;
	}
	return null;
}

/** dns.lookup, refusing private addresses (in the single and the `all` form). */
const publicLookup: typeof dns.lookup = ((
	hostname: string,
	options: dns.LookupOptions,
	callback: (error: Error | null, address: string | dns.LookupAddress[], family?: number) => void
) => {
	dns.lookup(hostname, options, (error, address, family) => {
		if (error) return callback(error, address, family);
		const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
		const refused = addresses.find(isPrivateAddress);
		if (refused) {
			return callback(
				Object.assign(new Error(`${hostname} resolves to a private address`), {
					code: 'PRIVATE_ADDRESS'
				}),
				address,
				family
			);
		}
		callback(null, address, family);
	});
}) as typeof dns.lookup;

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
	/** Whether the receiver may be on a loopback or private address (tests, closed networks). */
	allowPrivate: boolean;
}

/** POSTs the body; a 2xx answer delivers it, anything else is a failed attempt. */
export function attempt(request: Attempt): Promise<AttemptResult> {
	const target = new URL(request.url);
	if (!request.allowPrivate && privateHostProblem(request.url)) {
		return Promise.resolve({
			ok: false,
			statusCode: null,
			error: 'the receiver is on a private address'
		});
	}
	const client = target.protocol === 'https:' ? https : http;
	return new Promise((resolve) => {
		const req = client.request(
			target,
			{
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'content-length': Buffer.byteLength(request.body),
					'user-agent': 'ScrumOps-Webhooks/1',
					[SIGNATURE_HEADER]: signature(request.secret, request.body),
					[EVENT_HEADER]: request.type,
					[DELIVERY_HEADER]: request.deliveryId
				},
				lookup: request.allowPrivate ? undefined : publicLookup,
				signal: AbortSignal.timeout(request.timeoutMs)
			},
			(response) => {
				// The answer's body is not read: a receiver cannot make the server hold megabytes.
				// A redirect counts as an answer, not a hop: it could lead the signed body anywhere.
				const status = response.statusCode ?? 0;
				response.destroy();
				resolve({ ok: status >= 200 && status < 300, statusCode: status, error: null });
			}
		);
		req.on('error', (error) =>
			resolve({ ok: false, statusCode: null, error: reasonOf(error, request.timeoutMs) })
		);
		req.end(request.body);
	});
}

/** Why a request got no answer, without the URL. */
function reasonOf(error: unknown, timeoutMs: number): string {
	if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
		return `no answer within ${timeoutMs} ms`;
	}
	const code = error instanceof Error && 'code' in error ? error.code : undefined;
	if (code === 'PRIVATE_ADDRESS') return 'the receiver resolves to a private address';
	if (typeof code === 'string') return `the request failed: ${code}`;
	return 'the request failed before an answer came';
}
