/**
 * The top of a board's backlog as plain data. The server, which already holds every open board
 * decoded, sends it to a page that is still loading the board document, so a large board shows
 * its first rows before the browser has decoded megabytes of Yjs updates. It is a picture for
 * reading only: edits wait for the live document.
 */
import { z } from 'zod';
import { compareRanked } from './order';
import { Story, Team } from './schema';
import type { BoardState } from './state';

/** Most rows a preview may hold: a tall screen shows about 40. */
export const PREVIEW_MAX_ROWS = 200;

export const BacklogPreview = z.object({
	/** Stories in the whole backlog. */
	total: z.number().int().nonnegative(),
	/** The first stories in backlog order. */
	stories: z.array(Story).max(PREVIEW_MAX_ROWS),
	/** The teams those stories name. */
	teams: z.array(Team)
});
export type BacklogPreview = z.infer<typeof BacklogPreview>;

/** The first `limit` stories of the backlog (rank, then id) and the teams they name. */
export function backlogPreview(state: BoardState, limit: number): BacklogPreview {
	const rows = Math.max(0, Math.min(limit, PREVIEW_MAX_ROWS));
	const top: Story[] = [];
	// One pass keeping the best `rows` in order: no sort of the whole backlog per request.
	for (const story of state.stories.values()) {
		if (top.length === rows && (rows === 0 || compareRanked(story, top[rows - 1]!) >= 0)) continue;
		let at = top.length;
		while (at > 0 && compareRanked(story, top[at - 1]!) < 0) at--;
		top.splice(at, 0, story);
		if (top.length > rows) top.pop();
	}
	const teamIds = new Set(top.flatMap((story) => story.teamIds));
	const teams = [...teamIds].flatMap((id) => state.teams.get(id) ?? []);
	return { total: state.stories.size, stories: top, teams };
}
