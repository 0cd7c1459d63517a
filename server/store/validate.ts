/**
 * Argument checks shared by every DocumentStore, so each implementation refuses the same inputs
 * with the same words (the contract suite asserts on them).
 */
import type { Fence } from './store';

/** Longest accepted document name, in UTF-16 code units; room names are far shorter. */
export const MAX_NAME_LENGTH = 512;

/** Throws unless `name` is a usable document name. */
export function checkName(name: unknown): asserts name is string {
	if (typeof name !== 'string') {
		throw new TypeError(`Document name must be a string, got ${describe(name)}.`);
	}
	if (name.length === 0) {
		throw new TypeError('Document name is empty: pass the room name, e.g. "board/abc".');
	}
	if (name.length > MAX_NAME_LENGTH) {
		throw new TypeError(
			`Document name is ${name.length} characters long, over the limit of ${MAX_NAME_LENGTH}: ` +
				`${JSON.stringify(name.slice(0, 40))}…`
		);
	}
}

/** Throws unless `bytes` is a non-empty Uint8Array; `what` names it in the message. */
export function checkBytes(
	bytes: unknown,
	what: 'update' | 'snapshot'
): asserts bytes is Uint8Array {
	if (!(bytes instanceof Uint8Array)) {
		throw new TypeError(`The ${what} must be a Uint8Array (a Yjs update), got ${describe(bytes)}.`);
	}
	if (bytes.byteLength === 0) {
		// Even an empty Y.Doc encodes to two bytes, so zero bytes means a caller bug, not a no-op.
		throw new TypeError(`The ${what} is empty (0 bytes): a Yjs update is never empty.`);
	}
}

/** The audit author of changes the server makes itself (findings, repairs, the demo board). */
export const SERVER_AUTHOR = 'server';
/** Longest accepted audit author: a person id is at most 64 characters. */
export const MAX_AUTHOR_LENGTH = 64;
/** Most audit entries one call returns. */
export const MAX_AUDIT_LIMIT = 10_000;

/** Throws unless `author` can be recorded in the audit log. */
export function checkAuthor(author: unknown): asserts author is string {
	if (typeof author !== 'string' || author.length === 0 || author.length > MAX_AUTHOR_LENGTH) {
		throw new TypeError(
			`The author must be a person id or "${SERVER_AUTHOR}" (1 to ${MAX_AUTHOR_LENGTH} characters), got ${describe(author)}.`
		);
	}
}

/** Longest accepted audit intent, e.g. `repairBoard`. */
export const MAX_INTENT_LENGTH = 64;

/** Throws unless `intent` can be recorded in the audit log (null: none). */
export function checkIntent(intent: unknown): asserts intent is string | null {
	if (intent === null) return;
	if (
		typeof intent !== 'string' ||
		!/^[A-Za-z][A-Za-z0-9-]*$/.test(intent) ||
		intent.length > MAX_INTENT_LENGTH
	) {
		throw new TypeError(
			`The intent must be a name such as "repairBoard" (letters, digits and "-", at most ${MAX_INTENT_LENGTH} characters) or null, got ${describe(intent)}.`
		);
	}
}

/** Throws unless `limit` is a usable number of audit entries. */
export function checkLimit(limit: unknown): asserts limit is number {
	if (
		typeof limit !== 'number' ||
		!Number.isInteger(limit) ||
		limit < 1 ||
		limit > MAX_AUDIT_LIMIT
	) {
		throw new RangeError(
			`The audit limit must be a whole number from 1 to ${MAX_AUDIT_LIMIT}, got ${describe(limit)}.`
		);
	}
}

/** Throws unless `prefix` can be matched against document names. */
export function checkPrefix(prefix: unknown): asserts prefix is string {
	if (typeof prefix !== 'string') {
		throw new TypeError(
			`List prefix must be a string ('' lists every document), got ${describe(prefix)}.`
		);
	}
}

