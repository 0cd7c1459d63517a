/**
 * The validation engine: runs every rule check over a board and returns its findings in a
 * deterministic order. `validate` does it from scratch; `IncrementalValidator` keeps findings
 * current as entities change, re-running only the checks whose recorded reads were touched.
 * Both produce the same list for the same state (a unit test holds them to it).
 */
import { ruleNumber, type Finding } from '../findings';
import type { Board, Sprint } from '../schema';
import type { BoardState } from '../state';
import { BoardIndex, depKey, type IndexedEntities, type IndexedKind } from './board-index';
import { SCOPE_KINDS, type RuleCheck, type RuleContext, type ScopeKind } from './context';
import { ALL_CHECKS } from './rules';

/** Validates a whole board state at the instant `now` (ms since epoch). */
export function validate(state: BoardState, now: number): Finding[] {
	const validator = new IncrementalValidator(now, { trackDependencies: false });
	validator.load(state);
	return [...validator.findings()];
}

interface ScopeResult {
	findings: Finding[];
	deps: ReadonlySet<string>;
}

/** Orders scopes so that each rule's findings list board, teams, stories, … then by id. */
const SCOPE_RANK = new Map<ScopeKind, number>(SCOPE_KINDS.map((kind, i) => [kind, i]));
const CHECKS_BY_SCOPE = groupChecks(ALL_CHECKS);
const BOARD_SCOPE = 'board:';

export class IncrementalValidator {
	readonly #index = new BoardIndex();
	readonly #track: boolean;
	#now: number;
	readonly #scopes = new Map<string, ScopeResult>();
	/** Dependency key → scopes whose last run read it. */
	readonly #dependents = new Map<string, Set<string>>();
	#dirty = new Set<string>();
	#sorted: Finding[] | null = [];

	constructor(now: number, options: { trackDependencies?: boolean } = {}) {
		this.#now = now;
		this.#track = options.trackDependencies ?? true;
	}

	/** Loads a whole state (replacing nothing: call on a fresh validator). */
	load(state: BoardState): void {
		this.setBoard(state.board);
		for (const p of state.people.values()) this.put('person', p);
		for (const t of state.teams.values()) this.put('team', t);
		for (const s of state.stories.values()) this.put('story', s);
		for (const s of state.sprints.values()) this.put('sprint', s);
		for (const w of state.workPackages.values()) this.put('workPackage', w);
		for (const t of state.tasks.values()) this.put('task', t);
	}

	setBoard(board: Board | null): void {
		this.#invalidate(this.#index.setBoard(board));
		this.#dirty.add(BOARD_SCOPE);
	}

	put<K extends IndexedKind>(kind: K, entity: IndexedEntities[K]): void {
		this.#invalidate(this.#index.put(kind, entity));
		if (kind !== 'person') this.#dirty.add(`${kind}:${entity.id}`);
	}

	remove(kind: IndexedKind, id: string): void {
		this.#invalidate(this.#index.remove(kind, id));
		if (kind !== 'person') this.#dirty.add(`${kind}:${id}`);
	}

