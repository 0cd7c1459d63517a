/**
 * Connection tickets every instance of a deployment can redeem: behind a load balancer without
 * sticky sessions, the page asks one instance for a ticket and opens its WebSocket on another.
 * Each ticket is kept in Redis for its lifetime and taken out atomically when used (GETDEL), so
 * it still works once, on whichever instance. If Redis cannot be reached, tickets stay with the
 * instance that issued them (server/auth/tickets.ts), and a page's next attempt retries.
 */
import { Redis } from 'ioredis';
import { z } from 'zod';
import { Role } from '../../src/lib/domain/schema';
import type { Logger } from '../log';
import type { Identity } from './tokens';

/** Where tickets are shared; AccessControl falls back to its own when a call fails. */
export interface SharedTickets {
	put(ticket: string, identity: Identity, expiresAt: number): Promise<void>;
	/** The ticket's identity and expiry, removed so nobody uses it again; null when unknown. */
	take(ticket: string): Promise<{ identity: Identity; expiresAt: number } | null>;
	close(): Promise<void>;
}

/** What a ticket holds in Redis: checked when read, as anything from the network is. */
const StoredTicket = z.object({
	expiresAt: z.number().int(),
	identity: z.object({
		boardId: z.string().max(256),
		personId: z.string().max(256),
		name: z.string().max(200),
		teams: z.array(z.string().max(256)).max(1_000),
		roles: z.array(Role).max(20),
		admin: z.boolean(),
		expiresAt: z.number().int().nullable(),
		issuedAt: z.number().int().optional(),
		sandbox: z.boolean().optional()
	})
});

export class RedisTickets implements SharedTickets {
	readonly #redis: Redis;
	readonly #prefix: string;

	constructor(options: { url: string; log: Logger; prefix?: string }) {
		this.#prefix = `${options.prefix ?? 'scrumops'}:ticket:`;
		this.#redis = new Redis(options.url, {
			// A call while Redis is away fails at once: the ticket stays with this instance.
			enableOfflineQueue: false,
			maxRetriesPerRequest: 1,
			lazyConnect: false
		});
		this.#redis.on('error', (error: unknown) =>
			options.log.debug('the ticket store is unreachable', { error })
		);
	}

	async put(ticket: string, identity: Identity, expiresAt: number): Promise<void> {
		const ttl = Math.max(1, expiresAt - Date.now());
		await this.#redis.set(
			this.#prefix + ticket,
			JSON.stringify({ identity, expiresAt }),
			'PX',
			ttl
		);
	}

	async take(ticket: string): Promise<{ identity: Identity; expiresAt: number } | null> {
		const stored = await this.#redis.getdel(this.#prefix + ticket);
		if (stored === null) return null;
		let parsed: unknown;
		try {
			parsed = JSON.parse(stored);
		} catch {
			return null;
		}
		const ticketRecord = StoredTicket.safeParse(parsed);
		return ticketRecord.success ? ticketRecord.data : null;
	}

	/** Resolves once connected to Redis (until then, tickets stay with their instance). */
	ready(): Promise<void> {
		if (this.#redis.status === 'ready') return Promise.resolve();
		return new Promise((resolve) => this.#redis.once('ready', () => resolve()));
	}

	async close(): Promise<void> {
		this.#redis.disconnect();
	}
}
