/**
 * The PostgreSQL store's tables, created and migrated when a store opens. Every applied version
 * is a row of `scrumops_schema_version`; migrations run in one transaction under an advisory
 * lock, so instances starting together apply each version once and the others wait, then find
 * it applied.
 */
import type { PoolClient } from 'pg';

/** Bumped with every schema change; `open` refuses a database written by a newer version. */
export const POSTGRES_SCHEMA_VERSION = 4;
export const SCHEMA_VERSION_TABLE = 'scrumops_schema_version';

/*
 * Version 1: everything the SQLite store keeps (its versions 1–5), plus the server's secrets.
 * Names are `COLLATE "C"`: byte order, so `list` sorts like SQLite and the sub-document range
 * `name >= 'x/' AND name < 'x0'` holds exactly the names starting with `x/`, whatever the
 * database's collation.
 * `documents.last_seq` is the per-document counter: an append raises it with
 * `INSERT … ON CONFLICT DO UPDATE`, which locks the row until the transaction ends, so appends to
 * one document from several instances commit one after another with consecutive seqs.
 * `snapshot_seq` is 0 until the first compaction.
 */
const SCHEMA_V1 = `
	CREATE TABLE documents (
		name text COLLATE "C" PRIMARY KEY,
		last_seq bigint NOT NULL DEFAULT 0,
		snapshot bytea,
		snapshot_seq bigint NOT NULL DEFAULT 0
	);
	CREATE TABLE updates (
		name text COLLATE "C" NOT NULL,
		seq bigint NOT NULL,
		data bytea NOT NULL,
		PRIMARY KEY (name, seq)
	);
	CREATE TABLE audit (
		id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		at bigint NOT NULL,
		document text COLLATE "C" NOT NULL,
		seq bigint NOT NULL,
		author text NOT NULL,
		bytes integer NOT NULL,
		intent text
	);
	CREATE INDEX audit_by_document ON audit (document, id);

	CREATE TABLE boards (
		id text PRIMARY KEY,
		name text NOT NULL,
		created_at bigint NOT NULL,
		sandbox boolean NOT NULL DEFAULT false,
		last_active_at bigint NOT NULL
	);
	CREATE INDEX boards_by_activity ON boards (sandbox, last_active_at);
	CREATE TABLE members (
		board text NOT NULL,
		person text NOT NULL,
		name text NOT NULL,
		teams jsonb NOT NULL,
		roles jsonb NOT NULL,
		admin boolean NOT NULL,
		joined_at bigint NOT NULL,
		removed_at bigint,
		changed_at bigint,
		PRIMARY KEY (board, person)
	);
	CREATE TABLE invites (
		board text NOT NULL,
		id text NOT NULL,
		team text,
		role text NOT NULL,
		created_by text NOT NULL,
		created_at bigint NOT NULL,
		expires_at bigint NOT NULL,
		revoked_at bigint,
		PRIMARY KEY (board, id)
	);
	CREATE TABLE change_requests (
		board text NOT NULL,
		id text NOT NULL,
		person text NOT NULL,
		teams jsonb NOT NULL,
		roles jsonb NOT NULL,
		status text NOT NULL,
		created_at bigint NOT NULL,
		decided_by text,
		decided_at bigint,
		PRIMARY KEY (board, id)
	);

	CREATE TABLE secrets (
		name text PRIMARY KEY,
		value text NOT NULL,
		created_at bigint NOT NULL
	);
`;

/*
 * Version 2: leases (DocumentStore.claimLeases), on PostgreSQL's clock, so instances whose
 * clocks disagree still agree on when a lease ran out. A row is never deleted, so a lease's
 * token never starts over. An append fenced with a token reads its lease row FOR SHARE in the
 * group commit; a takeover updates the row, so it waits for commits under the old token and
 * they wait for it.
 */
const SCHEMA_V2 = `
	CREATE TABLE leases (
		name text COLLATE "C" PRIMARY KEY,
		holder text NOT NULL,
		token bigint NOT NULL,
		expires_at timestamptz NOT NULL
	);
	CREATE INDEX leases_by_holder ON leases (holder);
`;