	/** Moves the validation instant: only checks that read the clock run again. */
	setNow(now: number): void {
		if (now === this.#now) return;
		this.#now = now;
		this.#invalidate([depKey.now]);
	}

	get now(): number {
		return this.#now;
	}

	/** Current findings, sorted by rule number, then scope, then the order a check gave them. */
	findings(): readonly Finding[] {
		if (this.#dirty.size > 0) this.#revalidate();
		if (this.#sorted) return this.#sorted;
		const keys = [...this.#scopes.keys()].filter((k) => this.#scopes.get(k)!.findings.length > 0);
		keys.sort(compareScopeKeys);
		const ranked: { finding: Finding; order: number }[] = [];
		let order = 0;
		for (const key of keys) {
			for (const finding of this.#scopes.get(key)!.findings)
				ranked.push({ finding, order: order++ });
		}
		ranked.sort(
			(a, b) => ruleNumber(a.finding.rule) - ruleNumber(b.finding.rule) || a.order - b.order
		);
		this.#sorted = ranked.map((r) => r.finding);
		return this.#sorted;
	}

	#invalidate(keys: readonly string[]): void {
		for (const key of keys) {
			const scopes = this.#dependents.get(key);
			if (scopes) for (const scope of scopes) this.#dirty.add(scope);
		}
	}

	#revalidate(): void {
		const dirty = this.#dirty;
		this.#dirty = new Set();
		for (const scopeKey of dirty) {
			const previous = this.#scopes.get(scopeKey);
			if (previous) this.#forget(scopeKey, previous);
			const result = this.#run(scopeKey);
			if (result) {
				this.#scopes.set(scopeKey, result);
				for (const dep of result.deps) {
					let scopes = this.#dependents.get(dep);
					if (!scopes) this.#dependents.set(dep, (scopes = new Set()));
					scopes.add(scopeKey);
				}
			}
			if (previous?.findings.length || result?.findings.length) this.#sorted = null;
		}
	}

	#forget(scopeKey: string, result: ScopeResult): void {
		this.#scopes.delete(scopeKey);
		for (const dep of result.deps) {
			const scopes = this.#dependents.get(dep);
			scopes?.delete(scopeKey);
			if (scopes?.size === 0) this.#dependents.delete(dep);
		}
	}

	/** Runs every check of one scope, or returns null when its subject no longer exists. */
	#run(scopeKey: string): ScopeResult | null {
		const separator = scopeKey.indexOf(':');
		const kind = scopeKey.slice(0, separator) as ScopeKind;
		const id = scopeKey.slice(separator + 1);
		const subject =
			kind === 'board' ? this.#index.board : this.#index.tables[kind as IndexedKind].get(id);
		if (!subject) return null;
		const deps = new Set<string>();
		if (this.#track) deps.add(kind === 'board' ? depKey.board : depKey.entity(kind, id));
		const ctx = this.#context(this.#track ? deps : null);
		const findings: Finding[] = [];
		for (const check of CHECKS_BY_SCOPE[kind]) {
			findings.push(...(check as RuleCheck<typeof kind>).check(subject as never, ctx));
		}
		return { findings, deps };
	}

	/** A read-only view of the index that records every read into `deps` when given. */
	#context(deps: Set<string> | null): RuleContext {
		const index = this.#index;
		const read = deps ? (key: string) => void deps.add(key) : () => {};
		const entity = <K extends IndexedKind>(kind: K, id: string) => {
			read(depKey.entity(kind, id));
			return index.tables[kind].get(id) as IndexedEntities[K] | undefined;
		};
		return {
			now: () => (read(depKey.now), this.#now),
			board: () => (read(depKey.board), index.board),
			person: (id) => entity('person', id),
			team: (id) => entity('team', id),
			story: (id) => entity('story', id),
			sprint: (id) => entity('sprint', id),
			workPackage: (id) => entity('workPackage', id),
			teams: () => (read(depKey.all('team')), index.all('team')),
			people: () => (read(depKey.all('person')), index.all('person')),
			sprintsOfTeam: (teamId) => (
				read(depKey.index('sprintsOfTeam', teamId)),
				index.lookup('sprintsOfTeam', teamId, byStartThenId)
			),
			sprintsPlanningStory: (storyId) => (
				read(depKey.index('sprintsPlanningStory', storyId)),
				index.lookup('sprintsPlanningStory', storyId)
			),
			sprintsPlanningWorkPackage: (wpId) => (
				read(depKey.index('sprintsPlanningWorkPackage', wpId)),
				index.lookup('sprintsPlanningWorkPackage', wpId)
			),
			workPackagesOfStory: (storyId) => (
				read(depKey.index('workPackagesOfStory', storyId)),
				index.lookup('workPackagesOfStory', storyId)
			),
			workPackagesEscalatingVia: (storyId) => (
				read(depKey.index('workPackagesEscalatingVia', storyId)),
				index.lookup('workPackagesEscalatingVia', storyId)
			),
			tasksOfWorkPackage: (wpId) => (
				read(depKey.index('tasksOfWorkPackage', wpId)),
				index.lookup('tasksOfWorkPackage', wpId)
			)
		};
	}
}

function groupChecks(checks: readonly RuleCheck[]): Record<ScopeKind, RuleCheck[]> {
	const grouped = Object.fromEntries(SCOPE_KINDS.map((k) => [k, [] as RuleCheck[]])) as Record<
		ScopeKind,
		RuleCheck[]
	>;
	for (const check of checks) grouped[check.scope].push(check);
	return grouped;
}

function compareScopeKeys(a: string, b: string): number {
	const ka = a.slice(0, a.indexOf(':')) as ScopeKind;
	const kb = b.slice(0, b.indexOf(':')) as ScopeKind;
	const byKind = SCOPE_RANK.get(ka)! - SCOPE_RANK.get(kb)!;
	if (byKind !== 0) return byKind;
	return a < b ? -1 : a > b ? 1 : 0;
}

function byStartThenId(a: Sprint, b: Sprint): number {
	if (a.start !== b.start) return a.start < b.start ? -1 : 1;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
