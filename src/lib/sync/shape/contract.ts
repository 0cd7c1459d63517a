/**
 * The shape of a board's documents as data: which root keys each document kind has, which Yjs
 * type sits at each level below them (docs/schema.md D1–D3), and how large anything may grow.
 * The relay checks every incoming update against it (check-update.ts), the repair walks stored
 * documents with it (inspect.ts), and the app's operations respect the same limits, so they never
 * write what the server would refuse.
 */
import type { Collection } from '../../domain/schema';
import {
	AUTHORSHIP_KEY,
	BOARD_COLLECTIONS,
	DISMISSED_KEY,
	FIELD_KINDS,
	FINDINGS_KEY,
	INBOX_KEY,
	isTextKind,
	META_KEY,
	RETRO_CARDS_KEY,
	RETRO_KEY,
	RETRO_VOTES_KEY,
	STANDUP_KEY,
	type FieldKind
} from '../layout';

/** A board document, a team's tasks document, or one person's own document (D1). */
export type DocumentKind = 'board' | 'team' | 'person';

/** How large a document and its parts may grow. Every bound is configurable on the server. */
export interface ShapeLimits {
	/** Largest update accepted from a peer, in bytes. */
	maxUpdateBytes: number;
	/** Longest string any field, member or list item may hold. */
	maxTextLength: number;
	/** Most entities one collection may hold. */
	maxEntities: number;
	/** Most members, keys or items one nested field (set, record, list, mapList) may hold. */
	maxItems: number;
}

export const DEFAULT_SHAPE_LIMITS: ShapeLimits = {
	maxUpdateBytes: 2 * 1024 * 1024,
	maxTextLength: 10_000,
	maxEntities: 50_000,
	maxItems: 2_000
};

/** Most fields one entity, mapList entry or the live standup may hold. */
export const MAX_FIELDS = 200;
/** Longest key of a map: an entity id, a field name, a set member or a record key. */
export const MAX_KEY_LENGTH = 256;
/**
 * How deep a plain JSON value may nest: a review inside a record, a role list inside an
 * authorship record. Anything deeper is not a value the contract has.
 */
export const MAX_JSON_DEPTH = 3;

/**
 * What a Yjs type at one place of a document may hold: the contract's levels, from a root key
 * down to the plain values of a mapList entry.
 * - `collection`: a root Y.Map from id to entity Y.Map;
 * - `entity`: an entity's Y.Map (or `meta`), field → plain value or the nested type of its kind;
 * - `set` / `record`: a nested Y.Map, key → plain JSON value;
 * - `list`: a nested Y.Array of plain JSON values;
 * - `mapList`: a nested Y.Array of entry Y.Maps;
 * - `text` / `lines`: a nested Y.Text holding nothing but text (no formatting, embeds or keys);
 * - `values`: a Y.Map of plain JSON values (a mapList entry, the live standup);
 * - `entries`: a Y.Map from id to a Y.Map of plain values (retrospective cards, D19);
 * - `server`: written by the server only (findings, authorship).
 */
export type Slot =
	| { readonly level: 'collection'; readonly path: string; readonly collection: Collection }
	| {
			readonly level: 'entity';
			readonly path: string;
			readonly kinds: Readonly<Record<string, FieldKind>>;
	  }
	| { readonly level: FieldKind | 'values' | 'entries'; readonly path: string }
	| { readonly level: 'server'; readonly path: string };

/**
 * Why an update or a stored part breaks the contract; also the `/metrics` label. `author`: a
 * change to a comment by someone other than its author (server/validation/comment-authors.ts);
 * `speaker`: a status update posted without the role, in another's name, or rewritten
 * (server/validation/status-updates.ts).
 */
export const VIOLATIONS = [
	'update-size',
	'root-key',
	'server-owned',
	'not-allowed',
	'type',
	'depth',
	'content',
	'text-length',
	'key-length',
	'entries',
	'items',
	'author',
	'speaker'
] as const;
export type ViolationCode = (typeof VIOLATIONS)[number];

export interface Violation {
	readonly code: ViolationCode;
	/** Where in the document: `stories/s-1/estimates`; empty for the update as a whole. */
	readonly path: string;
	/** What is wrong, in words, without the path. */
	readonly problem: string;
}

/** The sentence a peer and the logs get: `stories/s-1/estimates: nested deeper than …`. */
export function describeViolation(violation: Violation): string {
	return violation.path === '' ? violation.problem : `${violation.path}: ${violation.problem}`;
}

const COLLECTION_ROOTS: Readonly<Record<DocumentKind, readonly Collection[]>> = {
	board: BOARD_COLLECTIONS,
	team: ['tasks'],
	person: []
};

