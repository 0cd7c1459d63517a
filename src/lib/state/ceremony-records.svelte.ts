/**
 * What ceremonies leave on the board, as reactive values: Daily Standup entries, the summary of
 * each ended standup, impediments and retrospective items (board document, D6.10, D6.10a and D6.11). They re-read only
 * when a change touches those collections.
 */
import { createSubscriber } from 'svelte/reactivity';
import type { Impediment, RetroItem, StandupEntry, StandupSummary } from '../domain/schema';
import { lastStandups } from '../domain/standup';
import type { BoardState } from '../domain/state';

/** Anything that holds a board state and reports which collections a change touched. */
export interface RecordsSource {
	readonly state: Pick<BoardState, 'impediments' | 'standups' | 'standupSummaries' | 'retro'>;
	subscribe(listener: (changes: readonly { collection: string }[]) => void): () => void;
}

const byCreation = (a: Impediment, b: Impediment) =>
	Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.id < b.id ? -1 : 1);

export class CeremonyRecords {
	readonly #source: RecordsSource;
	readonly #impediments: () => void;
	readonly #standups: () => void;
	readonly #summaries: () => void;
	readonly #retro: () => void;

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
		this.#summaries = on('standupSummaries');
		this.#retro = on('retro');
	}

	/** Every retrospective item: the actions of live retrospectives among them (D19). */
	get retroItems(): RetroItem[] {
		this.#retro();
		return [...this.#source.state.retro.values()];
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

	/** One ended standup's summary, if the board holds it. */
	summary(id: string): StandupSummary | undefined {
		this.#summaries();
		return this.#source.state.standupSummaries.get(id);
	}

	/** The summary of each team's last ended standup, by team id. */
	get lastSummaries(): ReadonlyMap<string, StandupSummary> {
		this.#summaries();
		return lastStandups(this.#source.state.standupSummaries.values());
	}
}
