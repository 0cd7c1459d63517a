import type { TransactionOrigin } from '../../src/lib/sync/layout';
import type { Fence } from '../store/store';

/** Origin of the server's own writes to a board; `fence` when written under a lease. */
export type ServerOrigin = TransactionOrigin & { kind: 'server-repair'; fence?: Fence };

/** Origin of the server's own writes to a board (findings, authorship) on a single instance. */
export const SERVER_ORIGIN: ServerOrigin = {
	kind: 'server-repair',
	actorId: null,
	intent: 'publishFindings'
};

/** Origin of a server write made under the board's lease (see voice.ts). */
export function fencedOrigin(intent: string, fence: Fence): ServerOrigin {
	return { kind: 'server-repair', actorId: null, intent, fence };
}

/** The fence a transaction's changes must be stored under, if any. */
export function fenceOf(origin: unknown): Fence | null {
	return isServerWrite(origin) ? ((origin as ServerOrigin).fence ?? null) : null;
}

/**
 * Whether a transaction is one of the server's own corrections (origin kind `server-repair`:
 * findings, authorship, a repair an admin asked for), not a client's write.
 */
export function isServerWrite(origin: unknown): boolean {
	return (
		typeof origin === 'object' &&
		origin !== null &&
		(origin as Partial<TransactionOrigin>).kind === 'server-repair'
	);
}
