/**
 * What ceremonies leave on the board, as reactive values: Daily Standup entries and impediments
 * (board document, D6.10 and D6.11). They re-read only when a change touches those collections.
 */
import { createSubscriber } from 'svelte/reactivity';
import type { Impediment, StandupEntry } from '../domain/schema';
import type { BoardState } from '../domain/state';

/** Anything that holds a board state and reports which collections a change touched. */
export interface RecordsSource {
	readonly state: Pick<BoardState, 'impediments' | 'standups'>;
	subscribe(listener: (changes: readonly { collection: string }[]) => void): () => void;
}

const byCreation = (a: Impediment, b: Impediment) =>
	Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.id < b.id ? -1 : 1);

export class CeremonyRecords {
	readonly #source: RecordsSource;
	readonly #impediments: () => void;
	readonly #standups: () => void;

	constructor(source: RecordsSource) {
		this.#source = source;
		const on = (collection: string) =>
			createSubscriber((update) =>
				source.subscribe((changes) => {
					if (changes.some((c) => c.collection === collection)) update();
				})
			);
		this.#impediments = on('impediments');
		this.#standups = on('standups');
	}

	/** Every impediment, oldest first. */
	get impediments(): Impediment[] {
		this.#impediments();
		return [...this.#source.state.impediments.values()].sort(byCreation);
	}

	/** A team's standup entries of one day (by id: entries carry no time; screens order them). */
	entriesOf(teamId: string, day: string): StandupEntry[] {
		this.#standups();
		return [...this.#source.state.standups.values()]
			.filter((e) => e.teamId === teamId && e.day === day)
			.sort((a, b) => (a.id < b.id ? -1 : 1));
	}
}
