/**
 * Integration tokens: `<integration id>.<32 random bytes, base64url>`. Only the SHA-256 of a
 * token is stored; the id in front finds the record, and the hash is compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new token for integration `id`, with the hash to store. */
export function issueIntegrationToken(id: string): { token: string; tokenHash: string } {
	const token = `${id}.${randomBytes(32).toString('base64url')}`;
	return { token, tokenHash: hashToken(token) };
}

/** The integration id a token names, or null when it is not shaped like one of ours. */
export function integrationIdOf(token: string): string | null {
	const match = /^([A-Za-z0-9_-]{1,64})\.[A-Za-z0-9_-]{43}$/.exec(token);
	return match ? match[1]! : null;
}

/** Whether `token` is the one whose hash was stored. */
export function tokenMatches(token: string, storedHash: string): boolean {
	const given = Buffer.from(hashToken(token), 'hex');
	const stored = Buffer.from(storedHash, 'hex');
	return given.length === stored.length && timingSafeEqual(given, stored);
}

/** SHA-256, hex: of a token, or of an alert group's key. */
export function hashToken(value: string): string {
	return createHash('sha256').update(value, 'utf8').digest('hex');
}
