/**
 * The validation engine: runs every rule check over a board and returns its findings in a
 * deterministic order. `validate` does it from scratch; `IncrementalValidator` keeps findings
 * current as entities change, re-running only the checks whose recorded reads were touched.
 * Both produce the same list for the same state (the convergence tests hold them to it).
 */
import type { GuardedChange } from '../authorship';
import { ruleNumber, type Finding } from '../findings';
import type { Board, Sprint } from '../schema';
import type { BoardState } from '../state';
import { BoardIndex, depKey, type IndexedEntities, type IndexedKind } from './board-index';
import { SCOPE_KINDS, type RuleCheck, type RuleContext, type ScopeKind } from './context';
import { ALL_CHECKS } from './rules';

const CHECKS_BY_SCOPE = groupChecks(ALL_CHECKS);
const SCOPE_RANK = new Map<ScopeKind, number>(SCOPE_KINDS.map((kind, i) => [kind, i]));

/** A finding with where it came from, so any set of them sorts into one canonical order. */
interface Placed {
	finding: Finding;
	ruleNumber: number;
	scopeRank: number;
	scopeId: string;
	/** Position among the findings of its scope, in check order. */
	order: number;
}

/** Validates a whole board state at the instant `now` (ms since epoch). */
export function validate(state: BoardState, now: number): Finding[] {
	const index = BoardIndex.over(state);
	const reader = new IndexReader(index, now);
	const placed: Placed[] = [];
	for (const kind of SCOPE_KINDS) {
		if (CHECKS_BY_SCOPE[kind].length === 0) continue;
		for (const [id, subject] of subjectsOf(index, kind)) {
			runScope(kind, id, subject, reader, placed);
		}
	}
	return placed.sort(comparePlaced).map((p) => p.finding);
}

interface ScopeResult {
	placed: Placed[];
	deps: ReadonlySet<string>;
}

/**
 * Findings kept current under a stream of entity changes. Each scope (one subject: a story, a
 * sprint, …) remembers what its checks read; a change re-runs only the scopes that read it.
 */
export class IncrementalValidator {
	readonly #index = new BoardIndex();
	readonly #reader: IndexReader;
	readonly #scopes = new Map<string, ScopeResult>();
	/** Dependency key → scopes whose last run read it. */
	readonly #dependents = new Map<string, Set<string>>();
	/** Scopes that currently have findings. */
	readonly #withFindings = new Set<string>();
	#dirty = new Set<string>();
	#sorted: Finding[] | null = [];

	constructor(now: number) {
		this.#reader = new IndexReader(this.#index, now);
	}

	setBoard(board: Board | null): void {
		this.#invalidate(this.#index.setBoard(board));
		this.#dirty.add(scopeKey('board', ''));
	}

	put<K extends IndexedKind>(kind: K, entity: IndexedEntities[K]): void {
		this.#invalidate(this.#index.put(kind, entity));
		if (isScope(kind)) this.#dirty.add(scopeKey(kind, entity.id));
	}

	remove(kind: IndexedKind, id: string): void {
		this.#invalidate(this.#index.remove(kind, id));
		if (isScope(kind)) this.#dirty.add(scopeKey(kind, id));
	}

	/** Records the last change of a role-guarded field, under its authorship key. */
	putRoleChange(key: string, change: GuardedChange): void {
		this.#invalidate(this.#index.putRoleChange(key, change));
		this.#dirty.add(scopeKey('roleChange', key));
	}

	removeRoleChange(key: string): void {
		this.#invalidate(this.#index.removeRoleChange(key));
		this.#dirty.add(scopeKey('roleChange', key));
	}

