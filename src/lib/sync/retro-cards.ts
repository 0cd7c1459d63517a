/**
 * Retrospective cards in Yjs (docs/schema.md D19): a card lives in its author's personal
 * document while the team writes, which the server relays to that person's connections alone,
 * and moves into the team document once the phase moves past writing. Both the author's own
 * clients and the server move them, with the same card ids, so whoever comes first, the team
 * document ends with one card per id and the personal document with none left of that retro.
 */
import * as Y from 'yjs';
import { LiveRetro, RetroCard, RetroVotes } from '../domain/retrospective';
import { readValues } from './codec';
import { RETRO_CARDS_KEY, RETRO_KEY, RETRO_VOTES_KEY } from './layout';

/** The retrospective a team document holds, or null (none, or one that fails the schema). */
export function readLiveRetro(team: Y.Doc, teamId: string): LiveRetro | null {
	let stored: Record<string, unknown>;
	try {
		stored = readValues(team.getMap(RETRO_KEY));
	} catch {
		return null;
	}
	const parsed = LiveRetro.safeParse(stored);
	return parsed.success && parsed.data.teamId === teamId ? parsed.data : null;
}

/** Every valid card a document holds (team or personal); invalid ones are skipped. */
export function readCards(doc: Y.Doc): RetroCard[] {
	const cards: RetroCard[] = [];
	doc.getMap<unknown>(RETRO_CARDS_KEY).forEach((value, key) => {
		if (!(value instanceof Y.Map)) return;
		try {
			const parsed = RetroCard.safeParse(readValues(value as Y.Map<unknown>));
			if (parsed.success && parsed.data.id === key) cards.push(parsed.data);
		} catch {
			// A card past the bounds reads as no card.
		}
	});
	return cards;
}

/** Every person's votes a team document holds, by person id. */
export function readVotes(team: Y.Doc): Map<string, RetroVotes> {
	const votes = new Map<string, RetroVotes>();
	team.getMap<unknown>(RETRO_VOTES_KEY).forEach((value, personId) => {
		const parsed = RetroVotes.safeParse(value);
		if (parsed.success) votes.set(personId, parsed.data);
	});
	return votes;
}

/** A card as the Y.Map stored under its id. */
export function cardToYMap(card: RetroCard): Y.Map<unknown> {
	const map = new Y.Map<unknown>();
	for (const [field, value] of Object.entries(card)) map.set(field, value);
	return map;
}

/**
 * Moves the cards of a retrospective held in a personal document into the team document, those
 * its owner wrote for that team: each card is
 * copied unless the team document has it already, then removed from the personal document. Run
 * again, or by another replica at the same time, it leaves the same result. Returns how many
 * cards it moved.
 */
export function revealCards(
	personal: Y.Doc,
	team: Y.Doc,
	reveal: { retroId: string; teamId: string; authorId: string },
	origin: unknown
): number {
	// Only the document's own person's cards: nobody writes a card in another's name.
	const hidden = readCards(personal).filter(
		(card) =>
			card.retroId === reveal.retroId &&
			card.teamId === reveal.teamId &&
			card.authorId === reveal.authorId
	);
	if (hidden.length === 0) return 0;
	const shown = team.getMap<unknown>(RETRO_CARDS_KEY);
	team.transact(() => {
		for (const card of hidden) if (!shown.has(card.id)) shown.set(card.id, cardToYMap(card));
	}, origin);
	const own = personal.getMap<unknown>(RETRO_CARDS_KEY);
	personal.transact(() => {
		for (const card of hidden) own.delete(card.id);
	}, origin);
	return hidden.length;
}
