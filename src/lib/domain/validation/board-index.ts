/**
 * A mutable, indexed copy of a board's state: the entities the rules read, plus the reverse
 * lookups they need (a team's sprints, a story's work packages, …). Every change reports the
 * dependency keys it touched, so the incremental engine knows which checks to re-run.
 */
import type { GuardedChange } from '../authorship';
import type {
	Board,
	DoneChecklist,
	DoneCriterion,
	IncidentReview,
	Person,
	Sprint,
	Story,
	Team,
	WorkPackage
} from '../schema';
import type { BoardState, PlacedTask } from '../state';

/** The entity kinds the rules read; other collections (epics, standups, …) have no rules. */
export interface IndexedEntities {
	person: Person;
	team: Team;
	story: Story;
	sprint: Sprint;
	workPackage: WorkPackage;
	task: PlacedTask;
	/** Keyed by its work package's id. */
	incidentReview: IncidentReview;
	doneCriterion: DoneCriterion;
	/** Keyed by its story's id. */
	doneChecklist: DoneChecklist;
}
export type IndexedKind = keyof IndexedEntities;

/** Dependency keys: what a check read. Kept as plain strings so sets of them stay cheap. */
export const depKey = {
	now: 'now',
	board: 'board',
	entity: (kind: IndexedKind, id: string) => `${kind}:${id}`,
	roleChange: (authorshipKey: string) => `roleChange:${authorshipKey}`,
	all: (kind: ListedKind) => `all:${kind}`,
	index: (name: IndexName, key: string) => `ix:${name}:${key}`
};

type IndexName = keyof typeof INDEX_DEFINITIONS;
/** The kinds rules may list whole. */
type ListedKind = 'team' | 'person' | 'doneCriterion';
const LISTED_KINDS: ReadonlySet<IndexedKind> = new Set<ListedKind>([
	'team',
	'person',
	'doneCriterion'
]);

/** Each index maps an entity of one kind to the keys it is filed under. */
const INDEX_DEFINITIONS = {
	sprintsOfTeam: { kind: 'sprint', keys: (s: Sprint) => [s.teamId] },
	sprintsPlanningStory: {
		kind: 'sprint',
		keys: (s: Sprint) => unique([...Object.keys(s.commitments), ...Object.keys(s.reserved)])
	},
	sprintsPlanningWorkPackage: { kind: 'sprint', keys: (s: Sprint) => Object.keys(s.knownWork) },
	workPackagesOfStory: { kind: 'workPackage', keys: (w: WorkPackage) => [w.storyId] },
	workPackagesEscalatingVia: {
		kind: 'workPackage',
		keys: (w: WorkPackage) => unique(w.escalations.flatMap((h) => [h.fromStoryId, h.toStoryId]))
	},
	tasksOfWorkPackage: {
		kind: 'task',
		keys: (t: PlacedTask) => (t.workPackageId === null ? [] : [t.workPackageId])
	}
} as const;

const INDEXED_KINDS = [
	'person',
	'team',
	'story',
	'sprint',
	'workPackage',
	'task',
	'incidentReview',
	'doneCriterion',
	'doneChecklist'
] as const;
const INDEX_NAMES_BY_KIND = Object.fromEntries(
	INDEXED_KINDS.map((kind) => [
		kind,
		(Object.keys(INDEX_DEFINITIONS) as IndexName[]).filter(
			(name) => INDEX_DEFINITIONS[name].kind === kind
		)
	])
) as Record<IndexedKind, IndexName[]>;

function unique(keys: string[]): string[] {
	return keys.length < 2 ? keys : [...new Set(keys)];
}

class MultiIndex {
	readonly #buckets = new Map<string, Set<string>>();

	add(key: string, id: string): void {
		let bucket = this.#buckets.get(key);
		if (!bucket) this.#buckets.set(key, (bucket = new Set()));
		bucket.add(id);
	}

	delete(key: string, id: string): void {
		const bucket = this.#buckets.get(key);
		if (!bucket) return;
		bucket.delete(id);
		if (bucket.size === 0) this.#buckets.delete(key);
	}

	ids(key: string): ReadonlySet<string> | undefined {
		return this.#buckets.get(key);
	}
}

type Tables = { [K in IndexedKind]: Map<string, IndexedEntities[K]> };

