/**
 * Watching a team's retrospective (D19) without touching Yjs types in screens: its live state,
 * the cards revealed to the team, everyone's votes, and this person's own cards still hidden in
 * their personal document; any change to one of them is reported.
 */
import type * as Y from 'yjs';
import type { LiveRetro, RetroCard, RetroVotes } from '../domain/retrospective';
import type { BoardDocs } from './board-docs';
import { RETRO_CARDS_KEY, RETRO_KEY, RETRO_VOTES_KEY } from './layout';
import { readCards, readLiveRetro, readVotes } from './retro-cards';

export interface RetroSnapshot {
	retro: LiveRetro | null;
	/** Cards revealed to the team (every retrospective the team document still holds). */
	cards: RetroCard[];
	votes: Map<string, RetroVotes>;
	/** This person's cards still hidden with them. */
	mine: RetroCard[];
}

/** Where a screen reads a team's retrospective from, and learns that it changed. */
export interface RetroSource {
	read(): RetroSnapshot;
	onChange(listener: () => void): () => void;
}

/** The retrospective of `teamId`, with this person's hidden cards from `personal`. */
export function retroSource(docs: BoardDocs, teamId: string, personal: Y.Doc): RetroSource {
	return {
		read: () => {
			const team = docs.team(teamId);
			return {
				retro: readLiveRetro(team, teamId),
				cards: readCards(team),
				votes: readVotes(team),
				mine: readCards(personal).filter((card) => card.teamId === teamId)
			};
		},
		onChange(listener) {
			const team = docs.team(teamId);
			const maps = [
				team.getMap(RETRO_KEY),
				team.getMap(RETRO_CARDS_KEY),
				team.getMap(RETRO_VOTES_KEY),
				personal.getMap(RETRO_CARDS_KEY)
			];
			const onEvent = () => listener();
			for (const map of maps) map.observeDeep(onEvent);
			return () => {
				for (const map of maps) map.unobserveDeep(onEvent);
			};
		}
	};
}
