/**
 * The Scrum of Scrums of a board as reactive values (see domain/scrum-of-scrums.ts for the
 * figures).
 */
import { dayOf, timeZoneOf } from '../domain/days';
import type { Finding } from '../domain/findings';
import type { Impediment, Person } from '../domain/schema';
import {
	chiefScrumMasters,
	crossTeamImpediments,
	escalationsInFlight,
	multiTeamStories,
	sprintHealth,
	type EscalationInFlight,
	type MultiTeamStory,
	type SosBoard,
	type SprintHealth
} from '../domain/scrum-of-scrums';

/** The Scrum of Scrums of a board, recomputed when the board changes. */
export class ScrumOfScrums {
	readonly #board: SosBoard;
	readonly #impediments: () => readonly Impediment[];
	readonly #clock: { readonly now: number };

	readonly #multiTeam = $derived.by(() => multiTeamStories(this.#board));
	readonly #crossTeam = $derived.by(() => crossTeamImpediments(this.#impediments()));

	constructor(
		board: SosBoard,
		impediments: () => readonly Impediment[],
		clock: { readonly now: number }
	) {
		this.#board = board;
		this.#impediments = impediments;
		this.#clock = clock;
	}

	/** Every team's health on `today`: the shared clock's day in the board's time zone. */
	get health(): SprintHealth[] {
		const today = dayOf(this.#clock.now, timeZoneOf(this.#board.board));
		return this.#board.teams.map((team) => sprintHealth(team, this.#board, today));
	}

	get multiTeamStories(): MultiTeamStory[] {
		return this.#multiTeam;
	}

	get crossTeamImpediments(): Impediment[] {
		return this.#crossTeam;
	}

	/** Read at the shared clock's now, so SLA states tick. */
	get escalations(): EscalationInFlight[] {
		return escalationsInFlight(this.#board.workPackages, this.#clock.now);
	}

	/** R6: multi-team stories without every team's estimate, or in misaligned sprints. */
	get coordination(): Finding[] {
		return this.#board.findings.filter((f) => f.rule === 'R6');
	}

	/** R12: a large board without a Chief Product Owner or Chief Scrum Master. */
	get missingRoles(): Finding[] {
		return this.#board.findings.filter((f) => f.rule === 'R12');
	}

	get facilitators(): Person[] {
		return chiefScrumMasters(this.#board.people);
	}
}
