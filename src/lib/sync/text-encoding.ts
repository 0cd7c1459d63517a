/**
 * Contract 2 stores free text as Y.Text (the `text` and `lines` field kinds of layout.ts);
 * contract 1 stored it as a plain string, and acceptance criteria as a Y.Array of strings. This
 * turns the second into the first, in place, once: the server runs it on every board it loads and
 * on whatever a client of contract 1 writes (docs/schema.md, D17). Running it twice changes
 * nothing, and fields already stored as Y.Text are never touched, so nobody's typing is replaced.
 */
import * as Y from 'yjs';
import { linesOf } from './codec';
import {
	BOARD_COLLECTIONS,
	FIELD_KINDS,
	isTextKind,
	META_KEY,
	SCHEMA_VERSION,
	type FieldKind
} from './layout';
import { DEFAULT_SHAPE_LIMITS, type ShapeLimits } from './shape/contract';

type Kinds = Readonly<Record<string, FieldKind>>;

/** Collections of the board document that have fields of a text kind. */
const TEXT_COLLECTIONS = BOARD_COLLECTIONS.filter((name) =>
	Object.values(FIELD_KINDS[name]).some(isTextKind)
);

/** The fields of `entity` still stored the contract 1 way: a string, or a Y.Array of lines. */
export function legacyTextFields(entity: Y.Map<unknown>, kinds: Kinds): string[] {
	const fields: string[] = [];
	for (const field in kinds) {
		const kind = kinds[field];
		if (!isTextKind(kind)) continue;
		const value = entity.get(field);
		if (typeof value === 'string' || (kind === 'lines' && value instanceof Y.Array)) {
			fields.push(field);
		}
	}
	return fields;
}

/**
 * Replaces each named legacy field of `entity` by a Y.Text with the same reading, cut to the
 * length bound (at a line's end for `lines`). Call inside a transaction. Returns how many changed.
 */
export function convertTextFields(
	entity: Y.Map<unknown>,
	kinds: Kinds,
	fields: readonly string[],
	limits: ShapeLimits = DEFAULT_SHAPE_LIMITS
): number {
	let converted = 0;
	for (const field of fields) {
		const kind = kinds[field];
		const value = entity.get(field);
		let text: string;
		if (kind === 'text' && typeof value === 'string') {
			text = value.slice(0, limits.maxTextLength);
		} else if (kind === 'lines' && (value instanceof Y.Array || typeof value === 'string')) {
			const items =
				typeof value === 'string'
					? linesOf(value)
					: value.toArray().filter((item): item is string => typeof item === 'string');
			text = withinBound(items, limits.maxTextLength);
		} else {
			continue;
		}
		entity.set(field, new Y.Text(text));
		converted++;
	}
	return converted;
}

/** The lines joined, keeping only whole lines that fit in `max` characters. */
function withinBound(lines: readonly string[], max: number): string {
	let text = '';
	for (const line of lines) {
		const next = text === '' ? line.trim() : `${text}\n${line.trim()}`;
		if (next.length > max) break;
		text = next;
	}
	return text;
}

/**
 * Converts every legacy text field of a board document and records the contract version in
 * `meta`. Call inside a transaction. Returns how many fields changed (0: nothing to do).
 */
export function migrateBoardText(doc: Y.Doc, limits: ShapeLimits = DEFAULT_SHAPE_LIMITS): number {
	let converted = 0;
	const meta = doc.getMap(META_KEY);
	if (meta.size > 0) {
		converted += convertTextFields(
			meta,
			FIELD_KINDS.meta,
			legacyTextFields(meta, FIELD_KINDS.meta),
			limits
		);
		if (recordVersion(meta)) converted++;
	}
	for (const name of TEXT_COLLECTIONS) {
		const kinds = FIELD_KINDS[name];
		doc.getMap(name).forEach((entity) => {
			if (!(entity instanceof Y.Map)) return;
			const fields = legacyTextFields(entity, kinds);
			if (fields.length > 0) converted += convertTextFields(entity, kinds, fields, limits);
		});
	}
	return converted;
}

/**
 * Raises a `meta.schemaVersion` of an earlier contract to this one's; true when it changed. A
 * `meta` without one is left so (it is read all the same, D10).
 */
export function recordVersion(meta: Y.Map<unknown>): boolean {
	const version = meta.get('schemaVersion');
	if (typeof version !== 'number' || version >= SCHEMA_VERSION) return false;
	meta.set('schemaVersion', SCHEMA_VERSION);
	return true;
}

/** The collection (or `meta`) whose entities `type` is the parent of, in a board document. */
export function textKindsOf(doc: Y.Doc, parent: unknown): Kinds | null {
	if (parent === doc.share.get(META_KEY)) return FIELD_KINDS.meta;
	for (const name of TEXT_COLLECTIONS) {
		if (doc.share.get(name) === parent) return FIELD_KINDS[name];
	}
	return null;
}