export class BoardIndex {
	board: Board | null = null;
	readonly tables: Tables;
	/** Role-guarded changes by authorship key. They are not entities: their key is their id. */
	readonly roleChanges: Map<string, GuardedChange>;
	readonly #indexes = new Map<IndexName, MultiIndex>(
		(Object.keys(INDEX_DEFINITIONS) as IndexName[]).map((name) => [name, new MultiIndex()])
	);
	/** Sorted views of index buckets, dropped whenever their bucket changes. */
	readonly #sortedCache = new Map<string, readonly unknown[]>();

	/**
	 * A read-only index over a whole state. Its tables are the state's own maps (nothing is
	 * copied), so it must not be changed: put and remove refuse.
	 */
	static over(state: BoardState): BoardIndex {
		const index = new BoardIndex(
			{
				person: state.people as Map<string, Person>,
				team: state.teams as Map<string, Team>,
				story: state.stories as Map<string, Story>,
				sprint: state.sprints as Map<string, Sprint>,
				workPackage: state.workPackages as Map<string, WorkPackage>,
				task: state.tasks as Map<string, PlacedTask>,
				incidentReview: state.incidentReviews as Map<string, IncidentReview>,
				doneCriterion: state.doneCriteria as Map<string, DoneCriterion>,
				doneChecklist: state.doneChecklists as Map<string, DoneChecklist>
			},
			state.roleChanges as Map<string, GuardedChange>
		);
		index.board = state.board;
		for (const kind of INDEXED_KINDS) {
			for (const name of INDEX_NAMES_BY_KIND[kind]) {
				const keysOf = INDEX_DEFINITIONS[name].keys as (
					e: IndexedEntities[IndexedKind]
				) => readonly string[];
				const multi = index.#indexes.get(name)!;
				for (const entity of index.tables[kind].values()) {
					for (const key of keysOf(entity)) multi.add(key, entity.id);
				}
			}
		}
		return index;
	}

	readonly #readOnly: boolean;

	constructor(tables?: Tables, roleChanges?: Map<string, GuardedChange>) {
		this.#readOnly = tables !== undefined;
		this.roleChanges = roleChanges ?? new Map();
		this.tables = tables ?? {
			person: new Map(),
			team: new Map(),
			story: new Map(),
			sprint: new Map(),
			workPackage: new Map(),
			task: new Map(),
			incidentReview: new Map(),
			doneCriterion: new Map(),
			doneChecklist: new Map()
		};
	}

	/** Replaces the board settings; returns the touched dependency keys. */
	setBoard(board: Board | null): string[] {
		this.#assertWritable();
		this.board = board;
		return [depKey.board];
	}

	/** Inserts or replaces an entity; returns the dependency keys whose answers changed. */
	put<K extends IndexedKind>(kind: K, entity: IndexedEntities[K]): string[] {
		this.#assertWritable();
		const table = this.tables[kind] as Map<string, IndexedEntities[K]>;
		const previous = table.get(entity.id);
		table.set(entity.id, entity);
		return this.#touch(kind, entity.id, previous, entity);
	}

	/** Removes an entity; returns the touched dependency keys (none if it was absent). */
	remove(kind: IndexedKind, id: string): string[] {
		this.#assertWritable();
		const table = this.tables[kind] as Map<string, IndexedEntities[IndexedKind]>;
		const previous = table.get(id);
		if (!previous) return [];
		table.delete(id);
		return this.#touch(kind, id, previous, undefined);
	}

	/** Records the last change of a role-guarded field; returns the touched dependency keys. */
	putRoleChange(key: string, change: GuardedChange): string[] {
		this.#assertWritable();
		this.roleChanges.set(key, change);
		return [depKey.roleChange(key)];
	}

	/** Forgets a role-guarded change; returns the touched dependency keys (none if absent). */
	removeRoleChange(key: string): string[] {
		this.#assertWritable();
		return this.roleChanges.delete(key) ? [depKey.roleChange(key)] : [];
	}

	/** The entities filed under `key` in an index, sorted by `compare` and cached until changed. */
	lookup<N extends IndexName>(
		name: N,
		key: string,
		compare: (a: EntityOfIndex<N>, b: EntityOfIndex<N>) => number = byId
	): readonly EntityOfIndex<N>[] {
		const cacheKey = depKey.index(name, key);
		const cached = this.#sortedCache.get(cacheKey);
		if (cached) return cached as readonly EntityOfIndex<N>[];
		const ids = this.#indexes.get(name)!.ids(key);
		const table = this.tables[INDEX_DEFINITIONS[name].kind] as Map<string, EntityOfIndex<N>>;
		const list: EntityOfIndex<N>[] = [];
		if (ids) for (const id of ids) list.push(table.get(id)!);
		list.sort(compare);
		this.#sortedCache.set(cacheKey, list);
		return list;
	}

	/** All entities of a kind, sorted by id and cached until one of them changes. */
	all<K extends ListedKind>(kind: K): readonly IndexedEntities[K][] {
		const cacheKey = depKey.all(kind);
		const cached = this.#sortedCache.get(cacheKey);
		if (cached) return cached as readonly IndexedEntities[K][];
		const list = [...(this.tables[kind] as Map<string, IndexedEntities[K]>).values()].sort(byId);
		this.#sortedCache.set(cacheKey, list);
		return list;
	}

	#assertWritable(): void {
		if (this.#readOnly) throw new Error('this index is a read-only view of a board state');
	}

	#touch<K extends IndexedKind>(
		kind: K,
		id: string,
		previous: IndexedEntities[K] | undefined,
		next: IndexedEntities[K] | undefined
	): string[] {
		const touched = [depKey.entity(kind, id)];
		if (LISTED_KINDS.has(kind)) {
			touched.push(depKey.all(kind as ListedKind));
			this.#sortedCache.delete(depKey.all(kind as ListedKind));
		}
		for (const name of INDEX_NAMES_BY_KIND[kind]) {
			const keysOf = INDEX_DEFINITIONS[name].keys as (
				entity: IndexedEntities[K]
			) => readonly string[];
			const before = previous ? keysOf(previous) : [];
			const after = next ? keysOf(next) : [];
			const index = this.#indexes.get(name)!;
			for (const key of before) if (!after.includes(key)) index.delete(key, id);
			for (const key of after) index.add(key, id);
			// Membership and content both change a bucket's sorted view (it holds the objects).
			for (const key of unique([...before, ...after])) {
				const bucketKey = depKey.index(name, key);
				this.#sortedCache.delete(bucketKey);
				touched.push(bucketKey);
			}
		}
		return touched;
	}
}

type EntityOfIndex<N extends IndexName> = IndexedEntities[(typeof INDEX_DEFINITIONS)[N]['kind']];

function byId(a: { id: string }, b: { id: string }): number {
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
