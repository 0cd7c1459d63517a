/**
 * DocumentStore in an embedded SQLite file (`<dir>/scrumops.db`): the default store, needing no
 * service. Appends arriving in the same tick are committed together in one transaction (group
 * commit), so a burst of keystrokes from many clients costs one commit, not one per update.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { MemberStore } from './members';
import type { IntegrationStore } from './integrations';
import { SqliteIntegrationStore } from './sqlite-integrations';
import { SqliteMemberStore } from './sqlite-members';
import { SqliteWebhookStore } from './sqlite-webhooks';
import type { WebhookStore } from './webhooks';
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

export const SQLITE_FILE_NAME = 'scrumops.db';

/** Bumped with every schema change; `open` refuses files written by a newer version. */
export const SQLITE_SCHEMA_VERSION = 8;
/** How often the WAL is folded into the database file, when there were writes. */
const CHECKPOINT_INTERVAL_MS = 1_000;

const DEFAULT_BUSY_TIMEOUT_MS = 5000;

export interface SqliteStoreOptions {
	/**
	 * How long a write waits for another connection (a second server process, a backup) to
	 * release the database lock before failing with SQLITE_BUSY. Default 5000 ms. The wait blocks
	 * the event loop, as every better-sqlite3 call does.
	 */
	busyTimeoutMs?: number;
}

/*
 * `updates` is WITHOUT ROWID: its rows are stored in (name, seq) order, so loading a document is
 * one range scan of adjacent pages and compaction deletes one contiguous range, and each append
 * writes one b-tree instead of a rowid table plus a separate primary-key index. Yjs updates are
 * mostly a few dozen bytes (keystrokes), the size WITHOUT ROWID is made for; the rare large one
 * spills to overflow pages as it would in a rowid table.
 * `documents` has a row for every document that was ever appended to, so `list` reads one table;
 * `snapshot_seq` is 0 until the first compaction. The next seq is max(seq in updates,
 * snapshot_seq) + 1, read inside the writing transaction: seqs continue after a compaction that
 * removed every update, and two processes sharing the file cannot hand out the same seq.
 */
const SCHEMA_V1 = `
	CREATE TABLE documents (
		name TEXT PRIMARY KEY NOT NULL,
		snapshot BLOB,
		snapshot_seq INTEGER NOT NULL DEFAULT 0
	) STRICT;
	CREATE TABLE updates (
		name TEXT NOT NULL,
		seq INTEGER NOT NULL,
		data BLOB NOT NULL,
		PRIMARY KEY (name, seq)
	) STRICT, WITHOUT ROWID;
`;

/*
 * Version 2: who may use which board (sqlite-members.ts) and the audit log of accepted updates.
 * The audit row is written in the same transaction as its update, so neither exists without the
 * other; it survives compaction, which folds the update itself into a snapshot.
 */
const SCHEMA_V2 = `
	CREATE TABLE boards (
		id TEXT PRIMARY KEY NOT NULL,
		name TEXT NOT NULL,
		created_at INTEGER NOT NULL
	) STRICT;
	CREATE TABLE members (
		board TEXT NOT NULL,
		person TEXT NOT NULL,
		name TEXT NOT NULL,
		teams TEXT NOT NULL,
		roles TEXT NOT NULL,
		admin INTEGER NOT NULL,
		joined_at INTEGER NOT NULL,
		removed_at INTEGER,
		PRIMARY KEY (board, person)
	) STRICT, WITHOUT ROWID;
	CREATE TABLE audit (
		id INTEGER PRIMARY KEY,
		at INTEGER NOT NULL,
		document TEXT NOT NULL,
		seq INTEGER NOT NULL,
		author TEXT NOT NULL,
		bytes INTEGER NOT NULL
	) STRICT;
	CREATE INDEX audit_by_document ON audit (document, id);
`;

/** Version 3: the invites the admins made, so one can be revoked before it expires. */
const SCHEMA_V3 = `
	CREATE TABLE invites (
		board TEXT NOT NULL,
		id TEXT NOT NULL,
		team TEXT,
		role TEXT NOT NULL,
		created_by TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		expires_at INTEGER NOT NULL,
		revoked_at INTEGER,
		PRIMARY KEY (board, id)
	) STRICT, WITHOUT ROWID;
`;

/**
 * Version 4: what a change the server made on someone's behalf was (an admin's repair), so the
 * audit log tells it from that person's own edits. Null for the rows written before.
 */
