import { redirect } from '@sveltejs/kit';
import { viewHref } from '$lib/client/board-links';
import type { PageLoad } from './$types';

/** A board opens on its backlog. */
export const load: PageLoad = ({ params, url }) => {
	redirect(307, `${viewHref(params.boardId, 'backlog')}${url.search}`);
};
