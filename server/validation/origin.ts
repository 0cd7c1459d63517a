import type { TransactionOrigin } from '../../src/lib/sync/layout';

/** Origin of the server's own writes to a board (findings, authorship, their restoration). */
export const SERVER_ORIGIN: TransactionOrigin = {
	kind: 'server-repair',
	actorId: null,
	intent: 'publishFindings'
};
