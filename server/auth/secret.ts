/**
 * The server secret that signs session and invite tokens (HMAC-SHA256). Given by the environment
 * (`SCRUMOPS_SECRET`, at least 32 characters) or generated on first start: into
 * `<DATA_DIR>/secret.key`, readable by this user only, or, when PostgreSQL is the store, into the
 * database, so every instance of the deployment signs and accepts the same tokens. Never logged.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SECRET_FILE_NAME = 'secret.key';
export const MIN_SECRET_LENGTH = 32;

/** The name the token secret is kept under in a shared store. */
export const TOKEN_SECRET_NAME = 'token-signing';

export interface LoadedSecret {
	key: Uint8Array;
	/** Where it came from, for the startup log line (never the secret itself). */
	source: 'environment' | 'file' | 'generated' | 'database';
}

/** A store that keeps secrets for every instance using it (PostgresStore). */
export interface SecretKeeper {
	/** The stored secret `name`, or `candidate` once stored when there was none. */
	sharedSecret(name: string, candidate: string): Promise<{ value: string; created: boolean }>;
}

/** The secret from `SCRUMOPS_SECRET`, or the one in `dataDir` (created if missing). */
export function loadSecret(dataDir: string, env: NodeJS.ProcessEnv = process.env): LoadedSecret {
	const given = secretFromEnvironment(env, 'the data directory');
	if (given) return given;
	const file = join(dataDir, SECRET_FILE_NAME);
	const existing = readSecretFile(file);
	if (existing) return { key: existing, source: 'file' };
	const created = generateSecret();
	try {
		mkdirSync(dataDir, { recursive: true });
		// 'wx': if another process created it meanwhile, use theirs instead of overwriting it.
		writeFileSync(file, `${created}\n`, { mode: 0o600, flag: 'wx' });
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
			throw new Error(
				`Could not create the token secret ${file}: ${(error as Error).message}. Make the data ` +
					`directory writable, or set SCRUMOPS_SECRET.`,
				{ cause: error }
			);
		}
		const raced = readSecretFile(file);
		if (raced) return { key: raced, source: 'file' };
	}
	chmodSync(file, 0o600);
	return { key: new TextEncoder().encode(created), source: 'generated' };
}

/**
 * The secret from `SCRUMOPS_SECRET`, or the one `keeper` holds for the whole deployment (the
 * first instance to start stores one it generated; the others read it).
 */
export async function loadSharedSecret(
	keeper: SecretKeeper,
	env: NodeJS.ProcessEnv = process.env
): Promise<LoadedSecret> {
	const given = secretFromEnvironment(env, 'the database');
	if (given) return given;
	const { value, created } = await keeper.sharedSecret(TOKEN_SECRET_NAME, generateSecret());
	if (value.length < MIN_SECRET_LENGTH) {
		throw new Error(
			`The token secret stored in the database (secrets, ${JSON.stringify(TOKEN_SECRET_NAME)}) is ` +
				`shorter than ${MIN_SECRET_LENGTH} characters. Delete that row to have a new one generated ` +
				`(every issued token and invite stops working), or set SCRUMOPS_SECRET.`
		);
	}
	return { key: new TextEncoder().encode(value), source: created ? 'generated' : 'database' };
}

function secretFromEnvironment(env: NodeJS.ProcessEnv, generatedInto: string): LoadedSecret | null {
	const given = env.SCRUMOPS_SECRET;
	if (given === undefined || given === '') return null;
	if (given.length < MIN_SECRET_LENGTH) {
		throw new Error(
			`SCRUMOPS_SECRET is ${given.length} characters long; use at least ${MIN_SECRET_LENGTH} ` +
				`random characters (e.g. from \`openssl rand -base64 48\`), or unset it to have one ` +
				`generated into ${generatedInto}.`
		);
	}
	return { key: new TextEncoder().encode(given), source: 'environment' };
}

function generateSecret(): string {
	return randomBytes(48).toString('base64url');
}

function readSecretFile(file: string): Uint8Array | null {
	let text: string;
	try {
		text = readFileSync(file, 'utf8').trim();
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw new Error(`Could not read the token secret ${file}: ${(error as Error).message}.`, {
			cause: error
		});
	}
	if (text.length < MIN_SECRET_LENGTH) {
		throw new Error(
			`The token secret ${file} is shorter than ${MIN_SECRET_LENGTH} characters. Delete it to ` +
				`have a new one generated (every issued token and invite stops working), or restore it.`
		);
	}
	return new TextEncoder().encode(text);
}
