/**
 * Connection tickets: what a browser puts in the WebSocket URL instead of its session token.
 * Browsers print WebSocket URLs in console warnings and proxies log them, so a token there would
 * outlive the connection; a ticket is random, lasts seconds, works once and only for the board
 * and person it was issued to. Tickets live in this process's memory; with several instances they
 * are also kept in Redis for their lifetime, so any instance redeems one (shared-tickets.ts).
 */
import { randomBytes } from 'node:crypto';
import type { Identity } from './tokens';

export const DEFAULT_TICKET_TTL_MS = 30_000;

export interface TicketOptions {
	/** How long a ticket may wait for its connection. Default 30 s. */
	ttlMs?: number;
	/** Tickets kept at once; over it, none is issued until some are used or expire. */
	maxTickets?: number;
	/** Unused tickets kept per person; over it, that person's oldest is dropped. */
	maxPerPerson?: number;
	now?: () => number;
}

export interface IssuedTicket {
	ticket: string;
	/** ms since epoch */
	expiresAt: number;
}

/** Why a ticket was not accepted; `unknown` covers used, forgotten and never-issued ones. */
export type TicketProblem = 'unknown' | 'expired' | 'other-board';

export type Redeemed = { identity: Identity } | { problem: TicketProblem; boardId?: string };

interface Entry {
	identity: Identity;
	expiresAt: number;
	person: string;
}

export class ConnectionTickets {
	readonly ttlMs: number;
	readonly #maxTickets: number;
	readonly #maxPerPerson: number;
	readonly #now: () => number;
	/** In order of issue, so expired tickets are always at the front. */
	readonly #tickets = new Map<string, Entry>();
	readonly #byPerson = new Map<string, Set<string>>();

	constructor(options: TicketOptions = {}) {
		this.ttlMs = options.ttlMs ?? DEFAULT_TICKET_TTL_MS;
		this.#maxTickets = options.maxTickets ?? 50_000;
		this.#maxPerPerson = options.maxPerPerson ?? 256;
		this.#now = options.now ?? Date.now;
	}

	get size(): number {
		return this.#tickets.size;
	}

	/** A new ticket for `identity`'s board, or null while too many are outstanding. */
	issue(identity: Identity): IssuedTicket | null {
		const now = this.#now();
		this.#sweep(now);
		if (this.#tickets.size >= this.#maxTickets) return null;
		const person = `${identity.boardId}\u0000${identity.personId}`;
		let own = this.#byPerson.get(person);
		if (!own) this.#byPerson.set(person, (own = new Set()));
		// One person cannot crowd everyone else out; their own oldest tickets go first.
		while (own.size >= this.#maxPerPerson) this.#forget(own.values().next().value!);
		// 256 random bits: guessing one within its lifetime is out of reach.
		const ticket = randomBytes(32).toString('base64url');
		const expiresAt = now + this.ttlMs;
		this.#tickets.set(ticket, { identity, expiresAt, person });
		own.add(ticket);
		return { ticket, expiresAt };
	}

	/** Uses up `ticket`: whatever the answer, it never works again. */
	redeem(ticket: string, boardId: string): Redeemed {
		const now = this.#now();
		const entry = this.#tickets.get(ticket);
		if (entry) this.#forget(ticket);
		this.#sweep(now);
		if (!entry) return { problem: 'unknown' };
		if (entry.expiresAt <= now) return { problem: 'expired' };
		if (entry.identity.boardId !== boardId) {
			return { problem: 'other-board', boardId: entry.identity.boardId };
		}
		return { identity: entry.identity };
	}

	#sweep(now: number): void {
		for (const [ticket, entry] of this.#tickets) {
			if (entry.expiresAt > now) break;
			this.#forget(ticket);
		}
	}

	#forget(ticket: string): void {
		const entry = this.#tickets.get(ticket);
		if (!entry) return;
		this.#tickets.delete(ticket);
		const own = this.#byPerson.get(entry.person);
		own?.delete(ticket);
		if (own?.size === 0) this.#byPerson.delete(entry.person);
	}
}
