/**
 * Watching a team's live standup (D13) without touching Yjs types here: the team document's
 * `standup` map is read through the sync layer's `readStandup`, and any change to it is reported.
 */
import type { LiveStandup } from '../domain/standup';
import type { BoardDocs } from './board-docs';
import { STANDUP_KEY } from './layout';
import { readStandup } from './operations';

/** Where a screen reads a team's standup from, and learns that it changed. */
export interface StandupSource {
	read(): LiveStandup | null;
	onChange(listener: () => void): () => void;
}

/** The standup of `teamId` in this board's documents. */
export function standupSource(docs: BoardDocs, teamId: string): StandupSource {
	return {
		read: () => readStandup(docs, teamId),
		onChange(listener) {
			const map = docs.team(teamId).getMap(STANDUP_KEY);
			const onEvent = () => listener();
			map.observe(onEvent);
			return () => map.unobserve(onEvent);
		}
	};
}
