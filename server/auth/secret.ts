/**
 * The server secret that signs session and invite tokens (HMAC-SHA256). Given by the environment
 * (`SCRUMOPS_SECRET`, at least 32 characters) or generated on first start into
 * `<DATA_DIR>/secret.key`, readable by this user only. Never logged.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SECRET_FILE_NAME = 'secret.key';
export const MIN_SECRET_LENGTH = 32;

export interface LoadedSecret {
	key: Uint8Array;
	/** Where it came from, for the startup log line (never the secret itself). */
	source: 'environment' | 'file' | 'generated';
}

/** The secret from `SCRUMOPS_SECRET`, or the one in `dataDir` (created if missing). */
export function loadSecret(dataDir: string, env: NodeJS.ProcessEnv = process.env): LoadedSecret {
	const given = env.SCRUMOPS_SECRET;
	if (given !== undefined && given !== '') {
		if (given.length < MIN_SECRET_LENGTH) {
			throw new Error(
				`SCRUMOPS_SECRET is ${given.length} characters long; use at least ${MIN_SECRET_LENGTH} ` +
					`random characters (e.g. from \`openssl rand -base64 48\`), or unset it to have one ` +
					`generated into the data directory.`
			);
		}
		return { key: new TextEncoder().encode(given), source: 'environment' };
	}
	const file = join(dataDir, SECRET_FILE_NAME);
	const existing = readSecretFile(file);
	if (existing) return { key: existing, source: 'file' };
	const created = randomBytes(48).toString('base64url');
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
