import type { TransactionOrigin } from '../../src/lib/sync/layout';

/** Origin of the server's own writes to a board (findings, authorship, their restoration). */
export const SERVER_ORIGIN: TransactionOrigin = {
	kind: 'server-repair',
	actorId: null,
	intent: 'publishFindings'
};

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
