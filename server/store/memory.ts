/**
 * DocumentStore held in process memory: for tests, and the reference semantics every other
 * store must match (the contract suite runs against both). Nothing survives the process.
 */
import {
	FencedOutError,
	type AuditEntry,
	type DocumentStore,
	type Fence,
	type StoredDocument,
	type StoreHealth
} from './store';
import {
	checkAuthor,
	checkBytes,
	checkClaim,
	checkFence,
	checkIntent,
	checkLimit,
	checkName,
	checkPrefix,
	checkThroughSeq,
	closedError,
	copyBytes,
	SERVER_AUTHOR
} from './validate';

interface MemoryDocument {
	snapshot: Uint8Array | null;
	snapshotSeq: number;
	/** Updates after the snapshot, oldest first; `seqs[i]` belongs to `updates[i]`. */
	updates: Uint8Array[];
	seqs: number[];
	lastSeq: number;
}

interface Lease {
	holder: string;
	token: number;
	/** ms since epoch. */
	expiresAt: number;
}

export class MemoryStore implements DocumentStore {
	#documents = new Map<string, MemoryDocument>();
	/** Never deleted: a token must not start over. */
	readonly #leases = new Map<string, Lease>();
	#audit: AuditEntry[] = [];
	#closed = false;

	async load(name: string): Promise<StoredDocument> {
		this.#assertOpen('load');
		checkName(name);
		const doc = this.#documents.get(name);
		if (!doc) return { updates: [], lastSeq: 0 };
		// Copies out, so a caller mutating what it loaded cannot change what is stored.
		const updates = doc.updates.map((update) => copyBytes(update));
		if (doc.snapshot) updates.unshift(copyBytes(doc.snapshot));
		return { updates, lastSeq: doc.lastSeq };
	}

	async append(
		name: string,
		update: Uint8Array,
		author: string = SERVER_AUTHOR,
		intent: string | null = null,
		fence: Fence | null = null
	): Promise<number> {
		this.#assertOpen('append');
		checkName(name);
		checkBytes(update, 'update');
		checkAuthor(author);
		checkIntent(intent);
		checkFence(fence);
		if (fence && this.#leases.get(fence.lease)?.token !== fence.token) {
			throw new FencedOutError(fence);
		}
		let doc = this.#documents.get(name);
		if (!doc) {
			doc = { snapshot: null, snapshotSeq: 0, updates: [], seqs: [], lastSeq: 0 };
			this.#documents.set(name, doc);
		}
		doc.lastSeq += 1;
		// Copies in, so a caller reusing its buffer cannot change what is stored.
		doc.updates.push(copyBytes(update));
		doc.seqs.push(doc.lastSeq);
		this.#audit.push({
			at: Date.now(),
			document: name,
			seq: doc.lastSeq,
			author,
			bytes: update.byteLength,
			intent
		});
		return doc.lastSeq;
	}

	async claimLeases(
		holder: string,
		wanted: readonly string[],
		ttlMs: number
	): Promise<Map<string, number>> {
		this.#assertOpen('claimLeases');
		const names = checkClaim(holder, wanted, ttlMs);
		const now = Date.now();
		const wantedSet = new Set(names);
		for (const [name, lease] of this.#leases) {
			if (lease.holder === holder && !wantedSet.has(name)) lease.expiresAt = 0;
		}
		const held = new Map<string, number>();
		for (const name of names) {
			const lease = this.#leases.get(name);
			if (!lease) {
				this.#leases.set(name, { holder, token: 1, expiresAt: now + ttlMs });
			} else if (lease.holder === holder) {
				lease.expiresAt = now + ttlMs;
			} else if (lease.expiresAt <= now) {
				Object.assign(lease, { holder, token: lease.token + 1, expiresAt: now + ttlMs });
			} else continue;
			held.set(name, this.#leases.get(name)!.token);
		}
		return held;
	}

	async compact(name: string, snapshot: Uint8Array, throughSeq: number): Promise<void> {
		this.#assertOpen('compact');
		checkName(name);
		checkBytes(snapshot, 'snapshot');
		const doc = this.#documents.get(name);
		checkThroughSeq(name, throughSeq, doc?.lastSeq ?? 0, doc?.snapshotSeq ?? 0);
		// checkThroughSeq refuses every seq of a document that does not exist.
		if (!doc) return;
		const kept = doc.seqs.findIndex((seq) => seq > throughSeq);
		const cut = kept === -1 ? doc.seqs.length : kept;
		doc.updates.splice(0, cut);
		doc.seqs.splice(0, cut);
		doc.snapshot = copyBytes(snapshot);
		doc.snapshotSeq = throughSeq;
	}

	async audit(name: string, limit: number): Promise<AuditEntry[]> {
		this.#assertOpen('audit');
		checkName(name);
		checkLimit(limit);
		const entries: AuditEntry[] = [];
		for (let i = this.#audit.length - 1; i >= 0 && entries.length < limit; i--) {
			const entry = this.#audit[i]!;
			if (entry.document === name || entry.document.startsWith(`${name}/`))
				entries.push({ ...entry });
		}
		return entries;
	}

	async list(prefix: string): Promise<string[]> {
		this.#assertOpen('list');
		checkPrefix(prefix);
		return [...this.#documents.keys()].filter((name) => name.startsWith(prefix)).sort();
	}

	async deleteDocuments(name: string): Promise<number> {
		this.#assertOpen('deleteDocuments');
		checkName(name);
		const within = (document: string) => document === name || document.startsWith(`${name}/`);
		const names = [...this.#documents.keys()].filter(within);
		for (const document of names) this.#documents.delete(document);
		this.#audit = this.#audit.filter((entry) => !within(entry.document));
		return names.length;
	}

	async health(): Promise<StoreHealth> {
		this.#assertOpen('health');
		return { ok: true, kind: 'memory' };
	}

	/** Idempotent: shutdown paths (signal handler, then `finally`) often close twice. */
	async close(): Promise<void> {
		this.#closed = true;
	}

	#assertOpen(operation: string): void {
		if (this.#closed) throw closedError('MemoryStore', operation);
	}
}
