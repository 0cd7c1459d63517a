/**
 * DocumentStore in PostgreSQL (`DATABASE_URL`): the store of record when several server
 * instances serve the same boards. Like the SQLite store, appends issued in the same tick are
 * committed together in one transaction (group commit), and an append resolves only after its
 * COMMIT returned. Seqs come from a per-document counter row locked by the appending
 * transaction, so appends from several instances to one document get unique, consecutive seqs
 * in commit order.
 */
import pg, { type PoolClient } from 'pg';
import type { MemberStore } from './members';
import type { IntegrationStore } from './integrations';
import { PostgresIntegrationStore } from './postgres-integrations';
import { PostgresMemberStore } from './postgres-members';
import { PostgresWebhookStore } from './postgres-webhooks';
import type { WebhookStore } from './webhooks';
import { migrate, NewerSchemaError } from './postgres-schema';
import {
	FencedOutError,
	StoreUnavailableError,
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

export interface PostgresStoreOptions {
	/** Most connections this store (one server instance) opens. Default 10. */
	poolMax?: number;
	/** How long opening a connection, or waiting for a free one, may take. Default 5000 ms. */
	connectTimeoutMs?: number;
	/**
	 * How long one statement may run on the server, waits for another instance's row lock
	 * included. Default 15000 ms. The client stops waiting for an answer 5 s later (a server
	 * that is gone cannot say it timed out).
	 */
	statementTimeoutMs?: number;
}

export const DEFAULT_POSTGRES_OPTIONS: Required<PostgresStoreOptions> = {
	poolMax: 10,
	connectTimeoutMs: 5_000,
	statementTimeoutMs: 15_000
};

/**
 * How long the client waits for an answer beyond the server's own statement timeout (which
 * PostgreSQL enforces itself, as long as it can still answer): as long again, at most 5 s.
 */
function answerTimeoutMs(statementTimeoutMs: number): number {
	return statementTimeoutMs + Math.min(statementTimeoutMs, 5_000);
}
/** Times a group commit is retried when PostgreSQL chose it as a deadlock victim. */
const DEADLOCK_RETRIES = 3;

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

/*
 * Seqs and timestamps are int8 columns; pg hands those over as strings. Every value this store
 * keeps in one (seqs, ms since epoch, byte counts) is far below 2^53, so a number is exact.
 */
const INT8_OID = 20;
const types = {
	getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
		oid === INT8_OID && format !== 'binary'
			? (value: string) => Number(value)
			: pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser
};

export class PostgresStore implements DocumentStore {
	/** The database as `host:port/name`, for messages (never the password). */
	readonly where: string;
	readonly #pool: pg.Pool;
	readonly #options: Required<PostgresStoreOptions>;
	#queue: PendingAppend[] = [];
	#flushScheduled: NodeJS.Immediate | null = null;
	/** Group commits and deletions run one after another, in the order they were asked for. */
	#chain: Promise<unknown> = Promise.resolve();
	#closed = false;
	#members: PostgresMemberStore | null = null;
	#integrations: PostgresIntegrationStore | null = null;
	#webhooks: PostgresWebhookStore | null = null;

	/**
	 * Connects to `url` (postgres://user:password@host:port/database), creating or migrating the
	 * schema. Rejects with a sentence naming the database when it cannot be reached.
	 */
	static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
		const settings = { ...DEFAULT_POSTGRES_OPTIONS, ...definedOnly(options) };
		for (const [key, value] of Object.entries(settings)) {
			if (!Number.isSafeInteger(value) || value < 1) {
				throw new RangeError(`${key} must be a whole number above 0, got ${value}.`);
			}
		}
		const where = describeUrl(url);
		const pool = new pg.Pool({
			connectionString: url,
			max: settings.poolMax,
			connectionTimeoutMillis: settings.connectTimeoutMs,
			idleTimeoutMillis: 30_000,
			statement_timeout: settings.statementTimeoutMs,
			// A transaction left open by a stalled client must not hold document locks for long.
			idle_in_transaction_session_timeout: settings.statementTimeoutMs * 2,
			query_timeout: answerTimeoutMs(settings.statementTimeoutMs),
			keepAlive: true,
			keepAliveInitialDelayMillis: 10_000,
			application_name: 'scrumops',
			types
		});
		const store = new PostgresStore(pool, where, settings);
		let client: PoolClient;
		try {
			client = await pool.connect();
		} catch (error) {
			await pool.end().catch(() => undefined);
			throw store.#storageError('Connecting', error);
		}
		try {
			await migrate(client, where);
			client.release();
		} catch (error) {
			client.release(true);
			await pool.end().catch(() => undefined);
			if (error instanceof NewerSchemaError) throw error;
			throw store.#storageError('Creating or migrating the schema', error);
		}
		return store;
	}

	private constructor(pool: pg.Pool, where: string, options: Required<PostgresStoreOptions>) {
		this.#pool = pool;
		this.where = where;
		this.#options = options;
		// An idle connection that breaks (PostgreSQL restarted, a backend terminated) is dropped
		// by the pool, which opens a new one when needed; without a listener it would crash us.
		pool.on('error', () => undefined);
	}

	async load(name: string): Promise<StoredDocument> {
		this.#assertOpen('load');
		checkDocumentName(name);
		try {
			// One statement, one snapshot: a compaction committed meanwhile cannot fall between
			// reading the snapshot and reading the updates. Row seq 0 is the document's own row.
			const { rows } = await this.#pool.query<{
				seq: number;
				data: Uint8Array | null;
				last_seq: number | null;
			}>(
				`SELECT 0::bigint AS seq, snapshot AS data, last_seq FROM documents WHERE name = $1
				UNION ALL
				SELECT seq, data, NULL FROM updates WHERE name = $1
				ORDER BY seq`,
				[name]
			);
			const updates: Uint8Array[] = [];
			// Plain Uint8Arrays, not the driver's Buffers: the same shape every store returns.
			for (const row of rows) if (row.data) updates.push(copyBytes(row.data));
			return { updates, lastSeq: rows[0]?.seq === 0 ? (rows[0].last_seq ?? 0) : 0 };
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
			checkDocumentName(name);
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
			this.#flushScheduled ??= setImmediate(() => {
				this.#flushScheduled = null;
				void this.#enqueueFlush();
			});
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
			// Two statements, each atomic on its own: a tick that fails halfway is redone by the next.
			await this.#pool.query(
				`UPDATE leases SET expires_at = '-infinity'
				WHERE holder = $1 AND NOT (name = ANY($2::text[])) AND expires_at > '-infinity'`,
				[holder, names]
			);
			if (names.length === 0) return new Map();
			// Sorted, as every claim and group commit locks lease rows in the same order.
			const { rows } = await this.#pool.query<{ name: string; token: number }>(
				`INSERT INTO leases AS l (name, holder, token, expires_at)
				SELECT name, $1, 1, now() + $3 * interval '1 millisecond'
				FROM unnest($2::text[]) AS w(name) ORDER BY name COLLATE "C"
				ON CONFLICT (name) DO UPDATE SET
					token = CASE WHEN l.holder = excluded.holder THEN l.token ELSE l.token + 1 END,
					holder = excluded.holder,
					expires_at = excluded.expires_at
				WHERE l.holder = excluded.holder OR l.expires_at <= now()
				RETURNING name, token`,
				[holder, names, ttlMs]
			);
			return new Map(rows.map((row) => [row.name, row.token]));
		} catch (error) {
			throw this.#storageError('Claiming leases', error);
		}
	}

	async compact(name: string, snapshot: Uint8Array, throughSeq: number): Promise<void> {
		this.#assertOpen('compact');
		checkDocumentName(name);
		checkBytes(snapshot, 'snapshot');
		try {
			await this.#transaction(async (client) => {
				// The row lock makes another instance's append to this document wait: the updates
				// deleted here are exactly those through throughSeq, and two compactions cannot both
				// pass the check against an older snapshot.
				const { rows } = await client.query<{ last_seq: number; snapshot_seq: number }>(
					'SELECT last_seq, snapshot_seq FROM documents WHERE name = $1 FOR UPDATE',
					[name]
				);
				checkThroughSeq(name, throughSeq, rows[0]?.last_seq ?? 0, rows[0]?.snapshot_seq ?? 0);
				await client.query(
					'UPDATE documents SET snapshot = $2, snapshot_seq = $3 WHERE name = $1',
					[name, snapshot, throughSeq]
				);
				await client.query('DELETE FROM updates WHERE name = $1 AND seq <= $2', [name, throughSeq]);
			});
		} catch (error) {
			if (error instanceof TypeError || error instanceof RangeError) throw error;
			throw this.#storageError(`Compacting document ${JSON.stringify(name)}`, error);
		}
	}

	async audit(name: string, limit: number): Promise<AuditEntry[]> {
		this.#assertOpen('audit');
		checkDocumentName(name);
		checkLimit(limit);
		try {
			// The document itself, or its sub-documents: names from `<name>/` up to `<name>0`.
			const { rows } = await this.#pool.query<AuditEntry>(
				`SELECT at, document, seq, author, bytes, intent FROM audit
				WHERE document = $1 OR (document >= $2 AND document < $3)
				ORDER BY id DESC LIMIT $4`,
				[name, `${name}/`, `${name}0`, limit]
			);
			return rows.map(({ at, document, seq, author, bytes, intent }) => ({
				at,
				document,
				seq,
				author,
				bytes,
				intent
			}));
		} catch (error) {
			throw this.#storageError(`Reading the audit log of ${JSON.stringify(name)}`, error);
		}
	}

	async list(prefix: string): Promise<string[]> {
		this.#assertOpen('list');
		checkPrefix(prefix);
		try {
			const { rows } = await this.#pool.query<{ name: string }>(
				`SELECT name FROM documents WHERE name LIKE $1 ESCAPE '\\' ORDER BY name`,
				[`${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`]
			);
			// PostgreSQL orders by UTF-8 bytes here, JavaScript by UTF-16 units; they differ above U+FFFF.
			return rows.map((row) => row.name).sort();
		} catch (error) {
			throw this.#storageError(`Listing documents starting with ${JSON.stringify(prefix)}`, error);
		}
	}

	async deleteDocuments(name: string): Promise<number> {
		this.#assertOpen('deleteDocuments');
		checkDocumentName(name);
		// Appends queued for these documents are written first, so none lands after the delete.
		void this.#enqueueFlush();
		const deleted = this.#chain.then(() =>
			this.#transaction(async (client) => {
				const range = [name, `${name}/`, `${name}0`];
				// Documents first: deleting their rows takes the locks appends take.
				const { rowCount } = await client.query(
					'DELETE FROM documents WHERE name = $1 OR (name >= $2 AND name < $3)',
					range
				);
				await client.query(
					'DELETE FROM updates WHERE name = $1 OR (name >= $2 AND name < $3)',
					range
				);
				await client.query(
					'DELETE FROM audit WHERE document = $1 OR (document >= $2 AND document < $3)',
					range
				);
				return rowCount ?? 0;
			})
		);
		this.#chain = deleted.catch(() => undefined);
		try {
			return await deleted;
		} catch (error) {
			throw this.#storageError(`Deleting ${JSON.stringify(name)} and its sub-documents`, error);
		}
	}

	/** Outbound webhooks and their delivery log, kept in the same database. */
	webhooks(): WebhookStore {
		this.#assertOpen('webhooks');
		this.#webhooks ??= new PostgresWebhookStore(this.#pool, (action, error) =>
			this.#storageError(action, error)
		);
		return this.#webhooks;
	}

	/** Board membership, kept in the same database. */
	members(): MemberStore {
		this.#assertOpen('members');
		this.#members ??= new PostgresMemberStore(
			this.#pool,
			(work) => this.#transaction(work),
			(action, error) => this.#storageError(action, error)
		);
		return this.#members;
	}

	/** Alert integrations and the groups they opened work for, kept in the same database. */
	integrations(): IntegrationStore {
		this.#assertOpen('integrations');
		this.#integrations ??= new PostgresIntegrationStore(this.#pool, (action, error) =>
			this.#storageError(action, error)
		);
		return this.#integrations;
	}

	/**
	 * The secret called `name`, shared by every instance on this database: the one stored, or
	 * `candidate` when none was (the first instance to ask stores its candidate).
	 */
	async sharedSecret(
		name: string,
		candidate: string
	): Promise<{ value: string; created: boolean }> {
		this.#assertOpen('sharedSecret');
		try {
			const inserted = await this.#pool.query<{ value: string }>(
				`INSERT INTO secrets (name, value, created_at) VALUES ($1, $2, $3)
				ON CONFLICT (name) DO NOTHING RETURNING value`,
				[name, candidate, Date.now()]
			);
			if (inserted.rows[0]) return { value: inserted.rows[0].value, created: true };
			// A separate statement: it sees the row another instance committed meanwhile.
			const stored = await this.#pool.query<{ value: string }>(
				'SELECT value FROM secrets WHERE name = $1',
				[name]
			);
			return { value: stored.rows[0]!.value, created: false };
		} catch (error) {
			throw this.#storageError(`Reading the secret ${JSON.stringify(name)}`, error);
		}
	}

	async health(): Promise<StoreHealth> {
		this.#assertOpen('health');
		try {
			await this.#pool.query('SELECT 1');
			return { ok: true, kind: 'postgres' };
		} catch (error) {
			return {
				ok: false,
				kind: 'postgres',
				detail: this.#storageError('Reaching the database', error).message
			};
		}
	}

	/**
	 * Writes the appends still queued, then closes every connection. Rejects if those appends
	 * could not be written (their own promises reject too). Idempotent.
	 */
	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		const failure = await this.#enqueueFlush();
		await this.#chain;
		await this.#pool.end();
		if (failure) throw failure;
	}

	/** Schedules a group commit of everything queued, after the work already in the chain. */
	#enqueueFlush(): Promise<Error | undefined> {
		if (this.#flushScheduled) clearImmediate(this.#flushScheduled);
		this.#flushScheduled = null;
		const flushed = this.#chain.then(() => this.#flush());
		this.#chain = flushed;
		return flushed;
	}

	/** Commits every queued append in one transaction, then settles their promises. */
	async #flush(): Promise<Error | undefined> {
		const batch = this.#queue;
		this.#queue = [];
		if (batch.length === 0) return undefined;
		let seqs: (number | null)[];
		try {
			seqs = await this.#commitWithRetry(batch);
		} catch (cause) {
			// No COMMIT came back: none of the batch may be reported as stored.
			const names = [...new Set(batch.map((pending) => JSON.stringify(pending.name)))];
			const error = this.#storageError(
				`Saving ${batch.length} update(s) to ${names.slice(0, 5).join(', ')}` +
					(names.length > 5 ? ` and ${names.length - 5} more documents` : '') +
					' (none of them was reported saved)',
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

	async #commitWithRetry(batch: PendingAppend[]): Promise<(number | null)[]> {
		for (let attempt = 0; ; attempt++) {
			try {
				return await this.#transaction((client) => commitAppends(client, batch));
			} catch (error) {
				// A deadlock victim was rolled back entirely: trying again is safe.
				if (codeOf(error) !== '40P01' || attempt >= DEADLOCK_RETRIES) throw error;
			}
		}
	}

	/**
	 * Runs `work` in a transaction on one pooled connection. A connection that failed (rather
	 * than a statement PostgreSQL refused) is destroyed instead of returned to the pool, so a
	 * PostgreSQL that comes back is met with fresh connections.
	 */
	async #transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
		const client = await this.#pool.connect();
		let broken: Error | undefined;
		// The pool listens for errors on idle connections only; one in use reports them here.
		const onError = (error: Error) => (broken = error);
		client.on('error', onError);
		try {
			await client.query('BEGIN');
			const result = await work(client);
			await client.query('COMMIT');
			return result;
		} catch (error) {
			if (!broken && answeredByServer(error)) {
				await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
			} else {
				broken ??= error instanceof Error ? error : new Error(String(error));
			}
			throw error;
		} finally {
			client.off('error', onError);
			client.release(broken);
		}
	}

	#assertOpen(operation: string): void {
		if (this.#closed) throw closedError(`PostgresStore ${this.where}`, operation);
	}

	/**
	 * The error a call fails with, naming what failed and where; a StoreUnavailableError when
	 * PostgreSQL could not be reached or dropped the connection (an outage the same call may
	 * outlive), a plain Error when it answered and refused.
	 */
	#storageError(action: string, cause: unknown): Error {
		const code = codeOf(cause);
		const message = `${action} failed on PostgreSQL ${this.where}: ${messageOf(cause)}${code ? ` (${code})` : ''}. ${hintFor(code, messageOf(cause), this.#options)}`;
		return answeredByServer(cause)
			? new Error(message, { cause })
			: new StoreUnavailableError(message, { cause });
	}
}

