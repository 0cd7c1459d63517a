/**
 * Create and edit entities of any collection, parsed by their schema before anything is written.
 */
import type * as Y from 'yjs';
import { parseInput } from '../../domain/errors';
import { ENTITY_LABELS, schemaOf, type Collection, type EntityOf } from '../../domain/schema';
import { entityToYMap, patchEntity } from '../codec';
import { FIELD_KINDS } from '../layout';
import { readStored, storedMap } from './context';

/** Parses a whole entity and inserts it; call inside a transaction. */
export function insertEntity<C extends Collection>(
	map: Y.Map<Y.Map<unknown>>,
	collection: C,
	input: unknown
): EntityOf<C> {
	const schema = schemaOf(collection);
	const entity = parseInput(schema, input, ENTITY_LABELS[collection]);
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
	patchEntity(storedMap(map, collection, id), written, FIELD_KINDS[collection]);
	return next;
}