const SCHEMA_V4 = `
	ALTER TABLE audit ADD COLUMN intent TEXT;
`;

/**
 * Version 5: demo sandboxes (a board's `sandbox` flag and when it was last active, so idle ones
 * can be removed), when a member last changed, and members' requests to change their teams and
 * roles. Boards written before
 * are not sandboxes and were last active when created.
 */
const SCHEMA_V5 = `
	ALTER TABLE boards ADD COLUMN sandbox INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE boards ADD COLUMN last_active_at INTEGER NOT NULL DEFAULT 0;
	UPDATE boards SET last_active_at = created_at;
	CREATE INDEX boards_by_activity ON boards (sandbox, last_active_at);
	ALTER TABLE members ADD COLUMN changed_at INTEGER;
	CREATE TABLE change_requests (
		board TEXT NOT NULL,
		id TEXT NOT NULL,
		person TEXT NOT NULL,
		teams TEXT NOT NULL,
		roles TEXT NOT NULL,
		status TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		decided_by TEXT,
		decided_at INTEGER,
		PRIMARY KEY (board, id)
	) STRICT, WITHOUT ROWID;
`;

/*
 * Version 6: leases (see DocumentStore.claimLeases). A row is never deleted, so a lease's token
 * never starts over; `expires_at` is ms since epoch.
 */
const SCHEMA_V6 = `
	CREATE TABLE leases (
		name TEXT PRIMARY KEY NOT NULL,
		holder TEXT NOT NULL,
		token INTEGER NOT NULL,
		expires_at INTEGER NOT NULL
	) STRICT, WITHOUT ROWID;
`;

/*
 * Version 7: alert intake (sqlite-integrations.ts). An integration keeps its token's SHA-256,
 * never the token; its routing is JSON. `alert_groups` gives each alert group (by the SHA-256 of
 * its key) one work package: the primary key makes the first claim win.
 */
const SCHEMA_V7 = `
	CREATE TABLE integrations (
		board TEXT NOT NULL,
		id TEXT NOT NULL,
		name TEXT NOT NULL,
		token_hash TEXT NOT NULL,
		routing TEXT NOT NULL,
		created_by TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		revoked_at INTEGER,
		PRIMARY KEY (board, id)
	) STRICT, WITHOUT ROWID;
	CREATE TABLE alert_groups (
		board TEXT NOT NULL,
		integration TEXT NOT NULL,
		group_hash TEXT NOT NULL,
		work_package TEXT NOT NULL,
		claimed_at INTEGER NOT NULL,
		PRIMARY KEY (board, integration, group_hash)
	) STRICT, WITHOUT ROWID;
`;

/**
 * Version 8: outbound webhooks and their delivery log (webhooks.ts). A delivery's key is its
 * webhook and event, so recording an occurrence twice keeps the first.
 */
const SCHEMA_V8 = `
	CREATE TABLE webhooks (
		board TEXT NOT NULL,
		id TEXT NOT NULL,
		url TEXT NOT NULL,
		secret TEXT NOT NULL,
		events TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		PRIMARY KEY (board, id)
	) STRICT;
	CREATE TABLE webhook_deliveries (
		webhook TEXT NOT NULL,
		event_id TEXT NOT NULL,
		board TEXT NOT NULL,
		type TEXT NOT NULL,
		body TEXT NOT NULL,
		status TEXT NOT NULL,
		attempts INTEGER NOT NULL,
		last_status_code INTEGER,
		last_error TEXT,
		next_attempt_at INTEGER,
		delivered_at INTEGER,
		created_at INTEGER NOT NULL,
		PRIMARY KEY (webhook, event_id)
	) STRICT;
	CREATE INDEX webhook_deliveries_due ON webhook_deliveries (board, status, next_attempt_at);
	CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook, created_at);
`;

interface PendingAppend {
	name: string;
	update: Uint8Array;
	author: string;
	intent: string | null;
	fence: Fence | null;
	at: number;
	resolve: (seq: number) => void;
	reject: (error: Error) => void;
}

interface DocumentRow {
	snapshot: Uint8Array | null;
	snapshot_seq: number;
}

interface AuditRow {
	at: number;
	document: string;
	seq: number;
	author: string;
	bytes: number;
	intent: string | null;
}

interface UpdateRow {
	seq: number;
	data: Uint8Array;
}

