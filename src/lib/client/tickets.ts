/**
 * Connection tickets for a board's WebSocket connections, asked for with the session token
 * (`POST /api/boards/:id/tickets`): the token itself never goes into a URL.
 */
import { CLOSE_STATUS, closeReason, isCloseCode } from '../contract/close';
import { TicketRefused, type TicketSource } from '../sync/connection/ticketed-socket';
import { ApiError, connectionTicketApi } from './api';

/**
 * Tickets for `boardId`'s connections. A session the server refuses (removed, expired, another
 * board) ends the connection as the server's policy close does, with its sentence (and the
 * refusal's code, when it is a close code too); a server that cannot reach its database closes
 * it with `store-failed`, and the provider retries; other failures are a connection that could
 * not be made, and the provider retries.
 */
export function boardTickets(
	boardId: string,
	token: string,
	fetcher: typeof fetch = fetch
): TicketSource {
	return async (signal) => {
		try {
			const issued = await connectionTicketApi(boardId, token, { fetcher, signal });
			return issued.ticket;
		} catch (error) {
			if (error instanceof ApiError && error.fromApi && [401, 403].includes(error.status)) {
				throw new TicketRefused(
					CLOSE_STATUS.policyViolation,
					isCloseCode(error.code) ? closeReason(error.code, error.message) : error.message
				);
			}
			// The server is up but cannot reach its database: a close the provider retries after,
			// which says why, so the page can tell the person their edits wait here.
			if (error instanceof ApiError && error.fromApi && error.code === 'store-failed') {
				throw new TicketRefused(CLOSE_STATUS.internalError, closeReason('store-failed'));
			}
			throw error;
		}
	};
}
