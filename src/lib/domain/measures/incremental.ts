/**
 * The measures of a board that changes: the same `measures()`, with what it reads per entity kept
 * between calls. A work package's parsed instants are kept per version of the work package (the
 * projection replaces an entity's object whenever it changes), and each team's burndown until a
 * task of the team, or a work package one of its tasks belongs to, changes; the value figures
 * (a pass over every story) until a story, sprint or observation changes. Everything else is
 * a pass over sprints and work packages, which is cheap. Fed the projection's change lists
 * (BoardProjection.subscribe); indexes are built on the first call, so a board nobody asks
 * measures of pays nothing.
 */
import type { ActiveSprintBurn, Measures } from '../../contract/measures';
import type { Sprint, WorkPackage } from '../schema';
import type { BoardState, PlacedTask } from '../state';
import { burndownOf, measures, workFacts, type MeasureOptions, type WorkFacts } from './compute';
import type { StoryFigures } from './value';

/**
 * What the value figures read besides the acceptances at reviews, which are compared at each
 * call instead: most sprint changes (a commitment, a reservation) leave them as they were.
 */
const VALUE_SOURCES = new Set(['stories', 'observations', 'meta']);

/** Whether two maps of first acceptances hold the same entries. */
function sameAcceptances(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
	if (a.size !== b.size) return false;
	for (const [id, at] of a) if (b.get(id) !== at) return false;
	return true;
}

interface KeptBurn {
	sprint: Sprint;
	today: string;
	timeZone: string;
	days: ActiveSprintBurn['days'];
}

export class IncrementalMeasures {
	readonly #state: BoardState;
	#facts = new WeakMap<WorkPackage, WorkFacts>();
	#factsZone: string | null = null;
	#indexed = false;
	/** Task id → the team document it lives in and its work package. */
	readonly #tasks = new Map<string, { teamId: string; workPackageId: string | null }>();
	readonly #tasksByTeam = new Map<string, Set<string>>();
	/** Work package id → team → how many of the team's tasks belong to it. */
	readonly #teamsByWork = new Map<string, Map<string, number>>();
	readonly #burns = new Map<string, KeptBurn>();
	/** The value figures of the last period and team asked for. */
	#value: {
		key: string;
		acceptances: ReadonlyMap<string, number>;
		figures: StoryFigures;
	} | null = null;

	constructor(state: BoardState) {
		this.#state = state;
	}

	/** Takes note of entities a transaction changed; their new values are in the state already. */
	apply(changes: readonly { collection: string; id: string }[]): void {
		for (const { collection } of changes) {
			if (VALUE_SOURCES.has(collection)) this.#value = null;
		}
		if (!this.#indexed) return;
		for (const { collection, id } of changes) {
			if (collection === 'tasks') this.#reindexTask(id);
			else if (collection === 'workPackages') {
				for (const teamId of this.#teamsByWork.get(id)?.keys() ?? []) this.#burns.delete(teamId);
			}
		}
	}

	measures(options: MeasureOptions): Measures {
		this.#index();
		return measures(this.#state, options, {
			facts: (wp, timeZone) => {
				if (timeZone !== this.#factsZone) {
					this.#facts = new WeakMap();
					this.#factsZone = timeZone;
				}
				let facts = this.#facts.get(wp);
				if (!facts) this.#facts.set(wp, (facts = workFacts(wp, timeZone)));
				return facts;
			},
			burndown: (sprint, today, timeZone) => {
				const kept = this.#burns.get(sprint.teamId);
				if (kept && kept.sprint === sprint && kept.today === today && kept.timeZone === timeZone)
					return kept.days;
				const days = burndownOf(
					sprint,
					this.#teamTasks(sprint.teamId),
					this.#state.workPackages,
					today,
					timeZone
				);
				this.#burns.set(sprint.teamId, { sprint, today, timeZone, days });
				return days;
			},
			value: (key, acceptances, compute) => {
				const kept = this.#value;
				if (kept?.key === key && sameAcceptances(kept.acceptances, acceptances))
					return kept.figures;
				this.#value = { key, acceptances, figures: compute() };
				return this.#value.figures;
			}
		});
	}

	*#teamTasks(teamId: string): Generator<PlacedTask> {
		for (const id of this.#tasksByTeam.get(teamId) ?? []) {
			const task = this.#state.tasks.get(id);
			if (task) yield task;
		}
	}

	#index(): void {
		if (this.#indexed) return;
		this.#indexed = true;
		for (const id of this.#state.tasks.keys()) this.#reindexTask(id);
	}

	#reindexTask(id: string): void {
		const before = this.#tasks.get(id);
		const task = this.#state.tasks.get(id);
		if (before) {
			this.#tasksByTeam.get(before.teamId)?.delete(id);
			this.#burns.delete(before.teamId);
			if (before.workPackageId !== null) this.#count(before.workPackageId, before.teamId, -1);
			this.#tasks.delete(id);
		}
		if (task) {
			const teamId = task.homeTeamId;
			let ids = this.#tasksByTeam.get(teamId);
			if (!ids) this.#tasksByTeam.set(teamId, (ids = new Set()));
			ids.add(id);
			this.#burns.delete(teamId);
			if (task.workPackageId !== null) this.#count(task.workPackageId, teamId, 1);
			this.#tasks.set(id, { teamId, workPackageId: task.workPackageId });
		}
	}

	#count(workPackageId: string, teamId: string, delta: 1 | -1): void {
		let teams = this.#teamsByWork.get(workPackageId);
		if (!teams) this.#teamsByWork.set(workPackageId, (teams = new Map()));
		const count = (teams.get(teamId) ?? 0) + delta;
		if (count > 0) teams.set(teamId, count);
		else teams.delete(teamId);
		if (teams.size === 0) this.#teamsByWork.delete(workPackageId);
	}
}