export class SqliteStore implements DocumentStore {
	readonly file: string;
	readonly #db: Database.Database;
	readonly #busyTimeoutMs: number;
	#queue: PendingAppend[] = [];
	#flushScheduled: NodeJS.Immediate | null = null;
	#closed = false;

	readonly #insertDocument: Database.Statement<[string]>;
	readonly #insertUpdate: Database.Statement<[string, number, Uint8Array]>;
	readonly #selectLastSeq: Database.Statement<{ name: string }, number>;
	readonly #selectDocument: Database.Statement<[string], DocumentRow>;
	readonly #selectUpdates: Database.Statement<[string], UpdateRow>;
	readonly #writeSnapshot: Database.Statement<[Uint8Array, number, string]>;
	readonly #deleteUpdatesThrough: Database.Statement<[string, number]>;
	readonly #selectNamesFrom: Database.Statement<[string], string>;
	readonly #ping: Database.Statement<[], number>;
	readonly #insertAudit: Database.Statement<
		[number, string, number, string, number, string | null]
	>;
	readonly #selectAudit: Database.Statement<[string, string, string, number], AuditRow>;
	#members: SqliteMemberStore | null = null;
	#integrations: SqliteIntegrationStore | null = null;
	#webhooks: SqliteWebhookStore | null = null;

	/** Each append's seq, or null for one fenced out. */
	readonly #commitAppends: Database.Transaction<(batch: PendingAppend[]) => (number | null)[]>;
	readonly #claimLeases: Database.Transaction<
		(holder: string, wanted: string[], ttlMs: number) => Map<string, number>
	>;
	readonly #compactDocument: Database.Transaction<
		(name: string, snapshot: Uint8Array, throughSeq: number) => void
	>;
	readonly #readDocument: Database.Transaction<(name: string) => StoredDocument>;
	readonly #deleteTree: Database.Transaction<(name: string) => number>;

