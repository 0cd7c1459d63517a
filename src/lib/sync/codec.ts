/**
 * Reading and writing one entity as a Y.Map, following the field kinds of layout.ts. Reading
 * yields an unchecked plain object; the projection parses it with the entity's schema.
 */
import * as Y from 'yjs';
import { isTextKind, type FieldKind } from './layout';
import {
	capacityOf,
	DEFAULT_SHAPE_LIMITS,
	describeViolation,
	placement,
	tooMany,
	type Placement,
	type ShapeLimits,
	type Slot,
	type Violation
} from './shape/contract';
import { judge, type YType } from './shape/walk';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type FieldKinds = Readonly<Record<string, FieldKind>>;

/**
 * A stored entity that breaks the document contract (docs/schema.md, D3): a nested field of the
 * wrong Yjs type, a Yjs type where a plain value belongs, a value nested too deep, a text or a
 * field too large. The message names the field, relative to the entity.
 */
export class EncodingError extends Error {
	override readonly name = 'EncodingError';
	constructor(readonly violation: Violation) {
		super(describeViolation({ ...violation, path: violation.path.replace(/^\//, '') }));
	}
}

/**
 * A plain object from an entity's Y.Map: sets become sorted arrays of their members. Reads level
 * by level, never more levels than the contract has, and checks every value on the way against
 * the shared limits (shape/contract.ts), so whatever another client stored, reading one entity
 * costs a bounded amount and never recurses. Throws an EncodingError for the first part that
 * breaks the contract: writers merge into the nested types, so accepting plain JSON there would
 * lose data at the next edit, and anything larger or deeper is not a value the board has.
 */
export function readEntity(
	map: Y.Map<unknown>,
	kinds: FieldKinds,
	limits: ShapeLimits = DEFAULT_SHAPE_LIMITS
): Record<string, unknown> {
	// Paths start at the entity, so messages name the field: `estimates: nested deeper…`.
	const entity = entitySlot(kinds);
	checkCapacity(map, entity, limits);
	const out: Record<string, unknown> = {};
	// forEach walks the map's items directly; entries() goes through a generator per field, which
	// is most of the cost when a board of 10,000 stories is read at once.
	map.forEach((value, field) => {
		const judged = judge(entity, field, value, limits, fieldPlacement(entity, field));
		if (judged.kind === 'violation') throw new EncodingError(judged.violation);
		define(
			out,
			field,
			judged.kind === 'value' ? value : readNested(value as YType, judged.slot, limits)
		);
	});
	// Nested collections may be absent in documents written by hand: read them as empty.
	for (const field in kinds) {
		if (!Object.hasOwn(out, field)) out[field] = emptyValue(kinds[field]!);
	}
	return out;
}

/*
 * Every entity of a collection is judged against the same slot, field by field: the slot and the
 * placements of its fields are kept per field kinds, with paths relative to the entity (so the
 * same for all of them). Only the first fields seen are kept, so odd field names cannot grow it.
 */
const entitySlots = new WeakMap<FieldKinds, Slot>();
const fieldPlacements = new WeakMap<Slot, Map<string, Placement>>();
const MAX_CACHED_FIELDS = 256;

function entitySlot(kinds: FieldKinds): Slot {
	let slot = entitySlots.get(kinds);
	if (!slot) entitySlots.set(kinds, (slot = { level: 'entity', path: '', kinds }));
	return slot;
}

function fieldPlacement(entity: Slot, field: string): Placement {
	let cached = fieldPlacements.get(entity);
	if (!cached) fieldPlacements.set(entity, (cached = new Map()));
	let found = cached.get(field);
	if (!found) {
		found = placement(entity, field);
		if (cached.size < MAX_CACHED_FIELDS) cached.set(field, found);
	}
	return found;
}

/** Sets `out[key]`, keeping a key named `__proto__` an own property instead of the prototype. */
function define(out: Record<string, unknown>, key: string, value: unknown): void {
	if (key === '__proto__') {
		Object.defineProperty(out, key, {
			value,
			enumerable: true,
			writable: true,
			configurable: true
		});
	} else {
		out[key] = value;
	}
}

/**
 * A map of plain values (the live standup) as a plain object, checked like an entity's fields.
 * Throws an EncodingError for a Yjs type or an oversized value in it.
 */
export function readValues(
	map: Y.Map<unknown>,
	limits: ShapeLimits = DEFAULT_SHAPE_LIMITS
): Record<string, unknown> {
	return readPlainMap(map, { level: 'values', path: '' }, limits);
}

/** What an absent nested field reads as. */
function emptyValue(kind: FieldKind): unknown {
	switch (kind) {
		case 'record':
			return {};
		case 'text':
			return '';
		default:
			return [];
	}
}

/** A nested field (set, record, list, mapList or text) as a plain value. */
function readNested(type: YType, slot: Slot, limits: ShapeLimits): unknown {
	checkCapacity(type, slot, limits);
	switch (slot.level) {
		case 'text':
			return (type as Y.Text).toString();
		case 'lines':
			return linesOf((type as Y.Text).toString());
		case 'set': {
			const members: string[] = [];
			(type as Y.Map<unknown>).forEach((value, member) => {
				plainOnly(slot, member, value, limits);
				members.push(member);
			});
			return members.sort();
		}
		case 'record':
			return readPlainMap(type as Y.Map<unknown>, slot, limits);
		case 'list': {
			const items: unknown[] = [];
			(type as Y.Array<unknown>).forEach((value) => {
				plainOnly(slot, null, value, limits);
				items.push(value);
			});
			return items;
		}
		case 'mapList': {
			const entries: Record<string, unknown>[] = [];
			(type as Y.Array<unknown>).forEach((value) => {
				const judged = judge(slot, null, value, limits);
				if (judged.kind === 'violation') throw new EncodingError(judged.violation);
				if (judged.kind !== 'type') throw unexpected(slot);
				entries.push(readPlainMap(value as Y.Map<unknown>, judged.slot, limits));
			});
			return entries;
		}
		default:
			throw unexpected(slot);
	}
}

function readPlainMap(
	map: Y.Map<unknown>,
	slot: Slot,
	limits: ShapeLimits
): Record<string, unknown> {
	checkCapacity(map, slot, limits);
	const out: Record<string, unknown> = {};
	map.forEach((value, key) => {
		plainOnly(slot, key, value, limits);
		define(out, key, value);
	});
	return out;
}

/** Throws unless `value` is a plain value within the limits where the contract wants one. */
function plainOnly(slot: Slot, key: string | null, value: unknown, limits: ShapeLimits): void {
	const judged = judge(slot, key, value, limits);
	if (judged.kind === 'violation') throw new EncodingError(judged.violation);
	if (judged.kind !== 'value') throw unexpected(slot);
}

/** Refuses a map or list holding more entries than its slot may, before reading any of them. */
function checkCapacity(type: YType, slot: Slot, limits: ShapeLimits): void {
	const capacity = capacityOf(slot, limits);
	if (capacity === null) return;
	const count = type instanceof Y.Array ? type.length : liveEntries(type, capacity);
	if (count > capacity) throw new EncodingError(tooMany(slot, count, limits));
}

/** Live entries of a map, counted only when its raw size could exceed `capacity`. */
function liveEntries(type: YType, capacity: number): number {
	if (type._map.size <= capacity) return type._map.size;
	let count = 0;
	for (const item of type._map.values()) if (!item.deleted) count++;
	return count;
}

function unexpected(slot: Slot): EncodingError {
	return new EncodingError({
		code: 'type',
		path: slot.path,
		problem: `has a shape (${slot.level}) this reader does not know`
	});
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

/** The criteria of a `lines` field: its non-blank lines, trimmed. */
export function linesOf(text: string): string[] {
	const lines: string[] = [];
	for (const line of text.split('\n')) {
		const trimmed = line.trim();
		if (trimmed !== '') lines.push(trimmed);
	}
	return lines;
}

/** The text a field of a text kind holds for `value`, its plain reading. */
export function textOfValue(value: unknown, kind: 'text' | 'lines'): string {
	return kind === 'lines' ? (value as string[]).join('\n') : (value as string);
}

function newField(value: unknown, kind: FieldKind): Y.Map<unknown> | Y.Array<unknown> | Y.Text {
	switch (kind) {
		case 'text':
		case 'lines':
			return new Y.Text(textOfValue(value, kind));
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
		} else if (isTextKind(kind) && current instanceof Y.Text) {
			const next = textOfValue(value, kind);
			if (kind === 'lines' && jsonEqual(linesOf(current.toString()), value)) continue;
			replaceText(current, next);
		} else if (kind === undefined) {
			if (!jsonEqual(current, value)) map.set(field, value);
		} else {
			map.set(field, newField(value, kind));
		}
	}
}

/**
 * Makes `text` read `next` by deleting and inserting only the part between their common prefix
 * and suffix: a whole value written into a Y.Text touches as little as it can, so what others
 * typed elsewhere in the field at the same time survives.
 */
export function replaceText(text: Y.Text, next: string): void {
	const current = text.toString();
	if (current === next) return;
	let start = 0;
	const shorter = Math.min(current.length, next.length);
	while (start < shorter && current.charCodeAt(start) === next.charCodeAt(start)) start++;
	let end = 0;
	while (
		end < shorter - start &&
		current.charCodeAt(current.length - 1 - end) === next.charCodeAt(next.length - 1 - end)
	) {
		end++;
	}
	// Never split a surrogate pair: an emoji is replaced whole or left whole.
	if (start > 0 && isHighSurrogate(current.charCodeAt(start - 1))) start--;
	if (end > 0 && isLowSurrogate(current.charCodeAt(current.length - end))) end--;
	const removed = current.length - start - end;
	if (removed > 0) text.delete(start, removed);
	const inserted = next.slice(start, next.length - end);
	if (inserted !== '') text.insert(start, inserted);
}

function isHighSurrogate(code: number): boolean {
	return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
	return code >= 0xdc00 && code <= 0xdfff;
}

function jsonEqual(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	return JSON.stringify(a) === JSON.stringify(b);
}
