/**
 * Every view of a board has a URL, and everything a finding names links to the view that shows
 * it: a story opens in the backlog, a sprint in its team's planning, a work package on the desk.
 */
import { describe, expect, it } from 'vitest';
import {
	BOARD_VIEWS,
	incidentHref,
	refHref,
	standupSummaryHref,
	viewHref,
	viewOfRoute
} from '../../../src/lib/client/board-links';

const lookup = {
	sprintTeam: (id: string) => (id === 's-14' ? 'web' : undefined),
	taskTeam: (id: string) => (id === 't-1' ? 'ops' : undefined)
};

describe('board links', () => {
	it('give every view its own path under the board', () => {
		expect(BOARD_VIEWS.map((view) => viewHref('b1', view.slug))).toEqual([
			'/board/b1/backlog',
			'/board/b1/planning',
			'/board/b1/team',
			'/board/b1/standup',
			'/board/b1/scrum-of-scrums',
			'/board/b1/incidents',
			'/board/b1/review',
			'/board/b1/retro',
			'/board/b1/dashboard',
			'/board/b1/members',
			'/board/b1/settings'
		]);
	});

	it('give an ended standup its own summary page under the Standup view', () => {
		expect(standupSummaryHref('b1', { id: 'm1a2-web', teamId: 'web' })).toBe(
			'/board/b1/standup/m1a2-web?team=web'
		);
		expect(viewOfRoute('/board/[boardId]/standup/[summaryId]')?.name).toBe('Standup');
	});

	it('keep the selected team, sprint and story in the query, and leave out what is not set', () => {
		expect(viewHref('b1', 'planning', { team: 'web', sprint: 's-14', story: null })).toBe(
			'/board/b1/planning?team=web&sprint=s-14'
		);
		expect(viewHref('b 1', 'backlog', { story: 'a&b' })).toBe('/board/b%201/backlog?story=a%26b');
	});

	it('open a finding’s objects where the board shows them', () => {
		expect(refHref('b1', { kind: 'story', id: 'st-1' }, lookup)).toBe(
			'/board/b1/backlog?story=st-1'
		);
		expect(refHref('b1', { kind: 'sprint', id: 's-14' }, lookup)).toBe(
			'/board/b1/planning?team=web&sprint=s-14'
		);
		expect(refHref('b1', { kind: 'team', id: 'web' }, lookup)).toBe('/board/b1/planning?team=web');
		expect(refHref('b1', { kind: 'workPackage', id: 'wp-9' }, lookup)).toBe(
			'/board/b1/incidents/wp-9'
		);
		expect(refHref('b1', { kind: 'task', id: 't-1' }, lookup)).toBe('/board/b1/team?team=ops');
		expect(incidentHref('b1', 'wp 9')).toBe('/board/b1/incidents/wp%209');
	});

	it('name the view of a route, and no view outside a board', () => {
		expect(viewOfRoute('/board/[boardId]/scrum-of-scrums')?.name).toBe('Scrum of Scrums');
		expect(viewOfRoute('/board/[boardId]/incidents/[workPackageId]')?.slug).toBe('incidents');
		expect(viewOfRoute('/board/[boardId]')).toBeUndefined();
		expect(viewOfRoute(null)).toBeUndefined();
	});
});
