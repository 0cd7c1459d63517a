/**
 * Attributes the server's own writes to the person they were made for. A room records a change
 * from a connection under that connection's person and any other change as the server's; a repair
 * an admin asks for is made by the server, yet the audit log must name the admin and say it was a
 * repair. Rooms append inside the transaction that made the change (their `update` handler runs
 * synchronously), so every append made while `attribute` runs belongs to the write it wraps.
 */
import type { AuditEntry, DocumentStore, Fence, StoredDocument, StoreHealth } from './store';
import { SERVER_AUTHOR } from './validate';

/** Who a server write was for, and what it was. */
export interface Attribution {
	/** The person id the audit log names. */
	author: string;
	/** What the write was, e.g. `repairBoard`. */
	intent: string;
}

export class AttributingStore implements DocumentStore {
	readonly #inner: DocumentStore;
	#current: { attribution: Attribution; appends: Promise<number>[] } | null = null;

	constructor(inner: DocumentStore) {
		this.#inner = inner;
	}

	/**
	 * Runs `write` (synchronous: transactions on rooms' documents) and records the server's
	 * appends it causes under `attribution`. Returns what `write` returned and those appends,
	 * each resolving with its sequence number once durable.
	 */
	attribute<T>(
		attribution: Attribution,
		write: () => T
	): { result: T; appends: Promise<number>[] } {
		if (this.#current) throw new Error('attribute() calls cannot nest: finish the first write.');
		const current = { attribution, appends: [] as Promise<number>[] };
		this.#current = current;
		try {
			return { result: write(), appends: current.appends };
		} finally {
			this.#current = null;
		}
	}

	append(
		name: string,
		update: Uint8Array,
		author: string = SERVER_AUTHOR,
		intent: string | null = null,
		fence: Fence | null = null
	): Promise<number> {
		const current = this.#current;
		if (current === null || author !== SERVER_AUTHOR) {
			return this.#inner.append(name, update, author, intent, fence);
		}
		const { attribution } = current;
		const appended = this.#inner.append(
			name,
			update,
			attribution.author,
			attribution.intent,
			fence
		);
		current.appends.push(appended);
		return appended;
	}

	claimLeases(
		holder: string,
		wanted: readonly string[],
		ttlMs: number
	): Promise<Map<string, number>> {
		return this.#inner.claimLeases(holder, wanted, ttlMs);
	}

	load(name: string): Promise<StoredDocument> {
		return this.#inner.load(name);
	}

	compact(name: string, snapshot: Uint8Array, throughSeq: number): Promise<void> {
		return this.#inner.compact(name, snapshot, throughSeq);
	}

	audit(name: string, limit: number): Promise<AuditEntry[]> {
		return this.#inner.audit(name, limit);
	}

	list(prefix: string): Promise<string[]> {
		return this.#inner.list(prefix);
	}

	deleteDocuments(name: string): Promise<number> {
		return this.#inner.deleteDocuments(name);
	}

	health(): Promise<StoreHealth> {
		return this.#inner.health();
	}

	close(): Promise<void> {
		return this.#inner.close();
	}
}