/*
 * Version 3: alert intake (postgres-integrations.ts), as SQLite's version 7. An integration keeps
 * its token's SHA-256, never the token. `alert_groups` gives each alert group (by the SHA-256 of
 * its key) one work package: the primary key makes the first claim of any instance win.
 */
const SCHEMA_V3 = `
	CREATE TABLE integrations (
		board text NOT NULL,
		id text NOT NULL,
		name text NOT NULL,
		token_hash text NOT NULL,
		routing jsonb NOT NULL,
		created_by text NOT NULL,
		created_at bigint NOT NULL,
		revoked_at bigint,
		PRIMARY KEY (board, id)
	);
	CREATE TABLE alert_groups (
		board text NOT NULL,
		integration text NOT NULL,
		group_hash text NOT NULL,
		work_package text NOT NULL,
		claimed_at bigint NOT NULL,
		PRIMARY KEY (board, integration, group_hash)
	);
`;

/**
 * Version 4: outbound webhooks and their delivery log (webhooks.ts). A delivery's key is its
 * webhook and event, so an occurrence recorded by two instances at once is kept once
 * (`INSERT … ON CONFLICT DO NOTHING`), and an attempt is claimed with a conditional UPDATE.
 */
const SCHEMA_V4 = `
	CREATE TABLE webhooks (
		board text NOT NULL,
		id text NOT NULL,
		url text NOT NULL,
		secret text NOT NULL,
		events jsonb NOT NULL,
		created_at bigint NOT NULL,
		PRIMARY KEY (board, id)
	);
	CREATE TABLE webhook_deliveries (
		webhook text NOT NULL,
		event_id text COLLATE "C" NOT NULL,
		board text NOT NULL,
		type text NOT NULL,
		body text NOT NULL,
		status text NOT NULL,
		attempts integer NOT NULL,
		last_status_code integer,
		last_error text,
		next_attempt_at bigint,
		delivered_at bigint,
		created_at bigint NOT NULL,
		PRIMARY KEY (webhook, event_id)
	);
	CREATE INDEX webhook_deliveries_due ON webhook_deliveries (board, status, next_attempt_at);
	CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook, created_at);
`;

/** The database was written by a newer server: refused rather than guessed at. */
export class NewerSchemaError extends Error {
	override name = 'NewerSchemaError';
}

/** `MIGRATIONS[i]` brings a database from version i to version i + 1. */
const MIGRATIONS: readonly string[] = [SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4];

/**
 * Brings the schema to POSTGRES_SCHEMA_VERSION; resolves with the version found before. `where`
 * names the database in errors. The caller owns `client` and releases it.
 */
export async function migrate(client: PoolClient, where: string): Promise<number> {
	await client.query('BEGIN');
	try {
		// Held until COMMIT or ROLLBACK; a second instance waits here, then finds the work done.
		await client.query(`SELECT pg_advisory_xact_lock(hashtext('scrumops schema migration'))`);
		await client.query(
			`CREATE TABLE IF NOT EXISTS ${SCHEMA_VERSION_TABLE} (
				version integer PRIMARY KEY,
				applied_at timestamptz NOT NULL DEFAULT now()
			)`
		);
		const { rows } = await client.query<{ version: number }>(
			`SELECT coalesce(max(version), 0)::integer AS version FROM ${SCHEMA_VERSION_TABLE}`
		);
		const found = rows[0]?.version ?? 0;
		if (found > POSTGRES_SCHEMA_VERSION) {
			throw new NewerSchemaError(
				`The PostgreSQL database ${where} has schema version ${found}, newer than this server ` +
					`understands (${POSTGRES_SCHEMA_VERSION}). Run the newer server, or restore a backup ` +
					`made by this version.`
			);
		}
		for (let version = found + 1; version <= POSTGRES_SCHEMA_VERSION; version++) {
			await client.query(MIGRATIONS[version - 1]!);
			await client.query(`INSERT INTO ${SCHEMA_VERSION_TABLE} (version) VALUES ($1)`, [version]);
		}
		await client.query('COMMIT');
		return found;
	} catch (error) {
		await client.query('ROLLBACK').catch(() => undefined);
		throw error;
	}
}