/** The slot of a root key in a document of `kind`, or null when the contract has no such key. */
export function rootSlot(kind: DocumentKind, key: string): Slot | null {
	if ((COLLECTION_ROOTS[kind] as readonly string[]).includes(key)) {
		return { level: 'collection', path: key, collection: key as Collection };
	}
	if (kind === 'board') {
		if (key === META_KEY) return { level: 'entity', path: key, kinds: FIELD_KINDS.meta };
		if (key === FINDINGS_KEY || key === AUTHORSHIP_KEY) return { level: 'server', path: key };
	} else if (kind === 'team') {
		if (key === STANDUP_KEY || key === RETRO_KEY) return { level: 'values', path: key };
		if (key === RETRO_CARDS_KEY) return { level: 'entries', path: key };
		if (key === RETRO_VOTES_KEY) return { level: 'record', path: key };
	} else if (key === DISMISSED_KEY) {
		return { level: 'record', path: key };
	} else if (key === INBOX_KEY) {
		return { level: 'values', path: key };
	} else if (key === RETRO_CARDS_KEY) {
		return { level: 'entries', path: key };
	}
	return null;
}

/** The root keys a document of `kind` may hold, for messages and the repair. */
export function rootKeys(kind: DocumentKind): readonly string[] {
	if (kind === 'board') return [META_KEY, ...BOARD_COLLECTIONS, FINDINGS_KEY, AUTHORSHIP_KEY];
	return kind === 'team'
		? ['tasks', STANDUP_KEY, RETRO_KEY, RETRO_CARDS_KEY, RETRO_VOTES_KEY]
		: [DISMISSED_KEY, INBOX_KEY, RETRO_CARDS_KEY];
}

/**
 * What a nested Yjs type placed under `key` in `parent` must be, and the slot it opens. A field
 * of the `text` kinds expects a Y.Text, and still takes what contract 1 stored there (`legacy`):
 * a plain string for `text`, a Y.Array of strings (a `list` slot) for `lines`. The server turns
 * those into a Y.Text as soon as they arrive (docs/schema.md, D17).
 */
export type Placement =
	| { readonly expects: 'map' | 'array'; readonly slot: Slot }
	| { readonly expects: 'text'; readonly slot: Slot; readonly legacy: 'string' | Slot }
	| { readonly expects: 'value' }
	| { readonly violation: Violation };

/**
 * The contract for one child of a type in `parent`: under `key` for a Y.Map child, `null` for an
 * item of a Y.Array. Says whether the child is a nested type (and which) or a plain value.
 */
export function placement(parent: Slot, key: string | null): Placement {
	// Most children are plain values: answered without building a path (this runs per struct).
	if (parent.level === 'set' || parent.level === 'record' || parent.level === 'values') {
		if (key !== null && key.length <= MAX_KEY_LENGTH) return VALUE;
	} else if (parent.level === 'list' && key === null) {
		return VALUE;
	} else if (parent.level === 'entity' && key !== null && key.length <= MAX_KEY_LENGTH) {
		if (parent.kinds[key] === undefined) return VALUE;
	}
	const path = key === null ? `${parent.path}[]` : `${parent.path}/${key}`;
	if (parent.level === 'text' || parent.level === 'lines') {
		return violation(
			'content',
			parent.path,
			'a Y.Text here holds plain text only: no keys, formatting, embeds or nested values'
		);
	}
	const isMap = parent.level !== 'list' && parent.level !== 'mapList';
	if (parent.level === 'server') {
		return violation(
			'server-owned',
			key === null ? parent.path : path,
			'written by the server only'
		);
	}
	if (isMap && key === null) {
		return violation('type', parent.path, 'is a Y.Map: items must be stored under a key');
	}
	if (!isMap && key !== null) {
		return violation('type', parent.path, 'is a Y.Array: it has no keys');
	}
	if (key !== null && key.length > MAX_KEY_LENGTH) {
		return violation(
			'key-length',
			parent.path,
			`a key of ${key.length} characters is longer than the ${MAX_KEY_LENGTH} allowed`
		);
	}
	switch (parent.level) {
		case 'collection':
			return {
				expects: 'map',
				slot: { level: 'entity', path, kinds: FIELD_KINDS[parent.collection] }
			};
		case 'entity': {
			const kind = parent.kinds[key!];
			if (kind === undefined) return VALUE;
			if (isTextKind(kind)) {
				return {
					expects: 'text',
					slot: { level: kind, path },
					legacy: kind === 'text' ? 'string' : { level: 'list', path }
				};
			}
			return {
				expects: kind === 'set' || kind === 'record' ? 'map' : 'array',
				slot: { level: kind, path }
			};
		}
		case 'mapList':
		case 'entries':
			return { expects: 'map', slot: { level: 'values', path } };
		default:
			return VALUE;
	}
}

const VALUE: Placement = { expects: 'value' };

function violation(code: ViolationCode, path: string, problem: string): Placement {
	return { violation: { code, path, problem } };
}

/** The problem of a Yjs type where the contract wants a plain value, or the wrong type. */
export function misplacedType(slotPath: string, wanted: Placement, found: string): Violation {
	if ('violation' in wanted) return wanted.violation;
	if (wanted.expects === 'value') {
		return { code: 'depth', path: slotPath, problem: 'nested deeper than the contract allows' };
	}
	const type =
		wanted.expects === 'map' ? 'a Y.Map' : wanted.expects === 'text' ? 'a Y.Text' : 'a Y.Array';
	return { code: 'type', path: slotPath, problem: `must be ${type}, not ${found}` };
}

