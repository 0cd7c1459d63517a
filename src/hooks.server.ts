/**
 * Headers of every page (see also `kit.csp` in svelte.config.js), and a board's address opens
 * its backlog: `/board/<id>` answers with a redirect to
 * `/board/<id>/backlog` (query kept), so the first page a browser loads is the backlog's, with
 * its code preloaded, instead of loading the app to be sent on from there.
 */
import type { Handle } from '@sveltejs/kit';
import { viewHref } from '$lib/client/board-links';

const BOARD_ROOT = /^\/board\/([^/]+)\/?$/;

export const handle: Handle = async ({ event, resolve }) => {
	const match = BOARD_ROOT.exec(event.url.pathname);
	const boardId = match && event.request.method === 'GET' ? decoded(match[1]!) : null;
	if (boardId !== null) {
		return new Response(null, {
			status: 307,
			headers: { location: `${viewHref(boardId, 'backlog')}${event.url.search}` }
		});
	}
	const response = await resolve(event);
	// Addresses hold board ids and invite links: no other site learns them from a click.
	response.headers.set('referrer-policy', 'no-referrer');
	response.headers.set('x-content-type-options', 'nosniff');
	return response;
};

/** A path segment decoded, or null when it is not valid percent-encoding. */
function decoded(segment: string): string | null {
	try {
		return decodeURIComponent(segment);
	} catch {
		return null;
	}
}
