/**
 * Keeps a plain, schema-checked BoardState in step with a board's documents and feeds every change
 * to an incremental validator. Only the entities a transaction touched are read again, so a
 * keystroke costs a few entity reads, not a board read.
 */
import { AbstractType, Map as YMap } from 'yjs';
import type * as Y from 'yjs';
import type { z } from 'zod';
import { GuardedChange, keyOfChange } from '../domain/authorship';
import { Board, schemaOf, type Collection } from '../domain/schema';
import { emptyBoardState, type BoardState, type PlacedTask } from '../domain/state';
import { IncrementalValidator } from '../domain/validation/engine';
import type { IndexedKind } from '../domain/validation/board-index';
import type { Finding } from '../domain/findings';
import type { BoardDocs } from './board-docs';
import { EncodingError, readEntity, type FieldKinds } from './codec';
import { DEFAULT_SHAPE_LIMITS } from './shape/contract';
import { describeValue, plainProblem } from './shape/walk';
import {
	AUTHORSHIP_KEY,
	BOARD_COLLECTIONS,
	FIELD_KINDS,
	SCHEMA_VERSION,
	type BoardCollection
} from './layout';

/** Collections the rules read, with the validator kind of their entities. */
const VALIDATED: Partial<Record<Collection, IndexedKind>> = {
	people: 'person',
	teams: 'team',
	stories: 'story',
	sprints: 'sprint',
	workPackages: 'workPackage',
	tasks: 'task',
	incidentReviews: 'incidentReview',
	doneCriteria: 'doneCriterion',
	doneChecklists: 'doneChecklist'
};

/**
 * One entity a transaction touched; read its new value (or its absence) from the state. For the
 * `authorship` map, `id` is the authorship key of a role-guarded change (`state.roleChanges`).
 */
export interface EntityChange {
	collection: Collection | 'meta' | typeof AUTHORSHIP_KEY;
	id: string;
}

type MutableState = { -readonly [K in keyof BoardState]: BoardState[K] } & {
	[C in Collection]: Map<string, BoardState[C] extends ReadonlyMap<string, infer V> ? V : never>;
} & { roleChanges: Map<string, GuardedChange> };

export class BoardProjection {
	readonly #docs: BoardDocs;
	readonly #state: MutableState;
	readonly #validator: IncrementalValidator;
	/** `collection/id` → why the stored entity was rejected by its schema. */
	readonly #rejected = new Map<string, string>();
	/**
	 * Task id → its copies by the team document holding them, for ids that more than one team's
	 * document holds; the state shows one of them (see `chooseCopy`).
	 */
	readonly #taskCopies = new Map<string, Map<string, PlacedTask>>();
	readonly #listeners = new Set<(changes: readonly EntityChange[]) => void>();
	readonly #teardown: (() => void)[] = [];

	constructor(docs: BoardDocs, options: { now: number }) {
		this.#docs = docs;
		this.#validator = new IncrementalValidator(options.now);
		this.#state = emptyBoardState() as MutableState;
		this.#observeBoard();
		this.#teardown.push(docs.onTeamDoc((teamId, doc) => this.#observeTeam(teamId, doc)));
		docs.openTeamDocs();
	}

	/** The current state. Its maps are live: copy what you keep. */
	get state(): BoardState {
		return this.#state;
	}

	/**
	 * Entities the schema refused, as `collection/id` → reason; refused role-guarded changes are
	 * listed as `authorship/<authorship key>`.
	 */
	get rejected(): ReadonlyMap<string, string> {
		return this.#rejected;
	}

	findings(): readonly Finding[] {
		return this.#validator.findings();
	}

	/** Moves the validation instant (SLA clocks, R9). */
	setNow(now: number): void {
		this.#validator.setNow(now);
	}