/**
 * Reserves the next seqs of every document in `batch` and writes the updates and their audit
 * entries; returns each append's seq, in batch order, null for one fenced out (not stored).
 */
async function commitAppends(
	client: PoolClient,
	batch: PendingAppend[]
): Promise<(number | null)[]> {
	const stored = await unfenced(client, batch);
	if (stored.length === 0) return batch.map(() => null);
	const seqs = await commitUnfenced(client, stored);
	const seqOf = new Map(stored.map((pending, index) => [pending, seqs[index]!]));
	return batch.map((pending) => seqOf.get(pending) ?? null);
}

/**
 * The appends of `batch` that may be stored: those without a fence, and those whose lease still
 * has their token. The lease rows stay locked until the commit, so no takeover falls between
 * this check and the writes.
 */
async function unfenced(client: PoolClient, batch: PendingAppend[]): Promise<PendingAppend[]> {
	const leases = [
		...new Set(batch.flatMap((pending) => (pending.fence ? [pending.fence.lease] : [])))
	];
	if (leases.length === 0) return batch;
	const { rows } = await client.query<{ name: string; token: number }>(
		`SELECT name, token FROM leases WHERE name = ANY($1::text[]) ORDER BY name FOR SHARE`,
		[leases]
	);
	const tokens = new Map(rows.map((row) => [row.name, row.token]));
	return batch.filter(
		(pending) => !pending.fence || tokens.get(pending.fence.lease) === pending.fence.token
	);
}

