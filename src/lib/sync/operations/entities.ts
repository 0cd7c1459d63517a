/**
 * Create and edit entities of any collection, parsed by their schema before anything is written.
 */
import type * as Y from 'yjs';
import { parseInput, ScrumOpsError } from '../../domain/errors';
import { ENTITY_LABELS, schemaOf, type Collection, type EntityOf } from '../../domain/schema';
import { entityToYMap, patchEntity } from '../codec';
import { FIELD_KINDS } from '../layout';
import { DEFAULT_SHAPE_LIMITS, describeViolation, entityProblem } from '../shape/contract';
import { readStored, storedMap } from './context';

/** Parses a whole entity and inserts it; call inside a transaction. */
export function insertEntity<C extends Collection>(
	map: Y.Map<Y.Map<unknown>>,
	collection: C,
	input: unknown
): EntityOf<C> {
	const schema = schemaOf(collection);
	const entity = parseInput(schema, input, ENTITY_LABELS[collection]);
	if (!map.has(entity.id)) checkRoom(map, collection);
	checkBounds(collection, entity as Record<string, unknown>);
	map.set(entity.id, entityToYMap(entity as Record<string, unknown>, FIELD_KINDS[collection]));
	return entity;
}

/**
 * Applies a partial edit after checking that the edited entity is still valid. Only the given
 * fields are written, so concurrent edits of other fields survive.
 */
export function updateEntity<C extends Collection>(
	map: Y.Map<Y.Map<unknown>>,
	collection: C,
	id: string,
	patch: Partial<EntityOf<C>>
): EntityOf<C> {
	const current = readStored(map, collection, id);
	const schema = schemaOf(collection);
	const next = parseInput(schema, { ...current, ...patch, id }, ENTITY_LABELS[collection]);
	const written: Record<string, unknown> = {};
	for (const field of Object.keys(patch)) written[field] = (next as Record<string, unknown>)[field];
	checkBounds(collection, { ...written, id });
	patchEntity(storedMap(map, collection, id), written, FIELD_KINDS[collection]);
	return next;
}

/**
 * The bounds the server enforces on every update (shape/contract.ts), checked before writing, so
 * the app never sends an update the server would refuse.
 */
function checkBounds(collection: Collection, entity: Record<string, unknown>): void {
	const problem = entityProblem(
		entity,
		FIELD_KINDS[collection],
		DEFAULT_SHAPE_LIMITS,
		`${collection}/${String(entity.id)}`
	);
	if (problem) {
		throw new ScrumOpsError(
			`This ${ENTITY_LABELS[collection]} cannot be saved: ${describeViolation(problem)}. Shorten it and try again.`
		);
	}
}

/** A collection at its bound takes no new entity. */
function checkRoom(map: Y.Map<Y.Map<unknown>>, collection: Collection): void {
	const max = DEFAULT_SHAPE_LIMITS.maxEntities;
	// `_map` also counts deleted keys: count the live ones only when that bound is reached.
	if (map._map.size < max || map.size < max) return;
	throw new ScrumOpsError(
		`This board already holds ${max} ${ENTITY_LABELS[collection]} entries, the most one board keeps; archive or remove some first.`
	);
}
