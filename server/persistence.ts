/**
 * Where a server instance keeps everything (documents, members, the token secret), chosen by
 * the environment: PostgreSQL when `DATABASE_URL` is set, shared by every instance using that
 * database; otherwise the SQLite file and `secret.key` in `DATA_DIR`, needing no service.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { loadSecret, loadSharedSecret, SECRET_FILE_NAME, type LoadedSecret } from './auth/secret';
import type { IntegrationStore } from './store/integrations';
import type { MemberStore } from './store/members';
import { PostgresStore } from './store/postgres';
import { SqliteStore } from './store/sqlite';
import type { DocumentStore } from './store/store';
import type { WebhookStore } from './store/webhooks';

export interface PersistenceConfig {
	/** postgres://… from DATABASE_URL, or null for the SQLite store in `dataDir`. */
	databaseUrl: string | null;
	dataDir: string;
	/** Most PostgreSQL connections of this instance (DATABASE_POOL_MAX). */
	poolMax?: number;
}

export interface Persistence {
	store: DocumentStore;
	members: MemberStore;
	integrations: IntegrationStore;
	webhooks: WebhookStore;
	secret: LoadedSecret;
	/** What the startup log says about the store: never a password. */
	where: { store: 'sqlite'; file: string } | { store: 'postgres'; database: string };
	/** Where a generated secret went, for the startup log. */
	secretWhere: string;
}

/** DATABASE_URL: unset (or empty) means the SQLite store; anything else must be postgres://. */
export function parseDatabaseUrl(env: NodeJS.ProcessEnv): string | null {
	const value = env.DATABASE_URL?.trim();
	if (!value) return null;
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw new Error(
			'DATABASE_URL is not a URL: use postgres://user:password@host:5432/database, or unset it to keep the SQLite store in DATA_DIR.'
		);
	}
	if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
		throw new Error(
			`DATABASE_URL starts with ${JSON.stringify(url.protocol)}: only PostgreSQL is supported (postgres://user:password@host:5432/database); unset it to keep the SQLite store in DATA_DIR.`
		);
	}
	return value;
}

/** Opens the configured store (creating or migrating its schema) and loads the token secret. */
export async function openPersistence(
	config: PersistenceConfig,
	env: NodeJS.ProcessEnv = process.env
): Promise<Persistence> {
	if (config.databaseUrl !== null) {
		const store = await PostgresStore.open(config.databaseUrl, { poolMax: config.poolMax });
		try {
			const secret = await loadSharedSecret(store, env);
			return {
				store,
				members: store.members(),
				integrations: store.integrations(),
				webhooks: store.webhooks(),
				secret,
				where: { store: 'postgres', database: store.where },
				secretWhere: `the secrets table of ${store.where}`
			};
		} catch (error) {
			await store.close().catch(() => undefined);
			throw error;
		}
	}
	await mkdir(config.dataDir, { recursive: true });
	const store = SqliteStore.open(config.dataDir);
	try {
		return {
			store,
			members: store.members(),
			integrations: store.integrations(),
			webhooks: store.webhooks(),
			secret: loadSecret(config.dataDir, env),
			where: { store: 'sqlite', file: store.file },
			secretWhere: path.join(config.dataDir, SECRET_FILE_NAME)
		};
	} catch (error) {
		await store.close().catch(() => undefined);
		throw error;
	}
}

/** The token secret alone (for the token CLI), from where the server would take it. */
export async function loadConfiguredSecret(
	config: PersistenceConfig,
	env: NodeJS.ProcessEnv = process.env
): Promise<LoadedSecret> {
	if (config.databaseUrl === null || env.SCRUMOPS_SECRET) return loadSecret(config.dataDir, env);
	const store = await PostgresStore.open(config.databaseUrl, { poolMax: 1 });
	try {
		return await loadSharedSecret(store, env);
	} finally {
		await store.close();
	}
}
