/**
 * What a view shows, kept in its URL: the team, the sprint, the story. Reading is reactive (a
 * link, Back or Forward changes it); selecting navigates, so each choice is a history entry and
 * a link that can be shared or opened in a new tab.
 */
import { goto } from '$app/navigation';
import { page } from '$app/state';
import type { Selection } from '../client/board-links';

/** The selected team, sprint or story of the view on screen, or null. */
export function selected(key: keyof Selection): string | null {
	return page.url.searchParams.get(key);
}

/** Changes the selection (null removes a key), keeping the view, the focus and the scroll. */
export function select(changes: Selection): Promise<void> {
	// A copy to edit, not state: the page's URL changes only through the navigation below.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	const next = new URL(page.url);
	for (const [key, value] of Object.entries(changes)) {
		if (value) next.searchParams.set(key, value);
		else next.searchParams.delete(key);
	}
	if (next.search === page.url.search) return Promise.resolve();
	return goto(`${next.pathname}${next.search}`, { keepFocus: true, noScroll: true });
}