async function commitUnfenced(client: PoolClient, batch: PendingAppend[]): Promise<number[]> {
	const counts = new Map<string, number>();
	for (const { name } of batch) counts.set(name, (counts.get(name) ?? 0) + 1);
	// Every instance locks documents in the same (sorted) order, so two group commits touching
	// the same documents wait for each other instead of deadlocking.
	const names = [...counts.keys()].sort();
	const { rows } = await client.query<{ name: string; last_seq: number }>(
		`INSERT INTO documents AS d (name, last_seq)
		SELECT name, count FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS b(name, count, n)
		ORDER BY n
		ON CONFLICT (name) DO UPDATE SET last_seq = d.last_seq + excluded.last_seq
		RETURNING name, last_seq`,
		[names, names.map((name) => counts.get(name)!)]
	);
	const next = new Map<string, number>();
	for (const row of rows) next.set(row.name, row.last_seq - counts.get(row.name)! + 1);
	const seqs = batch.map(({ name }) => {
		const seq = next.get(name)!;
		next.set(name, seq + 1);
		return seq;
	});
	await client.query(
		`WITH stored AS (
			INSERT INTO updates (name, seq, data)
			SELECT * FROM unnest($1::text[], $2::bigint[], $3::bytea[])
		)
		INSERT INTO audit (at, document, seq, author, bytes, intent)
		SELECT * FROM unnest($4::bigint[], $1::text[], $2::bigint[], $5::text[], $6::integer[], $7::text[])`,
		[
			batch.map((pending) => pending.name),
			seqs,
			batch.map((pending) => pending.update),
			batch.map((pending) => pending.at),
			batch.map((pending) => pending.author),
			batch.map((pending) => pending.update.byteLength),
			batch.map((pending) => pending.intent)
		]
	);
	return seqs;
}

