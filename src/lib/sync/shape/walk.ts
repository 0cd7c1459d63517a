/**
 * One step of reading a stored document against its contract: each child of a Yjs type, judged
 * against the slot it sits in (contract.ts). Nothing here descends on its own: a caller that wants
 * the next level pushes it onto its own stack, so a structure nested thousands of levels deep
 * costs one judgement, never one stack frame per level. Readers (codec.ts) and the repair
 * (inspect.ts) judge with the same function, so they cannot disagree on what breaks the contract.
 */
import * as Y from 'yjs';
import {
	misplacedType,
	placement,
	plainValueProblem,
	type Placement,
	type ShapeLimits,
	type Slot,
	type Violation
} from './contract';

/** Any Yjs type, whatever its events. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the event type is irrelevant here
export type YType = Y.AbstractType<any>;

export type Judgement =
	| { readonly kind: 'value' }
	| { readonly kind: 'type'; readonly slot: Slot }
	| { readonly kind: 'violation'; readonly violation: Violation };

const PLAIN: Judgement = { kind: 'value' };

/**
 * Where a problem with a child of `parent` is reported: the field that holds it. Below an entity
 * (or a map of plain values) that is the child's own path, `stories/s-1/title`; inside a nested
 * field it is the field, `stories/s-1/estimates`, whatever key or item of it is at fault.
 */
export function problemPath(parent: Slot, key: string | null): string {
	switch (parent.level) {
		case 'collection':
		case 'entity':
		case 'values':
		case 'entries':
		case 'server':
			return key === null ? parent.path : `${parent.path}/${key}`;
		default:
			return parent.path;
	}
}

/**
 * What the contract says of `value`, stored under `key` (null: an item of a list) in `parent`.
 * `wanted` is `placement(parent, key)`; a reader of many alike entities may pass it cached.
 */
export function judge(
	parent: Slot,
	key: string | null,
	value: unknown,
	limits: ShapeLimits,
	wanted: Placement = placement(parent, key)
): Judgement {
	if ('violation' in wanted) return { kind: 'violation', violation: wanted.violation };
	if (wanted.expects === 'value' && isSimpleValue(value, limits)) return PLAIN;
	if (wanted.expects === 'text') return judgeText(parent, key, value, limits, wanted);
	if (value instanceof Y.AbstractType) {
		const fits =
			(wanted.expects === 'map' && value instanceof Y.Map) ||
			(wanted.expects === 'array' && value instanceof Y.Array);
		if (fits && 'slot' in wanted) return { kind: 'type', slot: wanted.slot };
		return {
			kind: 'violation',
			violation: misplacedType(problemPath(parent, key), wanted, describeValue(value))
		};
	}
	if (wanted.expects !== 'value') {
		return {
			kind: 'violation',
			violation: misplacedType(problemPath(parent, key), wanted, describeValue(value))
		};
	}
	const problem = plainProblem(value, limits, problemPath(parent, key));
	return problem === null ? PLAIN : { kind: 'violation', violation: problem };
}

/**
 * A field of the `text` kinds: a Y.Text, or what contract 1 stored there (a string for `text`,
 * a Y.Array of strings for `lines`), which readers still accept.
 */
function judgeText(
	parent: Slot,
	key: string | null,
	value: unknown,
	limits: ShapeLimits,
	wanted: Extract<Placement, { expects: 'text' }>
): Judgement {
	if (value instanceof Y.Text) return { kind: 'type', slot: wanted.slot };
	if (wanted.legacy === 'string') {
		if (typeof value === 'string') {
			const problem = plainProblem(value, limits, problemPath(parent, key));
			return problem === null ? PLAIN : { kind: 'violation', violation: problem };
		}
	} else if (value instanceof Y.Array) {
		return { kind: 'type', slot: wanted.legacy };
	}
	return {
		kind: 'violation',
		violation: misplacedType(problemPath(parent, key), wanted, describeValue(value))
	};
}

/**
 * The problem of a value stored where a plain JSON value belongs, or null. Most values are short
 * strings, numbers, booleans or null, which are settled here without allocating.
 */
export function plainProblem(value: unknown, limits: ShapeLimits, path: string): Violation | null {
	if (isSimpleValue(value, limits)) return null;
	// A sub-document (Y.Doc) or any other instance is not JSON, whatever its fields.
	if (
		typeof value === 'object' &&
		value !== null &&
		!Array.isArray(value) &&
		!(value instanceof Uint8Array) &&
		!isPlainObject(value)
	) {
		return { code: 'content', path, problem: `${describeValue(value)} is not a JSON value` };
	}
	return plainValueProblem(value, limits, path);
}

/** A number, a boolean, null or a string within the limit: what nearly every field holds. */
function isSimpleValue(value: unknown, limits: ShapeLimits): boolean {
	switch (typeof value) {
		case 'number':
		case 'boolean':
			return true;
		case 'string':
			return value.length <= limits.maxTextLength;
		default:
			return value === null;
	}
}

function isPlainObject(value: object): boolean {
	const prototype: unknown = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}

/** How a found value is named in a problem: `a Y.Map`, `a JSON array`, `a string`… */
export function describeValue(value: unknown): string {
	if (value instanceof Y.Map) return 'a Y.Map';
	if (value instanceof Y.Array) return 'a Y.Array';
	if (value instanceof Y.Text) return 'a Y.Text';
	if (value instanceof Y.XmlElement) return 'a Y.XmlElement';
	if (value instanceof Y.XmlFragment) return 'a Y.XmlFragment';
	if (value instanceof Y.AbstractType) return 'a Yjs type';
	if (value instanceof Y.Doc) return 'a Yjs document';
	if (value instanceof Uint8Array) return 'binary data';
	if (value === null) return 'null';
	if (value === undefined) return 'nothing';
	if (Array.isArray(value)) return 'a JSON array';
	if (typeof value === 'object') return isPlainObject(value) ? 'a JSON object' : 'an object';
	return `a ${typeof value}`;
}

/** One live child of a Yjs type: a map entry (`key`) or one value of a list item (`key` null). */
export interface Child {
	readonly key: string | null;
	readonly value: unknown;
	/** The struct holding it; a list item may hold several values, `offset` says which. */
	readonly item: Y.Item;
	readonly offset: number;
}

/**
 * Every live child of `type`: its map entries, then its list values. A type has both only when
 * someone wrote a list into a map or keys into a list; the contract refuses either (placement).
 */
export function childrenOf(type: YType): Child[] {
	const children: Child[] = [];
	for (const [key, item] of type._map) {
		if (item.deleted) continue;
		const content = item.content.getContent();
		children.push({ key, value: content[content.length - 1], item, offset: content.length - 1 });
	}
	for (let item = type._start; item !== null; item = item.right) {
		if (item.deleted || !item.countable) continue;
		const content = item.content.getContent();
		for (let offset = 0; offset < content.length; offset++) {
			children.push({ key: null, value: content[offset], item, offset });
		}
	}
	return children;
}

/** Whether `type` holds anything live (a root key a document never wrote holds nothing). */
export function holdsContent(type: YType): boolean {
	for (const item of type._map.values()) if (!item.deleted) return true;
	for (let item = type._start; item !== null; item = item.right) if (!item.deleted) return true;
	return false;
}
