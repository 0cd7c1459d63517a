/**
 * Durable storage of Yjs documents as an append-only log of updates plus a snapshot. Rooms talk
 * to this interface only, so an embedded SQLite store, an in-memory one for tests, and a
 * PostgreSQL one for several server instances are interchangeable (one contract suite runs
 * against every implementation: test/integration/store-contract.test.ts).
 */

/** What a document's storage holds: its updates in order, the snapshot (if any) first. */
export interface StoredDocument {
	/** Apply in order to an empty Y.Doc to get the stored state. */
	updates: Uint8Array[];
	/** Sequence number of the newest stored update, 0 when nothing is stored. */
	lastSeq: number;
}

export interface StoreHealth {
	ok: boolean;
	/** Implementation name, e.g. "sqlite". */
	kind: string;
	/** A sentence for operators when not ok. */
	detail?: string;
}

/** One accepted update, as the audit log keeps it (after compaction too). */
export interface AuditEntry {
	/** When the server accepted it, ms since epoch. */
	at: number;
	document: string;
	/** Its sequence number in the document's log. */
	seq: number;
	/** The person id it came from, or "server" for the server's own changes. */
	author: string;
	bytes: number;
	/**
	 * What the change was, when the server made it on someone's behalf (e.g. `repairBoard`, an
	 * admin's repair, with the admin as `author`); null for the changes people make by editing.
	 */
	intent: string | null;
}

export interface DocumentStore {
	/** Everything stored for a document (an empty list for a new one). */
	load(name: string): Promise<StoredDocument>;
	/**
	 * Appends one update and its audit entry (`author`: a person id, default "server"; `intent`:
	 * what the change was, default null); resolves with its sequence number once both are durable
	 * (they survive the process being killed). Implementations may commit several appends together.
	 */
	append(
		name: string,
		update: Uint8Array,
		author?: string,
		intent?: string | null,
		fence?: Fence | null
	): Promise<number>;
	/**
	 * Takes and keeps leases for `holder` (an instance id): renews every lease it holds that is in
	 * `wanted`, takes each lease of `wanted` that nobody holds or whose holder let it expire, and
	 * lets go of those it holds that are not in `wanted`. A lease changing hands gets a fencing
	 * token one above the last, so an append fenced with an older one is refused. Lasts `ttlMs`
	 * on the store's clock. Resolves with every lease `holder` holds now and its token.
	 */
	claimLeases(
		holder: string,
		wanted: readonly string[],
		ttlMs: number
	): Promise<Map<string, number>>;
	/**
	 * Replaces every update up to and including `throughSeq` by `snapshot` (an update encoding
	 * the state at that point), atomically. Updates after `throughSeq` are kept.
	 */
	compact(name: string, snapshot: Uint8Array, throughSeq: number): Promise<void>;
	/**
	 * The audit log of document `name` and of its sub-documents (`name/…`), newest first, at most
	 * `limit` entries.
	 */
	audit(name: string, limit: number): Promise<AuditEntry[]>;
	/** Names of stored documents starting with `prefix`, sorted. */
	list(prefix: string): Promise<string[]>;
	/**
	 * Deletes document `name` and its sub-documents (`name/…`) with their audit entries, after
	 * the appends already queued for them; resolves with how many documents were deleted.
	 */
	deleteDocuments(name: string): Promise<number>;
	health(): Promise<StoreHealth>;
	/** Flushes pending appends and releases resources; later calls reject. */
	close(): Promise<void>;
}

/**
 * A write made under a lease (see `claimLeases`): stored only while lease `lease` still has
 * fencing token `token`, so an instance that lost the lease without noticing cannot write.
 */
export interface Fence {
	lease: string;
	token: number;
}

/** The lease an append was fenced with changed hands: nothing was stored. */
export class FencedOutError extends Error {
	override readonly name = 'FencedOutError';
	constructor(fence: Fence) {
		super(
			`lease ${JSON.stringify(fence.lease)} moved on from token ${fence.token}: another ` +
				`instance speaks for it now, so this write was not stored`
		);
	}
}

/**
 * The store cannot be reached right now (its database is down or unreachable): nothing was
 * stored, and the same call may succeed later without a restart. Stores throw it for outages,
 * not for bad input; the API answers it with 503 `store-failed`, the relay closes connections
 * with `store-failed` so pages say the board cannot save right now.
 */
export class StoreUnavailableError extends Error {
	override readonly name = 'StoreUnavailableError';
	constructor(message = 'the database cannot be reached right now', options?: ErrorOptions) {
		super(message, options);
	}
}