	/** Opens (creating if needed) `<dir>/scrumops.db`, migrating its schema to the current one. */
	static open(dir: string, options: SqliteStoreOptions = {}): SqliteStore {
		const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
		if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
			throw new RangeError(
				`busyTimeoutMs must be a whole number of milliseconds ≥ 0, got ${busyTimeoutMs}.`
			);
		}
		const file = join(dir, SQLITE_FILE_NAME);
		let db: Database.Database;
		try {
			mkdirSync(dir, { recursive: true });
			db = new Database(file);
		} catch (error) {
			throw new Error(
				`Could not open the SQLite store ${file}: ${messageOf(error)}. Check that the ` +
					`directory can be created and that this process may write to it.`,
				{ cause: error }
			);
		}
		try {
			configure(db, file, busyTimeoutMs);
			migrate(db, file);
			return new SqliteStore(db, file, busyTimeoutMs);
		} catch (error) {
			db.close();
			throw error;
		}
	}

	/** Checkpoints the WAL off the main thread (see sqlite-checkpointer.js). */
	readonly #checkpointer: Worker;
	#checkpointTimer: ReturnType<typeof setInterval>;
	#writesSinceCheckpoint = 0;
	#checkpointing = false;
	/** The last checkpoint error, reported by health() until a checkpoint succeeds. */
	#checkpointError: string | null = null;

	private constructor(db: Database.Database, file: string, busyTimeoutMs: number) {
		this.#db = db;
		this.file = file;
		this.#busyTimeoutMs = busyTimeoutMs;
		this.#checkpointer = new Worker(new URL('./sqlite-checkpointer.js', import.meta.url), {
			workerData: { file, busyTimeoutMs }
		});
		this.#checkpointer.unref();
		this.#checkpointer.on('message', (reply: { ok: boolean; error?: string }) => {
			this.#checkpointing = false;
			this.#checkpointError = reply.ok ? null : (reply.error ?? 'unknown error');
		});
		this.#checkpointer.on('error', (error) => {
			this.#checkpointError = `the checkpoint worker stopped: ${messageOf(error)}`;
		});
		this.#checkpointTimer = setInterval(() => this.#checkpoint(), CHECKPOINT_INTERVAL_MS);
		this.#checkpointTimer.unref();

		this.#insertDocument = db.prepare(
			'INSERT INTO documents (name) VALUES (?) ON CONFLICT (name) DO NOTHING'
		);
		this.#insertUpdate = db.prepare('INSERT INTO updates (name, seq, data) VALUES (?, ?, ?)');
		this.#selectLastSeq = db
			.prepare<{ name: string }, number>(
				`SELECT max(
					coalesce((SELECT max(seq) FROM updates WHERE name = @name), 0),
					coalesce((SELECT snapshot_seq FROM documents WHERE name = @name), 0)
				)`
			)
			.pluck();
		this.#selectDocument = db.prepare(
			'SELECT snapshot, snapshot_seq FROM documents WHERE name = ?'
		);
		this.#selectUpdates = db.prepare('SELECT seq, data FROM updates WHERE name = ? ORDER BY seq');
		this.#writeSnapshot = db.prepare(
			'UPDATE documents SET snapshot = ?, snapshot_seq = ? WHERE name = ?'
		);
		this.#deleteUpdatesThrough = db.prepare('DELETE FROM updates WHERE name = ? AND seq <= ?');
		// Names with a given prefix are one contiguous run in the index, starting at the prefix.
		this.#selectNamesFrom = db
			.prepare<[string], string>('SELECT name FROM documents WHERE name >= ? ORDER BY name')
			.pluck();
		this.#ping = db.prepare<[], number>('SELECT count(*) FROM documents WHERE 0').pluck();
		this.#insertAudit = db.prepare(
			'INSERT INTO audit (at, document, seq, author, bytes, intent) VALUES (?, ?, ?, ?, ?, ?)'
		);
		// The document itself, or its sub-documents: names from `<prefix>/` up to `<prefix>0`.
		this.#selectAudit = db.prepare(
			`SELECT at, document, seq, author, bytes, intent FROM audit
			WHERE document = ? OR (document >= ? AND document < ?)
			ORDER BY id DESC LIMIT ?`
		);

		const selectToken = db
			.prepare<[string], number>('SELECT token FROM leases WHERE name = ?')
			.pluck();
		this.#commitAppends = db.transaction((batch: PendingAppend[]) => {
			const lastSeqs = new Map<string, number>();
			return batch.map(({ name, update, author, intent, fence, at }) => {
				// Refused alone: the rest of the batch is stored.
				if (fence && selectToken.get(fence.lease) !== fence.token) return null;
				let seq = lastSeqs.get(name);
				if (seq === undefined) {
					this.#insertDocument.run(name);
					seq = this.#selectLastSeq.get({ name }) ?? 0;
				}
				seq += 1;
				lastSeqs.set(name, seq);
				this.#insertUpdate.run(name, seq, update);
				this.#insertAudit.run(at, name, seq, author, update.byteLength, intent);
				return seq;
			});
		});

		const releaseLeases = db.prepare<{ holder: string; wanted: string }>(
			`UPDATE leases SET expires_at = 0
			WHERE holder = :holder AND name NOT IN (SELECT value FROM json_each(:wanted))`
		);
		const takeLease = db.prepare<{ name: string; holder: string; now: number; until: number }>(
			`INSERT INTO leases (name, holder, token, expires_at) VALUES (:name, :holder, 1, :until)
			ON CONFLICT (name) DO UPDATE SET
				token = CASE WHEN holder = excluded.holder THEN token ELSE token + 1 END,
				holder = excluded.holder,
				expires_at = excluded.expires_at
			WHERE holder = excluded.holder OR expires_at <= :now`
		);
		const heldBy = db.prepare<[string], { name: string; token: number }>(
			'SELECT name, token FROM leases WHERE holder = ? AND expires_at > 0'
		);
		this.#claimLeases = db.transaction((holder: string, wanted: string[], ttlMs: number) => {
			const now = Date.now();
			releaseLeases.run({ holder, wanted: JSON.stringify(wanted) });
			for (const name of wanted) takeLease.run({ name, holder, now, until: now + ttlMs });
			return new Map(heldBy.all(holder).map((row) => [row.name, row.token]));
		});

		this.#compactDocument = db.transaction(
			(name: string, snapshot: Uint8Array, throughSeq: number) => {
				const lastSeq = this.#selectLastSeq.get({ name }) ?? 0;
				const snapshotSeq = this.#selectDocument.get(name)?.snapshot_seq ?? 0;
				checkThroughSeq(name, throughSeq, lastSeq, snapshotSeq);
				this.#writeSnapshot.run(snapshot, throughSeq, name);
				this.#deleteUpdatesThrough.run(name, throughSeq);
			}
		);

		// One read transaction, so a compaction by another process cannot fall between the two reads.
		// A document and its sub-documents: the name itself, and names from `<name>/` to `<name>0`.
		const inTree = 'name = @name OR (name >= @from AND name < @to)';
		const deleteDocuments = db.prepare<{ name: string; from: string; to: string }>(
			`DELETE FROM documents WHERE ${inTree}`
		);
		const deleteUpdates = db.prepare<{ name: string; from: string; to: string }>(
			`DELETE FROM updates WHERE ${inTree}`
		);
		const deleteAudit = db.prepare<{ name: string; from: string; to: string }>(
			'DELETE FROM audit WHERE document = @name OR (document >= @from AND document < @to)'
		);
		this.#deleteTree = db.transaction((name: string) => {
			const range = { name, from: `${name}/`, to: `${name}0` };
			const deleted = deleteDocuments.run(range).changes;
			deleteUpdates.run(range);
			deleteAudit.run(range);
			return deleted;
		});

		this.#readDocument = db.transaction((name: string): StoredDocument => {
			const doc = this.#selectDocument.get(name);
			const rows = this.#selectUpdates.all(name);
			const updates: Uint8Array[] = [];
			if (doc?.snapshot) updates.push(copyBytes(doc.snapshot));
			// Plain Uint8Arrays, not the driver's Buffers: the same shape every store returns.
			for (const row of rows) updates.push(copyBytes(row.data));
			const lastSeq = Math.max(doc?.snapshot_seq ?? 0, rows.at(-1)?.seq ?? 0);
			return { updates, lastSeq };
		});
	}

	async load(name: string): Promise<StoredDocument> {
		this.#assertOpen('load');
		checkName(name);
		try {
			return this.#readDocument(name);
		} catch (error) {
			throw this.#storageError(`Loading document ${JSON.stringify(name)}`, error);
		}
	}

	append(
		name: string,
		update: Uint8Array,
		author: string = SERVER_AUTHOR,
		intent: string | null = null,
		fence: Fence | null = null
	): Promise<number> {
		try {
			this.#assertOpen('append');
			checkName(name);
			checkBytes(update, 'update');
			checkAuthor(author);
			checkIntent(intent);
			checkFence(fence);
		} catch (error) {
			return Promise.reject(error);
		}
		// Copied now: the caller may reuse its buffer before the batch is written.
		const copy = copyBytes(update);
		const at = Date.now();
		return new Promise<number>((resolve, reject) => {
			this.#queue.push({ name, update: copy, author, intent, fence, at, resolve, reject });
			this.#flushScheduled ??= setImmediate(() => this.#flush());
		});
	}

	async claimLeases(
		holder: string,
		wanted: readonly string[],
		ttlMs: number
	): Promise<Map<string, number>> {
		this.#assertOpen('claimLeases');
		const names = checkClaim(holder, wanted, ttlMs);
		try {
			return this.#claimLeases.immediate(holder, names, ttlMs);
		} catch (error) {
			throw this.#storageError('Claiming leases', error);
		}
	}

	async compact(name: string, snapshot: Uint8Array, throughSeq: number): Promise<void> {
		this.#assertOpen('compact');
		checkName(name);
		checkBytes(snapshot, 'snapshot');
		// Appends still queued are not touched: they are written later, with seqs read from the
		// database at that time, so they land after throughSeq and are kept.
		try {
			this.#compactDocument.immediate(name, snapshot, throughSeq);
			this.#writesSinceCheckpoint++;
		} catch (error) {
			if (error instanceof TypeError || error instanceof RangeError) throw error;
			throw this.#storageError(`Compacting document ${JSON.stringify(name)}`, error);
		}
	}

	async audit(name: string, limit: number): Promise<AuditEntry[]> {
		this.#assertOpen('audit');
		checkName(name);
		checkLimit(limit);
		try {
			return this.#selectAudit.all(name, `${name}/`, `${name}0`, limit).map((row) => ({
				at: row.at,
				document: row.document,
				seq: row.seq,
				author: row.author,
				bytes: row.bytes,
				intent: row.intent
			}));
		} catch (error) {
			throw this.#storageError(`Reading the audit log of ${JSON.stringify(name)}`, error);
		}
	}

	async deleteDocuments(name: string): Promise<number> {
		this.#assertOpen('deleteDocuments');
		checkName(name);
		// Appends queued for these documents are written first, so none lands after the delete.
		const failure = this.#flush();
		if (failure) throw failure;
		try {
			return this.#deleteTree.immediate(name);
		} catch (error) {
			throw this.#storageError(`Deleting ${JSON.stringify(name)} and its sub-documents`, error);
		}
	}

	/** Board membership, kept in the same file. */
	members(): MemberStore {
		this.#assertOpen('members');
		this.#members ??= new SqliteMemberStore(this.#db);
		return this.#members;
	}

	/** Alert integrations and the groups they opened work for, kept in the same file. */
	integrations(): IntegrationStore {
		this.#assertOpen('integrations');
		this.#integrations ??= new SqliteIntegrationStore(this.#db);
		return this.#integrations;
	}

	/** Outbound webhooks and their delivery log, kept in the same file. */
	webhooks(): WebhookStore {
		this.#assertOpen('webhooks');
		this.#webhooks ??= new SqliteWebhookStore(this.#db);
		return this.#webhooks;
	}

	async list(prefix: string): Promise<string[]> {
		this.#assertOpen('list');
		checkPrefix(prefix);
		try {
			const names: string[] = [];
			for (const name of this.#selectNamesFrom.iterate(prefix)) {
				if (!name.startsWith(prefix)) break;
				names.push(name);
			}
			// SQLite orders by UTF-8 bytes, JavaScript by UTF-16 units; they differ above U+FFFF.
			return names.sort();
		} catch (error) {
			throw this.#storageError(`Listing documents starting with ${JSON.stringify(prefix)}`, error);
		}
	}

	async health(): Promise<StoreHealth> {
		this.#assertOpen('health');
		try {
			this.#ping.get();
			if (this.#checkpointError !== null) {
				return {
					ok: false,
					kind: 'sqlite',
					detail: `Folding the write-ahead log into ${this.file} failed: ${this.#checkpointError}. Writes still succeed, but the log grows until this is fixed (check disk space and permissions).`
				};
			}
			return { ok: true, kind: 'sqlite' };
		} catch (error) {
			return {
				ok: false,
				kind: 'sqlite',
				detail: this.#storageError('Reading the documents table', error).message
			};
		}
	}

	/**
	 * Writes the appends still queued, then closes the file. Rejects if those appends could not
	 * be written (their own promises reject too). Idempotent: shutdown paths often close twice.
	 */
	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		clearInterval(this.#checkpointTimer);
		// The worker is unreferenced while the store is open; here the process must wait for it
		// to exit, or a caller awaiting close() with nothing else to do would never resume.
		this.#checkpointer.ref();
		this.#checkpointer.postMessage('close');
		await new Promise<void>((resolve) => {
			this.#checkpointer.once('exit', () => resolve());
			setTimeout(() => void this.#checkpointer.terminate().then(() => resolve()), 2_000).unref();
		});
		const failure = this.#flush();
		// Leave a checkpointed file behind: the next open starts with an empty WAL.
		if (!failure) this.#db.pragma('wal_checkpoint(TRUNCATE)');
		this.#db.close();
		if (failure) throw failure;
	}

	/** Asks the worker for a checkpoint when something was written since the last one. */
	#checkpoint(): void {
		if (this.#checkpointing || this.#writesSinceCheckpoint === 0) return;
		this.#writesSinceCheckpoint = 0;
		this.#checkpointing = true;
		this.#checkpointer.postMessage('checkpoint');
	}

	/** Commits every queued append in one transaction, then settles their promises. */
	#flush(): Error | undefined {
		if (this.#flushScheduled) clearImmediate(this.#flushScheduled);
		this.#flushScheduled = null;
		const batch = this.#queue;
		this.#queue = [];
		if (batch.length === 0) return undefined;
		let seqs: (number | null)[];
		try {
			// IMMEDIATE takes the write lock up front, so busy_timeout applies; a deferred
			// transaction upgrading from read to write can fail at once with SQLITE_BUSY.
			seqs = this.#commitAppends.immediate(batch);
			this.#writesSinceCheckpoint += batch.length;
		} catch (cause) {
			// The transaction rolled back: none of the batch is durable, so none may resolve.
			const names = [...new Set(batch.map((pending) => JSON.stringify(pending.name)))];
			const error = this.#storageError(
				`Saving ${batch.length} update(s) to ${names.slice(0, 5).join(', ')}` +
					(names.length > 5 ? ` and ${names.length - 5} more documents` : '') +
					' (none of them was saved)',
				cause
			);
			for (const pending of batch) pending.reject(error);
			return error;
		}
		batch.forEach((pending, index) => {
			const seq = seqs[index];
			if (seq === null || seq === undefined) pending.reject(new FencedOutError(pending.fence!));
			else pending.resolve(seq);
		});
		return undefined;
	}

	#assertOpen(operation: string): void {
		if (this.#closed) throw closedError(`SqliteStore ${this.file}`, operation);
	}

	#storageError(action: string, cause: unknown): Error {
		const code = codeOf(cause);
		const hint = hintFor(code, this.#busyTimeoutMs);
		return new Error(
			`${action} failed in ${this.file}: ${messageOf(cause)}${code ? ` (${code})` : ''}. ${hint}`,
			{ cause }
		);
	}
}