/**
 * Throws unless `throughSeq` may be compacted for a document whose newest stored update is
 * `lastSeq` and whose current snapshot covers `snapshotSeq`.
 */
export function checkThroughSeq(
	name: string,
	throughSeq: unknown,
	lastSeq: number,
	snapshotSeq: number
): asserts throughSeq is number {
	if (typeof throughSeq !== 'number' || !Number.isSafeInteger(throughSeq) || throughSeq < 1) {
		throw new TypeError(
			`compact(${JSON.stringify(name)}) needs throughSeq as a positive integer (a seq that ` +
				`append() resolved with), got ${describe(throughSeq)}.`
		);
	}
	if (throughSeq > lastSeq) {
		throw new RangeError(
			`Cannot compact ${JSON.stringify(name)} through seq ${throughSeq}: its newest stored ` +
				`update is seq ${lastSeq}. Pass a seq that append() has already resolved with.`
		);
	}
	if (throughSeq < snapshotSeq) {
		// Writing an older snapshot would silently drop the updates the newer one already absorbed.
		throw new RangeError(
			`Cannot compact ${JSON.stringify(name)} through seq ${throughSeq}: it is already ` +
				`compacted through seq ${snapshotSeq}, and an older snapshot would lose updates. ` +
				`Load the document again and compact through its lastSeq.`
		);
	}
}

/** Most leases one claimLeases call takes or keeps: an instance holds one per open board. */
export const MAX_LEASES_PER_CLAIM = 10_000;
/** Longest accepted lease holder: an instance id. */
export const MAX_HOLDER_LENGTH = 128;

/** Throws unless `fence` is null or a lease name with a token claimLeases could have given. */
export function checkFence(fence: unknown): asserts fence is Fence | null {
	if (fence === null) return;
	const candidate = fence as Partial<Fence> | undefined;
	if (
		typeof candidate !== 'object' ||
		typeof candidate.lease !== 'string' ||
		candidate.lease.length === 0 ||
		candidate.lease.length > MAX_NAME_LENGTH ||
		!Number.isSafeInteger(candidate.token) ||
		(candidate.token as number) < 1
	) {
		throw new TypeError(
			`The fence must be null or { lease, token } as claimLeases() gave it, got ${describe(fence)}.`
		);
	}
}

/** Throws unless the arguments of claimLeases are usable; returns `wanted` sorted, unique. */
export function checkClaim(holder: unknown, wanted: unknown, ttlMs: unknown): string[] {
	if (typeof holder !== 'string' || holder.length === 0 || holder.length > MAX_HOLDER_LENGTH) {
		throw new TypeError(
			`The lease holder must be an instance id (1 to ${MAX_HOLDER_LENGTH} characters), got ${describe(holder)}.`
		);
	}
	if (!Array.isArray(wanted) || wanted.length > MAX_LEASES_PER_CLAIM) {
		throw new TypeError(
			`The wanted leases must be an array of at most ${MAX_LEASES_PER_CLAIM} names, got ${describe(wanted)}.`
		);
	}
	for (const name of wanted) checkName(name);
	if (typeof ttlMs !== 'number' || !Number.isSafeInteger(ttlMs) || ttlMs < 1 || ttlMs > 3_600_000) {
		throw new RangeError(
			`The lease time must be a whole number of milliseconds from 1 to 3600000, got ${describe(ttlMs)}.`
		);
	}
	return [...new Set(wanted as string[])].sort();
}

/**
 * A plain Uint8Array with its own memory. Not `bytes.slice()`: on a Node Buffer that returns a
 * view sharing memory with the caller's buffer.
 */
export function copyBytes(bytes: Uint8Array): Uint8Array {
	return new Uint8Array(bytes);
}

/** The error every call on a closed store rejects with. */
export function closedError(store: string, operation: string): Error {
	return new Error(
		`${store} is closed: ${operation}() was called after close(). Open a new store instead.`
	);
}

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return `an array of length ${value.length}`;
	if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'no prototype'})`;
	if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
	return `${typeof value} ${String(value)}`;
}
