/**
 * Every view of a board has a URL: `/board/<id>/<view>`, with the selected team, sprint or story
 * in the query where it matters. This module names the views and builds their links; the route
 * files under `src/routes/board/[boardId]/` are the other half.
 */
import type { Ref } from '../domain/findings';

export const BOARD_VIEWS = [
	{ slug: 'backlog', name: 'Backlog' },
	{ slug: 'planning', name: 'Planning' },
	{ slug: 'team', name: 'Team board' },
	{ slug: 'standup', name: 'Standup' },
	{ slug: 'scrum-of-scrums', name: 'Scrum of Scrums' },
	{ slug: 'incidents', name: 'Incidents' },
	{ slug: 'review', name: 'Review' },
	{ slug: 'retro', name: 'Retro' },
	{ slug: 'dashboard', name: 'Dashboard' },
	{ slug: 'members', name: 'Members' },
	{ slug: 'settings', name: 'Settings' }
] as const;

export type ViewSlug = (typeof BOARD_VIEWS)[number]['slug'];
export type ViewName = (typeof BOARD_VIEWS)[number]['name'];

/**
 * What a view keeps in its query: the team shown, the sprint and the story selected, `mine`
 * (`1`) when it lists only what is assigned to the person looking, and the period a dashboard
 * covers (`from` and `to`, YYYY-MM-DD).
 */
export interface Selection {
	team?: string | null;
	sprint?: string | null;
	story?: string | null;
	mine?: string | null;
	from?: string | null;
	to?: string | null;
}

const SELECTION_KEYS = ['team', 'sprint', 'story', 'mine', 'from', 'to'] as const;

/** The link of a view, e.g. `/board/b1/planning?team=web`. */
export function viewHref(boardId: string, slug: ViewSlug, selection: Selection = {}): string {
	const query = new URLSearchParams();
	for (const key of SELECTION_KEYS) {
		const value = selection[key];
		if (value) query.set(key, value);
	}
	const search = query.size ? `?${query}` : '';
	return `/board/${encodeURIComponent(boardId)}/${slug}${search}`;
}

/** The link of one work package on the incident desk. */
export function incidentHref(boardId: string, workPackageId: string): string {
	return `${viewHref(boardId, 'incidents')}/${encodeURIComponent(workPackageId)}`;
}

/**
 * The link of one ended standup's summary, e.g. `/board/b1/standup/summary-id?team=web`: its own
 * page under the Standup view, which someone who missed it opens to read it.
 */
export function standupSummaryHref(boardId: string, summary: { id: string; teamId: string }) {
	const team = new URLSearchParams({ team: summary.teamId });
	return `${viewHref(boardId, 'standup')}/${encodeURIComponent(summary.id)}?${team}`;
}

/** The link of a work package's post-incident review. */
export function incidentReviewHref(boardId: string, workPackageId: string): string {
	return `${incidentHref(boardId, workPackageId)}/review`;
}

/** Where the board shows what a finding or a Scrum of Scrums line names. */
export function refHref(
	boardId: string,
	ref: Ref,
	lookup: {
		sprintTeam(sprintId: string): string | undefined;
		taskTeam(taskId: string): string | undefined;
	}
): string {
	switch (ref.kind) {
		case 'story':
			return viewHref(boardId, 'backlog', { story: ref.id });
		case 'sprint':
			return viewHref(boardId, 'planning', { team: lookup.sprintTeam(ref.id), sprint: ref.id });
		case 'team':
			return viewHref(boardId, 'planning', { team: ref.id });
		case 'workPackage':
			return incidentHref(boardId, ref.id);
		case 'task':
			return viewHref(boardId, 'team', { team: lookup.taskTeam(ref.id) });
		default:
			return viewHref(boardId, 'members');
	}
}

/** The view a board URL shows, from its route id (`/board/[boardId]/planning` → planning). */
export function viewOfRoute(routeId: string | null): (typeof BOARD_VIEWS)[number] | undefined {
	const slug = routeId?.split('/')[3];
	return BOARD_VIEWS.find((view) => view.slug === slug);
}