/** checkName, and what PostgreSQL text cannot hold. */
function checkDocumentName(name: unknown): asserts name is string {
	checkName(name);
	if (name.includes('\u0000')) {
		throw new TypeError(
			`Document name ${JSON.stringify(name.slice(0, 40))} contains a NUL character, which ` +
				`PostgreSQL cannot store: room names never do.`
		);
	}
}

/** `host:port/database` of a connection URL, without user or password. */
export function describeUrl(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}${parsed.pathname || '/'}`;
	} catch {
		return '(an unparsable DATABASE_URL)';
	}
}

/** True when PostgreSQL itself refused a statement: the connection still works. */
function answeredByServer(error: unknown): boolean {
	if (error instanceof TypeError || error instanceof RangeError) return true;
	const code = codeOf(error);
	return (
		error instanceof pg.DatabaseError &&
		code !== undefined &&
		!code.startsWith('08') &&
		!code.startsWith('57P')
	);
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

function definedOnly<T extends object>(options: T): Partial<T> {
	return Object.fromEntries(
		Object.entries(options).filter(([, value]) => value !== undefined)
	) as Partial<T>;
}

/** What an operator can do about a PostgreSQL or connection error. */
function hintFor(
	code: string | undefined,
	message: string,
	options: Required<PostgresStoreOptions>
): string {
	const unreachable =
		'PostgreSQL is unreachable or restarting: check that it runs and that DATABASE_URL points ' +
		'at it. The server reconnects by itself once it answers; nothing was reported saved that ' +
		'was not committed.';
	if (code === '57014') {
		return (
			`A statement ran over the ${options.statementTimeoutMs} ms statement timeout (or waited ` +
			`that long for a lock): look for long transactions on the ScrumOps tables.`
		);
	}
	if (/Query read timeout/.test(message)) {
		return `PostgreSQL did not answer within ${answerTimeoutMs(options.statementTimeoutMs)} ms: the network to it may be down. ${unreachable}`;
	}
	if (/timeout exceeded when trying to connect/i.test(message)) {
		return (
			`No connection was free or could be opened within ${options.connectTimeoutMs} ms. ` +
			unreachable
		);
	}
	switch (code) {
		case '53300':
			return 'PostgreSQL has no connection slot free: lower DATABASE_POOL_MAX on the instances or raise max_connections.';
		case '3D000':
			return 'The database does not exist: create it (createdb) or fix DATABASE_URL.';
		case '28P01':
		case '28000':
			return 'PostgreSQL refused the credentials: fix the user and password in DATABASE_URL.';
		case '53100':
			return 'The disk holding the database is full: free space, then retry.';
		case '40P01':
			return 'PostgreSQL kept choosing this write as a deadlock victim: retry it.';
	}
	if (
		code?.startsWith('08') ||
		code?.startsWith('57P') ||
		['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EPIPE'].includes(
			code ?? ''
		) ||
		/Connection terminated|connection .*(closed|ended)|not queryable/i.test(message)
	) {
		return unreachable;
	}
	return 'The cause has the driver error.';
}
