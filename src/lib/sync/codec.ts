/**
 * Reading and writing one entity as a Y.Map, following the field kinds of layout.ts. Reading
 * yields an unchecked plain object; the projection parses it with the entity's schema.
 */
import * as Y from 'yjs';
import type { FieldKind } from './layout';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type FieldKinds = Readonly<Record<string, FieldKind>>;

/** A stored entity whose nested fields do not have the types docs/schema.md (D3) prescribes. */
export class EncodingError extends Error {
	override readonly name = 'EncodingError';
}

/**
 * A plain object from an entity's Y.Map: sets become sorted arrays of their members. Throws an
 * EncodingError when a nested field is not the Yjs type its kind requires: writers merge into
 * those types, so accepting plain JSON there would lose data at the next edit.
 */
export function readEntity(map: Y.Map<unknown>, kinds: FieldKinds): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	// forEach walks the map's items directly; entries() goes through a generator per field, which
	// is most of the cost when a board of 10,000 stories is read at once.
	map.forEach((value, field) => {
		const kind = kinds[field];
		out[field] = kind === undefined ? value : readField(field, value, kind);
	});
	// Nested collections may be absent in documents written by hand: read them as empty.
	for (const field in kinds) {
		if (!(field in out)) out[field] = kinds[field] === 'record' ? {} : [];
	}
	return out;
}

function readField(field: string, value: unknown, kind: FieldKind): unknown {
	const isMap = kind === 'set' || kind === 'record';
	if (!(value instanceof (isMap ? Y.Map : Y.Array))) {
		throw new EncodingError(
			`field "${field}" must be a nested ${isMap ? 'Y.Map' : 'Y.Array'} (${kind})`
		);
	}
	switch (kind) {
		case 'set': {
			const members: string[] = [];
			(value as Y.Map<unknown>).forEach((_, member) => members.push(member));
			return members.sort();
		}
		case 'record':
		case 'list':
			return value.toJSON();
		case 'mapList':
			return (value as Y.Array<unknown>).map((entry, i) => {
				if (!(entry instanceof Y.Map)) {
					throw new EncodingError(`entry ${i} of "${field}" must be a Y.Map`);
				}
				return entry.toJSON();
			});
	}
}

/** A new Y.Map holding `entity`; integrate it by setting it into a collection. */
export function entityToYMap(entity: Record<string, unknown>, kinds: FieldKinds): Y.Map<unknown> {
	const map = new Y.Map<unknown>();
	writeFields(map, entity, kinds);
	return map;
}

/** Writes every field of `entity` into `map`, replacing what was there. */
export function writeFields(
	map: Y.Map<unknown>,
	entity: Record<string, unknown>,
	kinds: FieldKinds
): void {
	for (const [field, value] of Object.entries(entity)) {
		if (value === undefined) continue;
		const kind = kinds[field];
		map.set(field, kind === undefined ? value : newField(value, kind));
	}
}

/** Adds or removes one member of a `set` field, creating the set if it is missing. */
export function setMembership(
	map: Y.Map<unknown>,
	field: string,
	member: string,
	present: boolean,
	value: unknown = true
): void {
	let set = map.get(field);
	if (!(set instanceof Y.Map)) {
		set = new Y.Map<unknown>();
		map.set(field, set);
	}
	const members = set as Y.Map<unknown>;
	if (present) members.set(member, value);
	else members.delete(member);
}

function newField(value: unknown, kind: FieldKind): Y.Map<unknown> | Y.Array<unknown> {
	switch (kind) {
		case 'set': {
			const set = new Y.Map<unknown>();
			for (const member of value as string[]) set.set(member, true);
			return set;
		}
		case 'record': {
			const record = new Y.Map<unknown>();
			for (const [key, v] of Object.entries(value as Record<string, Json>)) record.set(key, v);
			return record;
		}
		case 'list': {
			const list = new Y.Array<unknown>();
			list.push(value as Json[]);
			return list;
		}
		case 'mapList': {
			const list = new Y.Array<Y.Map<unknown>>();
			list.push((value as Record<string, Json>[]).map((entry) => entityToYMap(entry, {})));
			return list as Y.Array<unknown>;
		}
	}
}

/**
 * Applies a partial change to an integrated entity. Sets and records are diffed member by member,
 * so an edit only touches what changed and concurrent edits to other members survive.
 */
export function patchEntity(
	map: Y.Map<unknown>,
	patch: Record<string, unknown>,
	kinds: FieldKinds
): void {
	for (const [field, value] of Object.entries(patch)) {
		if (value === undefined) continue;
		const kind = kinds[field];
		const current = map.get(field);
		if (kind === 'set' && current instanceof Y.Map) {
			const members = new Set(value as string[]);
			for (const key of [...current.keys()]) if (!members.has(key)) current.delete(key);
			for (const member of members) if (!current.has(member)) current.set(member, true);
		} else if (kind === 'record' && current instanceof Y.Map) {
			const next = value as Record<string, Json>;
			for (const key of [...current.keys()]) if (!(key in next)) current.delete(key);
			for (const [key, v] of Object.entries(next)) {
				if (!jsonEqual(current.get(key), v)) current.set(key, v);
			}
		} else if (kind === undefined) {
			if (!jsonEqual(current, value)) map.set(field, value);
		} else {
			map.set(field, newField(value, kind));
		}
	}
}

function jsonEqual(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	return JSON.stringify(a) === JSON.stringify(b);
}