function configure(db: Database.Database, file: string, busyTimeoutMs: number): void {
	// WAL: readers never block the writer, and a commit appends to one file instead of
	// rewriting pages in place behind a rollback journal.
	const mode = db.pragma('journal_mode = WAL', { simple: true });
	if (mode !== 'wal') {
		throw new Error(
			`SQLite refused WAL journal mode for ${file} (it stayed ${String(mode)}). WAL needs ` +
				`shared memory, which network file systems often lack: put the data directory on a ` +
				`local disk.`
		);
	}
	// NORMAL in WAL mode: a commit is in the WAL file (the operating system's cache) before it
	// returns, but is not fsynced. That survives the process being killed, which is what append()
	// promises; a power cut or kernel crash may lose the last commits, never corrupt the file.
	// FULL would add an fsync per commit to also survive power loss.
	db.pragma('synchronous = NORMAL');
	db.pragma(`busy_timeout = ${busyTimeoutMs}`);
	// Checkpoints fsync; they run on a worker (sqlite-checkpointer.js), never in a commit here.
	db.pragma('wal_autocheckpoint = 0');
}

/** Brings the schema to SQLITE_SCHEMA_VERSION, recorded in `PRAGMA user_version`. */
function migrate(db: Database.Database, file: string): void {
	// IMMEDIATE: two processes opening a new file at once must not both create the tables.
	db.transaction(() => {
		const version = db.pragma('user_version', { simple: true }) as number;
		if (version > SQLITE_SCHEMA_VERSION) {
			throw new Error(
				`${file} has schema version ${version}, newer than this server understands ` +
					`(${SQLITE_SCHEMA_VERSION}). Run the newer server, or restore a backup made by ` +
					`this version.`
			);
		}
		if (version < 1) db.exec(SCHEMA_V1);
		if (version < 2) db.exec(SCHEMA_V2);
		if (version < 3) db.exec(SCHEMA_V3);
		if (version < 4) db.exec(SCHEMA_V4);
		if (version < 5) db.exec(SCHEMA_V5);
		if (version < 6) db.exec(SCHEMA_V6);
		if (version < 7) db.exec(SCHEMA_V7);
		if (version < 8) db.exec(SCHEMA_V8);
		if (version < SQLITE_SCHEMA_VERSION) db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
	}).immediate();
}

function codeOf(error: unknown): string | undefined {
	if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
		return error.code;
	}
	return undefined;
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** What an operator can do about an SQLite error, by its primary result code. */
function hintFor(code: string | undefined, busyTimeoutMs: number): string {
	switch (code?.split('_').slice(0, 2).join('_')) {
		case 'SQLITE_FULL':
			return 'The disk holding the database is full: free space, then retry.';
		case 'SQLITE_BUSY':
		case 'SQLITE_LOCKED':
			return (
				`Another connection held the database lock for over ${busyTimeoutMs} ms: look for ` +
				`a second server or a long backup using this file.`
			);
		case 'SQLITE_READONLY':
		case 'SQLITE_PERM':
		case 'SQLITE_CANTOPEN':
			return 'The database file or its directory is not writable: check permissions and mounts.';
		case 'SQLITE_IOERR':
			return 'The operating system reported an I/O error: check the disk and the system log.';
		case 'SQLITE_CORRUPT':
		case 'SQLITE_NOTADB':
			return 'The database file is damaged or not an SQLite file: restore it from a backup.';
		default:
			return 'The cause has the driver error.';
	}
}