	/** Calls `listener` after each transaction with the entities it changed. */
	subscribe(listener: (changes: readonly EntityChange[]) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	destroy(): void {
		for (const teardown of this.#teardown.splice(0)) teardown();
		this.#listeners.clear();
	}

	#observeBoard(): void {
		const meta = this.#docs.meta();
		const onMeta = () => this.#emit([this.#readMeta()]);
		meta.observeDeep(onMeta);
		this.#teardown.push(() => meta.unobserveDeep(onMeta));
		this.#readMeta();
		for (const name of BOARD_COLLECTIONS) {
			const map = this.#docs.collection(name);
			this.#observeCollection(name, map, null);
		}
		// A new team brings a new tasks document.
		const teams = this.#docs.collection('teams');
		const onTeams = () => this.#docs.openTeamDocs();
		teams.observe(onTeams);
		this.#teardown.push(() => teams.unobserve(onTeams));
		this.#observeAuthorship();
	}

	/** Role-guarded changes are plain JSON values, so a shallow observer sees every rewrite. */
	#observeAuthorship(): void {
		const map = this.#docs.authorship();
		const onEvent = (event: Y.YMapEvent<unknown>) =>
			this.#emit([...event.keysChanged].map((key) => this.#readRoleChange(map, key)));
		map.observe(onEvent);
		this.#teardown.push(() => map.unobserve(onEvent));
		for (const key of map.keys()) this.#readRoleChange(map, key);
	}

	#observeTeam(teamId: string, doc: Y.Doc): void {
		this.#observeCollection('tasks', doc.getMap('tasks'), teamId);
	}

	#observeCollection(
		name: BoardCollection | 'tasks',
		map: Y.Map<Y.Map<unknown>>,
		homeTeamId: string | null
	): void {
		const onEvents = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
			const ids = new Set<string>();
			for (const event of events) {
				if (event.target === map) for (const key of event.changes.keys.keys()) ids.add(key);
				else if (typeof event.path[0] === 'string') ids.add(event.path[0]);
			}
			const changes = [...ids].map((id) => this.#readEntity(name, map, id, homeTeamId));
			this.#emit(changes);
		};
		map.observeDeep(onEvents);
		this.#teardown.push(() => map.unobserveDeep(onEvents));
		for (const id of map.keys()) this.#readEntity(name, map, id, homeTeamId);
	}

	#readMeta(): EntityChange {
		const meta = this.#docs.meta();
		let board: Board | null = null;
		let problem: string | null = null;
		if (meta.size > 0) {
			const result = parseStored(meta, Board, FIELD_KINDS.meta);
			const version = meta.get('schemaVersion');
			if ('problem' in result) problem = result.problem;
			else if (result.entity.id !== this.#docs.boardId) {
				problem = `meta.id is "${result.entity.id}" but this is board "${this.#docs.boardId}"`;
			} else if (typeof version === 'number' && version > SCHEMA_VERSION) {
				problem = `written with schemaVersion ${version}; this app reads up to ${SCHEMA_VERSION}: update it`;
			} else board = result.entity;
		}
		this.#noteRejection('meta', 'board', problem);
		this.#state.board = board;
		this.#validator.setBoard(board);
		return { collection: 'meta', id: 'board' };
	}

	#readEntity(
		name: Collection,
		map: Y.Map<Y.Map<unknown>>,
		id: string,
		homeTeamId: string | null
	): EntityChange {
		const table = this.#state[name] as Map<string, unknown>;
		const kind = VALIDATED[name];
		const stored: unknown = map.get(id);
		let entity: Record<string, unknown> | undefined;
		let problem: string | null = null;
		if (stored !== undefined) {
			const result = parseStored(
				stored,
				schemaOf(name) as z.ZodType<{ id: string }>,
				FIELD_KINDS[name]
			);
			if ('problem' in result) problem = result.problem;
			else if (result.entity.id !== id) {
				// The key is the identity: an id field that disagrees would let one entity pose as another.
				problem = `stored under key "${id}" but its id is "${result.entity.id}"`;
			} else entity = result.entity;
		}
		this.#noteRejection(name, id, problem);
		if (homeTeamId !== null) {
			// The parsed object is ours: tag it in place rather than copying every task.
			if (entity) (entity as Partial<PlacedTask>).homeTeamId = homeTeamId;
			entity = this.#placeTask(id, homeTeamId, entity as PlacedTask | undefined) as
				Record<string, unknown> | undefined;
		}
		if (entity) {
			table.set(id, entity);
			if (kind) this.#validator.put(kind, entity as never);
		} else if (table.delete(id) && kind) {
			this.#validator.remove(kind, id);
		}
		return { collection: name, id };
	}

	/**
	 * Records the copy of task `id` in `homeTeamId`'s document (undefined: none there) and returns
	 * the copy the state shows. Without this, a team writing an entry under another team's task
	 * id would replace that task for everyone, and removing the entry would hide it. Copies are
	 * tracked only for ids held by more than one document, so a board's tasks cost nothing extra.
	 */
	#placeTask(id: string, homeTeamId: string, copy: PlacedTask | undefined): PlacedTask | undefined {
		let copies = this.#taskCopies.get(id);
		if (!copies) {
			const shown = this.#state.tasks.get(id) as PlacedTask | undefined;
			if (!shown || shown.homeTeamId === homeTeamId) return copy;
			if (!copy) return shown;
			this.#taskCopies.set(id, (copies = new Map([[shown.homeTeamId, shown]])));
		}
		if (copy) copies.set(homeTeamId, copy);
		else copies.delete(homeTeamId);
		this.#noteRejection('tasks', `${id}@${homeTeamId}`, null);
		const shown = chooseCopy(copies.values());
		if (copies.size === 1) this.#taskCopies.delete(id);
		for (const [teamId, other] of copies) {
			if (other === shown) continue;
			this.#noteRejection(
				'tasks',
				`${id}@${teamId}`,
				`reuses the id of a task in team "${shown.homeTeamId}"'s document, which is the one shown`
			);
		}
		return shown;
	}

	#readRoleChange(map: Y.Map<unknown>, key: string): EntityChange {
		const stored = map.get(key);
		let change: GuardedChange | undefined;
		let problem: string | null = null;
		if (stored !== undefined) {
			const result = parseRoleChange(stored);
			if ('problem' in result) problem = result.problem;
			else {
				const expected = keyOfChange(result.change);
				// As for entities, the key is the identity: a record must not speak for another field.
				if (expected !== key) problem = `stored under key "${key}" but describes "${expected}"`;
				else change = result.change;
			}
		}
		this.#noteRejection(AUTHORSHIP_KEY, key, problem);
		if (change) {
			this.#state.roleChanges.set(key, change);
			this.#validator.putRoleChange(key, change);
		} else if (this.#state.roleChanges.delete(key)) {
			this.#validator.removeRoleChange(key);
		}
		return { collection: AUTHORSHIP_KEY, id: key };
	}

	#noteRejection(collection: string, id: string, reason: string | null): void {
		const key = `${collection}/${id}`;
		if (reason === null) this.#rejected.delete(key);
		else this.#rejected.set(key, reason);
	}

	#emit(changes: readonly EntityChange[]): void {
		for (const listener of this.#listeners) listener(changes);
	}
}