/**
 * Checks a plain value (what `Y.Map#set` or `Y.Array#push` stores) against the limits, without
 * recursion: strings, key lengths, nesting and element counts. Returns the problem or null.
 */
export function plainValueProblem(
	value: unknown,
	limits: ShapeLimits,
	path: string
): Violation | null {
	// The common case, a primitive, without the walk.
	if (value === null || typeof value !== 'object') {
		if (typeof value !== 'string' || value.length <= limits.maxTextLength) {
			if (typeof value !== 'function' && typeof value !== 'symbol' && typeof value !== 'bigint') {
				return null;
			}
		}
	}
	const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
	while (stack.length > 0) {
		const { value: current, depth } = stack.pop()!;
		if (current === null || current === undefined || typeof current === 'boolean') continue;
		if (typeof current === 'number') continue;
		if (typeof current === 'string') {
			if (current.length > limits.maxTextLength) {
				return {
					code: 'text-length',
					path,
					problem: `a text of ${current.length} characters is longer than the ${limits.maxTextLength} allowed`
				};
			}
			continue;
		}
		if (typeof current !== 'object' || current instanceof Uint8Array) {
			return { code: 'content', path, problem: `a ${typeName(current)} is not a JSON value` };
		}
		if (depth >= MAX_JSON_DEPTH) {
			return { code: 'depth', path, problem: 'nested deeper than the contract allows' };
		}
		const entries = Array.isArray(current)
			? current
			: Object.entries(current as Record<string, unknown>);
		if (entries.length > limits.maxItems) {
			return {
				code: 'items',
				path,
				problem: `a value of ${entries.length} items is larger than the ${limits.maxItems} allowed`
			};
		}
		if (Array.isArray(current)) {
			for (const item of current) stack.push({ value: item, depth: depth + 1 });
		} else {
			for (const [key, item] of entries as [string, unknown][]) {
				if (key.length > MAX_KEY_LENGTH) {
					return {
						code: 'key-length',
						path,
						problem: `a key of ${key.length} characters is longer than the ${MAX_KEY_LENGTH} allowed`
					};
				}
				stack.push({ value: item, depth: depth + 1 });
			}
		}
	}
	return null;
}

function typeName(value: unknown): string {
	if (value instanceof Uint8Array) return 'binary value';
	return typeof value;
}

/** The sentence for a collection or nested field that would grow past its bound. */
export function tooMany(slot: Slot, count: number, limits: ShapeLimits): Violation {
	const capacity = capacityOf(slot, limits);
	switch (slot.level) {
		case 'collection':
			return {
				code: 'entries',
				path: slot.path,
				problem: `${count} entities would exceed the ${capacity} a collection may hold`
			};
		case 'entity':
		case 'values':
			return {
				code: 'items',
				path: slot.path,
				problem: `${count} fields would exceed the ${capacity} one entry may hold`
			};
		case 'text':
		case 'lines':
			return {
				code: 'text-length',
				path: slot.path,
				problem: `a text of ${count} characters is longer than the ${capacity} allowed`
			};
		default:
			return {
				code: 'items',
				path: slot.path,
				problem: `${count} items would exceed the ${capacity} a field may hold`
			};
	}
}

/** The most entries a type in `slot` may hold, or null for no bound of its own. */
export function capacityOf(slot: Slot, limits: ShapeLimits): number | null {
	switch (slot.level) {
		case 'collection':
			return limits.maxEntities;
		case 'server':
			return null;
		case 'entity':
		case 'values':
			return MAX_FIELDS;
		case 'text':
		case 'lines':
			return limits.maxTextLength;
		default:
			return limits.maxItems;
	}
}

/**
 * What in a plain entity (as the app is about to write it) the relay would refuse: a text or a
 * value too large, or a nested field with too many items. Null when it fits the bounds.
 */
export function entityProblem(
	entity: Readonly<Record<string, unknown>>,
	kinds: Readonly<Record<string, FieldKind>>,
	limits: ShapeLimits,
	path: string
): Violation | null {
	for (const [field, value] of Object.entries(entity)) {
		const at = `${path}/${field}`;
		const kind = kinds[field];
		if (kind === undefined || value === null || typeof value !== 'object') {
			const problem = plainValueProblem(value, limits, at);
			if (problem) return problem;
			continue;
		}
		if (kind === 'lines' && Array.isArray(value)) {
			const problem = plainValueProblem(value.join('\n'), limits, at);
			if (problem) return problem;
			continue;
		}
		const items = Array.isArray(value) ? value : Object.values(value);
		if (items.length > limits.maxItems) {
			return {
				code: 'items',
				path: at,
				problem: `${items.length} items would exceed the ${limits.maxItems} a field may hold`
			};
		}
		for (const item of items) {
			const problem = plainValueProblem(item, limits, at);
			if (problem) return problem;
		}
	}
	return null;
}
