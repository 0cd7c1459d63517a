/**
 * One team's live retrospective as a reactive value for screens (contract D19): the stored
 * retrospective, its cards in groups and discussion order, this person's hidden cards and votes,
 * the timer on the shared clock, and what the person looking may do.
 */
import { createSubscriber } from 'svelte/reactivity';
import {
	discussSecondsLeft,
	retroGroups,
	retroPermissions,
	votesLeft,
	type LiveRetro,
	type RetroCard,
	type RetroGroup,
	type RetroPermissions,
	type RetroViewer
} from '../domain/retrospective';
import type { RetroSnapshot, RetroSource } from '../sync/retro-feed';

export class RetroRoom {
	readonly #source: RetroSource;
	readonly #clock: { readonly now: number };
	readonly #subscribe: () => void;

	constructor(source: RetroSource, clock: { readonly now: number }) {
		this.#source = source;
		this.#clock = clock;
		this.#subscribe = createSubscriber((update) => source.onChange(update));
	}

	get #snapshot(): RetroSnapshot {
		this.#subscribe();
		return this.#source.read();
	}

	/** The stored retrospective (running or ended), or null. */
	get retro(): LiveRetro | null {
		return this.#snapshot.retro;
	}

	/** The cards of the current retrospective in groups, most votes first. */
	get groups(): RetroGroup[] {
		const { retro, cards, votes } = this.#snapshot;
		return retro ? retroGroups(retro.id, cards, votes) : [];
	}

	/** This person's cards of the current retrospective still hidden with them. */
	get mine(): RetroCard[] {
		const { retro, mine } = this.#snapshot;
		return retro ? mine.filter((card) => card.retroId === retro.id) : [];
	}

	/** The groups this person voted for (one entry per vote). */
	votesOf(personId: string): string[] {
		const { retro, votes } = this.#snapshot;
		const ballot = votes.get(personId);
		return retro && ballot?.retroId === retro.id ? ballot.cardIds : [];
	}

	votesLeft(personId: string): number {
		const { retro, votes } = this.#snapshot;
		return retro ? votesLeft(retro.id, votes.get(personId)) : 0;
	}

	/** Seconds left on the discussion timer on the shared clock, or null. */
	get secondsLeft(): number | null {
		const retro = this.retro;
		return retro ? discussSecondsLeft(retro, this.#clock.now) : null;
	}

	permissions(viewer: RetroViewer): RetroPermissions {
		return retroPermissions(this.retro, viewer);
	}
}