/**
 * Of several copies of one task id, the one every replica shows, whatever order it read them in:
 * a copy in its owning team's document first, then the lowest team id.
 */
function chooseCopy(copies: Iterable<PlacedTask>): PlacedTask {
	let best: PlacedTask | undefined;
	for (const copy of copies) {
		if (!best) best = copy;
		else {
			const owned = copy.owningTeamId === copy.homeTeamId;
			const bestOwned = best.owningTeamId === best.homeTeamId;
			if (owned !== bestOwned ? owned : copy.homeTeamId < best.homeTeamId) best = copy;
		}
	}
	return best!;
}

/**
 * Reads and parses one stored entity, or says in a sentence why it cannot be used. Whatever the
 * document holds, this returns: the codec reads level by level within the contract's limits, and
 * any other failure while reading one entity becomes its rejection, never the board's.
 */
function parseStored<T extends { id: string }>(
	stored: unknown,
	schema: z.ZodType<T>,
	kinds: FieldKinds
): { entity: T } | { problem: string } {
	if (!(stored instanceof YMap))
		return { problem: `must be a Y.Map, not ${describeValue(stored)}` };
	try {
		const parsed = schema.safeParse(readEntity(stored, kinds));
		return parsed.success ? { entity: parsed.data } : { problem: parsed.error.message };
	} catch (error) {
		return { problem: unreadable(error) };
	}
}

/** Parses one stored role-guarded change, or says in a sentence why it cannot be used. */
function parseRoleChange(stored: unknown): { change: GuardedChange } | { problem: string } {
	if (stored instanceof AbstractType) {
		return { problem: 'a role-guarded change must be a plain JSON object, not a Yjs type' };
	}
	try {
		const oversized = plainProblem(stored, DEFAULT_SHAPE_LIMITS, '');
		if (oversized) return { problem: oversized.problem };
		const parsed = GuardedChange.safeParse(stored);
		return parsed.success ? { change: parsed.data } : { problem: parsed.error.message };
	} catch (error) {
		return { problem: unreadable(error) };
	}
}

/** The reason an entity could not be read at all. */
function unreadable(error: unknown): string {
	if (error instanceof EncodingError) return error.message;
	const message = error instanceof Error ? error.message : String(error);
	return `could not be read (${message}); the board's admin can remove it with Repair board`;
}