	/** Moves the validation instant: only checks that read the clock run again. */
	setNow(now: number): void {
		if (now === this.#reader.now()) return;
		this.#reader.setNow(now);
		this.#invalidate([depKey.now]);
	}

	/** Current findings, in the same order `validate` gives. */
	findings(): readonly Finding[] {
		if (this.#dirty.size > 0) this.#revalidate();
		if (this.#sorted) return this.#sorted;
		const placed: Placed[] = [];
		for (const key of this.#withFindings) placed.push(...this.#scopes.get(key)!.placed);
		this.#sorted = placed.sort(comparePlaced).map((p) => p.finding);
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
		for (const key of dirty) {
			const previous = this.#scopes.get(key);
			if (previous) this.#forget(key, previous);
			const result = this.#run(key);
			if (result) this.#remember(key, result);
			if (previous?.placed.length || result?.placed.length) this.#sorted = null;
		}
	}

	#run(key: string): ScopeResult | null {
		const separator = key.indexOf(':');
		const kind = key.slice(0, separator) as ScopeKind;
		const id = key.slice(separator + 1);
		const subject = subjectOf(this.#index, kind, id);
		if (!subject) return null;
		const deps = new Set<string>([kind === 'board' ? depKey.board : key]);
		this.#reader.deps = deps;
		try {
			return { placed: runScope(kind, id, subject, this.#reader, []), deps };
		} finally {
			this.#reader.deps = null;
		}
	}

	#remember(key: string, result: ScopeResult): void {
		this.#scopes.set(key, result);
		if (result.placed.length > 0) this.#withFindings.add(key);
		for (const dep of result.deps) {
			let scopes = this.#dependents.get(dep);
			if (!scopes) this.#dependents.set(dep, (scopes = new Set()));
			scopes.add(key);
		}
	}

	#forget(key: string, result: ScopeResult): void {
		this.#scopes.delete(key);
		this.#withFindings.delete(key);
		for (const dep of result.deps) {
			const scopes = this.#dependents.get(dep);
			scopes?.delete(key);
			if (scopes?.size === 0) this.#dependents.delete(dep);
		}
	}
}

/** Runs every check of one scope, appending its findings to `into`. */
function runScope(
	kind: ScopeKind,
	id: string,
	subject: unknown,
	ctx: RuleContext,
	into: Placed[]
): Placed[] {
	const scopeRank = SCOPE_RANK.get(kind)!;
	let order = 0;
	for (const check of CHECKS_BY_SCOPE[kind]) {
		for (const finding of check.check(subject as never, ctx)) {
			into.push({
				finding,
				ruleNumber: ruleNumber(finding.rule),
				scopeRank,
				scopeId: id,
				order: order++
			});
		}
	}
	return into;
}

/**
 * The rules' read access to an index. When `deps` is set, every read is recorded there; one
 * reader serves every scope, so a run allocates nothing but its dependency set.
 */
class IndexReader implements RuleContext {
	deps: Set<string> | null = null;
	readonly #index: BoardIndex;
	#now: number;

	constructor(index: BoardIndex, now: number) {
		this.#index = index;
		this.#now = now;
	}

	setNow(now: number): void {
		this.#now = now;
	}

	now(): number {
		this.deps?.add(depKey.now);
		return this.#now;
	}
	board() {
		this.deps?.add(depKey.board);
		return this.#index.board;
	}
	person(id: string) {
		return this.#entity('person', id);
	}
	team(id: string) {
		return this.#entity('team', id);
	}
	story(id: string) {
		return this.#entity('story', id);
	}
	sprint(id: string) {
		return this.#entity('sprint', id);
	}
	workPackage(id: string) {
		return this.#entity('workPackage', id);
	}
	incidentReview(workPackageId: string) {
		return this.#entity('incidentReview', workPackageId);
	}
	doneChecklist(storyId: string) {
		return this.#entity('doneChecklist', storyId);
	}
	doneCriteria() {
		this.deps?.add(depKey.all('doneCriterion'));
		return this.#index.all('doneCriterion');
	}
	teams() {
		this.deps?.add(depKey.all('team'));
		return this.#index.all('team');
	}
	people() {
		this.deps?.add(depKey.all('person'));
		return this.#index.all('person');
	}
	sprintsOfTeam(teamId: string) {
		this.deps?.add(depKey.index('sprintsOfTeam', teamId));
		return this.#index.lookup('sprintsOfTeam', teamId, byStartThenId);
	}
	sprintsPlanningStory(storyId: string) {
		this.deps?.add(depKey.index('sprintsPlanningStory', storyId));
		return this.#index.lookup('sprintsPlanningStory', storyId);
	}
	sprintsPlanningWorkPackage(workPackageId: string) {
		this.deps?.add(depKey.index('sprintsPlanningWorkPackage', workPackageId));
		return this.#index.lookup('sprintsPlanningWorkPackage', workPackageId);
	}
	workPackagesOfStory(storyId: string) {
		this.deps?.add(depKey.index('workPackagesOfStory', storyId));
		return this.#index.lookup('workPackagesOfStory', storyId);
	}
	workPackagesEscalatingVia(storyId: string) {
		this.deps?.add(depKey.index('workPackagesEscalatingVia', storyId));
		return this.#index.lookup('workPackagesEscalatingVia', storyId);
	}
	tasksOfWorkPackage(workPackageId: string) {
		this.deps?.add(depKey.index('tasksOfWorkPackage', workPackageId));
		return this.#index.lookup('tasksOfWorkPackage', workPackageId);
	}

	#entity<K extends IndexedKind>(kind: K, id: string): IndexedEntities[K] | undefined {
		this.deps?.add(depKey.entity(kind, id));
		return this.#index.tables[kind].get(id) as IndexedEntities[K] | undefined;
	}
}

/** Every subject of one scope kind, with its scope id ('' for the one board). */
function subjectsOf(index: BoardIndex, kind: ScopeKind): Iterable<[string, unknown]> {
	if (kind === 'board') return index.board ? [['', index.board]] : [];
	if (kind === 'roleChange') return index.roleChanges;
	return index.tables[kind];
}

function subjectOf(index: BoardIndex, kind: ScopeKind, id: string): unknown {
	if (kind === 'board') return index.board;
	if (kind === 'roleChange') return index.roleChanges.get(id);
	return index.tables[kind].get(id);
}

/** Entities that are subjects of checks; people and reviews are only read by them. */
function isScope(kind: IndexedKind): kind is IndexedKind & ScopeKind {
	return (SCOPE_KINDS as readonly string[]).includes(kind);
}

function scopeKey(kind: ScopeKind, id: string): string {
	return `${kind}:${id}`;
}

function groupChecks(checks: readonly RuleCheck[]): Record<ScopeKind, RuleCheck[]> {
	const grouped = Object.fromEntries(SCOPE_KINDS.map((k) => [k, [] as RuleCheck[]])) as Record<
		ScopeKind,
		RuleCheck[]
	>;
	for (const check of checks) grouped[check.scope].push(check);
	return grouped;
}

function comparePlaced(a: Placed, b: Placed): number {
	return (
		a.ruleNumber - b.ruleNumber ||
		a.scopeRank - b.scopeRank ||
		(a.scopeId < b.scopeId ? -1 : a.scopeId > b.scopeId ? 1 : 0) ||
		a.order - b.order
	);
}

function byStartThenId(a: Sprint, b: Sprint): number {
	if (a.start !== b.start) return a.start < b.start ? -1 : 1;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
