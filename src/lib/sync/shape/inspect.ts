/**
 * Stored documents against the contract: `inspectDocument` lists every part of a whole document
 * that breaks it (contract.ts), `repairDocument` removes exactly those parts. Boards stored before
 * the relay checked updates may hold anything a client could write; this is how they are found
 * and cleaned. Both walk with an explicit stack and never descend into a part that breaks the
 * contract, so a structure nested thousands of levels deep costs one entry, not one stack frame
 * per level.
 */
import * as Y from 'yjs';
import { AUTHORSHIP_KEY, FINDINGS_FIELDS, FINDINGS_KEY, type TransactionOrigin } from '../layout';
import {
	capacityOf,
	DEFAULT_SHAPE_LIMITS,
	MAX_KEY_LENGTH,
	rootSlot,
	tooMany,
	type DocumentKind,
	type ShapeLimits,
	type Slot,
	type Violation
} from './contract';
import {
	childrenOf,
	describeValue,
	holdsContent,
	judge,
	plainProblem,
	problemPath,
	type Child,
	type YType
} from './walk';

/**
 * Yjs deletes a nested type by deleting its children first, recursively, and garbage-collects it
 * the same way at the end of the transaction. Deep structures are therefore removed from the
 * bottom up, at most this many levels per transaction, so neither recursion goes deeper.
 */
export const LEVELS_PER_TRANSACTION = 200;
/** Most nested types one repair transaction deletes, so a wide structure is removed in steps too. */
export const TYPES_PER_TRANSACTION = 5_000;

/** One struct to remove: a whole item, or one value of a list item holding several. */
interface Part {
	readonly item: Y.Item;
	readonly offset: number | null;
}

interface Problem {
	readonly violation: Violation;
	readonly parts: readonly Part[];
}

/**
 * Every part of `doc`, a document of `kind`, that breaks the contract, sorted by path: root keys
 * the kind does not have (D2), anything but the server's keys under `findings`, authorship records
 * that are not plain objects, entities that are not Y.Maps, nested fields of the wrong Yjs type,
 * Yjs types where plain values belong, values nested too deep, texts and keys too long, and
 * collections or fields holding more than the limits allow.
 */
export function inspectDocument(
	doc: Y.Doc,
	kind: DocumentKind,
	limits: ShapeLimits = DEFAULT_SHAPE_LIMITS
): Violation[] {
	return findProblems(doc, kind, limits).map((problem) => problem.violation);
}

/**
 * Removes every part `inspectDocument` lists, and returns what it removed. Removes the offending
 * entry, field, key or item, not the entity around it: an entity whose only fault was one field
 * comes back once the field is gone (or stays rejected by its schema, saying what is missing).
 * Runs as transactions labelled `origin` (D11, kind `server-repair`): nested structures are
 * deleted bottom-up in slices (LEVELS_PER_TRANSACTION), the parts themselves in a last one.
 */
export function repairDocument(
	doc: Y.Doc,
	kind: DocumentKind,
	limits: ShapeLimits,
	origin: TransactionOrigin
): Violation[] {
	const steps = repairSteps(doc, kind, limits, origin);
	for (;;) {
		const step = steps.next();
		if (step.done) return step.value;
	}
}

/**
 * `repairDocument` one transaction at a time: yields after each, and returns what it removed.
 * A server resumes it only once the last transaction reached every peer, so each peer applies
 * the slices one by one, as Yjs needs them to be (a peer that applies every slice in one go
 * deletes the structure top-down, recursing once per level).
 */
export function* repairSteps(
	doc: Y.Doc,
	kind: DocumentKind,
	limits: ShapeLimits,
	origin: TransactionOrigin
): Generator<void, Violation[], void> {
	const problems = findProblems(doc, kind, limits);
	const parts = problems.flatMap((problem) => problem.parts);
	for (const part of parts) {
		const nested = nestedTypesBelow(part.item);
		for (let next = 0; next < nested.length;) {
			next = removeSlice(doc, nested, next, origin);
			yield;
		}
	}
	if (parts.length > 0) doc.transact((tr) => removeParts(tr, parts), origin);
	return problems.map((problem) => problem.violation);
}

function findProblems(doc: Y.Doc, kind: DocumentKind, limits: ShapeLimits): Problem[] {
	const problems: Problem[] = [];
	const pending: { type: YType; slot: Slot }[] = [];
	for (const key of [...doc.share.keys()].sort()) {
		const root = doc.share.get(key)!;
		const slot = rootSlot(kind, key);
		if (slot === null) {
			if (holdsContent(root)) {
				problems.push({
					violation: { code: 'root-key', path: key, problem: `is not part of a ${kind} document` },
					parts: wholeItems(root)
				});
			}
			continue;
		}
		const map = rootMap(doc, key);
		if (map === null) {
			problems.push({
				violation: {
					code: 'type',
					path: key,
					problem: `must be a Y.Map, not ${describeValue(root)}`
				},
				parts: wholeItems(root)
			});
		} else if (key === FINDINGS_KEY) {
			inspectFindings(map, slot, limits, problems);
		} else if (key === AUTHORSHIP_KEY) {
			inspectAuthorship(map, slot, limits, problems);
		} else {
			pending.push({ type: map, slot });
		}
	}
	while (pending.length > 0) {
		const { type, slot } = pending.pop()!;
		if (slot.level === 'text' || slot.level === 'lines') {
			inspectText(type, slot, limits, problems);
			continue;
		}
		let children = childrenOf(type);
		const capacity = capacityOf(slot, limits);
		if (capacity !== null && children.length > capacity) {
			// The oldest entries stay (map entries in the order they were first written, list items
			// in order); what came past the bound goes.
			problems.push({
				violation: tooMany(slot, children.length, limits),
				parts: children.slice(capacity).map(partOf)
			});
			children = children.slice(0, capacity);
		}
		for (const child of children) {
			const judged = judge(slot, child.key, child.value, limits);
			if (judged.kind === 'violation') {
				problems.push({ violation: judged.violation, parts: [partOf(child)] });
			} else if (judged.kind === 'type') {
				pending.push({ type: child.value as YType, slot: judged.slot });
			}
		}
	}
	// Stable: parts of one path keep the order they were found in.
	return problems.sort((a, b) =>
		a.violation.path < b.violation.path ? -1 : a.violation.path > b.violation.path ? 1 : 0
	);
}

/**
 * A Y.Text holds text and nothing else: keys (attributes), embeds or nested values are removed,
 * and so is text past the length bound (the end of it, the part written last in reading order).
 */
function inspectText(type: YType, slot: Slot, limits: ShapeLimits, problems: Problem[]): void {
	for (const item of type._map.values()) {
		if (item.deleted) continue;
		problems.push({
			violation: {
				code: 'content',
				path: slot.path,
				problem: 'a Y.Text here holds plain text only: no keys, formatting, embeds or nested values'
			},
			parts: [{ item, offset: null }]
		});
	}
	let length = 0;
	const tooLong: Part[] = [];
	for (let item = type._start; item !== null; item = item.right) {
		if (item.deleted || !item.countable) continue;
		if (!(item.content instanceof Y.ContentString)) {
			problems.push({
				violation: {
					code: 'content',
					path: slot.path,
					problem: `a Y.Text here holds plain text only, not ${item.content.constructor.name}`
				},
				parts: [{ item, offset: null }]
			});
			continue;
		}
		length += item.length;
		if (length > limits.maxTextLength) tooLong.push({ item, offset: null });
	}
	if (tooLong.length > 0) {
		problems.push({ violation: tooMany(slot, length, limits), parts: tooLong });
	}
}

/** The root `key` as a Y.Map, or null when this document has it as another type. */
function rootMap(doc: Y.Doc, key: string): Y.Map<unknown> | null {
	try {
		// A root only read from updates is a plain AbstractType until someone names its type.
		return doc.getMap(key);
	} catch {
		return null;
	}
}

/** `findings` holds what the server publishes there, and nothing else (D2). */
function inspectFindings(map: YType, slot: Slot, limits: ShapeLimits, problems: Problem[]): void {
	const { list, updatedAt } = FINDINGS_FIELDS;
	for (const child of childrenOf(map)) {
		const path = problemPath(slot, child.key);
		let violation: Violation | null;
		if (child.key === list || child.key === updatedAt) {
			violation =
				child.value instanceof Y.AbstractType
					? {
							code: 'type',
							path,
							problem: `must be plain JSON written by the server, not ${describeValue(child.value)}`
						}
					: // The list grows with the board; the server rewrites it whenever findings change.
						child.key === updatedAt
						? plainProblem(child.value, limits, path)
						: null;
		} else {
			violation = {
				code: 'server-owned',
				path,
				problem: `the server writes only "${list}" and "${updatedAt}" here`
			};
		}
		if (violation) problems.push({ violation, parts: [partOf(child)] });
	}
}

/** `authorship` maps keys to plain JSON objects written by the server (D12). */
function inspectAuthorship(map: YType, slot: Slot, limits: ShapeLimits, problems: Problem[]): void {
	for (const child of childrenOf(map)) {
		const violation = authorshipProblem(slot, child, limits);
		if (violation) problems.push({ violation, parts: [partOf(child)] });
	}
}

function authorshipProblem(slot: Slot, child: Child, limits: ShapeLimits): Violation | null {
	if (child.key === null) {
		return {
			code: 'type',
			path: slot.path,
			problem: 'is a Y.Map: items must be stored under a key'
		};
	}
	if (child.key.length > MAX_KEY_LENGTH) {
		return {
			code: 'key-length',
			path: slot.path,
			problem: `a key of ${child.key.length} characters is longer than the ${MAX_KEY_LENGTH} allowed`
		};
	}
	const path = problemPath(slot, child.key);
	const { value } = child;
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return {
			code: 'content',
			path,
			problem: `must be a plain JSON object, not ${describeValue(value)}`
		};
	}
	if (value instanceof Y.AbstractType) {
		return {
			code: 'type',
			path,
			problem: `must be a plain JSON object, not ${describeValue(value)}`
		};
	}
	return plainProblem(value, limits, path);
}

function partOf(child: Child): Part {
	return { item: child.item, offset: child.item.length > 1 ? child.offset : null };
}

/** Every live item of `type`: what removing a root key that should hold nothing means. */
function wholeItems(type: YType): Part[] {
	const parts: Part[] = [];
	for (const item of type._map.values()) if (!item.deleted) parts.push({ item, offset: null });
	for (let item = type._start; item !== null; item = item.right) {
		if (!item.deleted) parts.push({ item, offset: null });
	}
	return parts;
}

/**
 * Deletes `nested[next…]` in one transaction, deepest first, spanning at most
 * LEVELS_PER_TRANSACTION levels and TYPES_PER_TRANSACTION types; returns where the next slice
 * starts. Each type is deleted after all the types it holds, so Yjs's delete never recurses, and
 * its garbage collection at the end of the transaction descends at most the levels deleted in it.
 */
function removeSlice(
	doc: Y.Doc,
	nested: readonly { item: Y.Item; depth: number }[],
	next: number,
	origin: TransactionOrigin
): number {
	const deepest = nested[next]!.depth;
	doc.transact((tr) => {
		for (
			let deleted = 0;
			next < nested.length &&
			deepest - nested[next]!.depth < LEVELS_PER_TRANSACTION &&
			deleted < TYPES_PER_TRANSACTION;
			deleted++
		) {
			const { item } = nested[next++]!;
			if (!item.deleted) item.delete(tr);
		}
	}, origin);
	return next;
}

/** Live items holding a Yjs type below `item`, with their depth below it, deepest first. */
function nestedTypesBelow(item: Y.Item): { item: Y.Item; depth: number }[] {
	const found: { item: Y.Item; depth: number }[] = [];
	if (!(item.content instanceof Y.ContentType)) return found;
	const stack: { type: YType; depth: number }[] = [{ type: item.content.type, depth: 1 }];
	while (stack.length > 0) {
		const { type, depth } = stack.pop()!;
		for (const { item: child } of wholeItems(type)) {
			if (!(child.content instanceof Y.ContentType)) continue;
			found.push({ item: child, depth });
			stack.push({ type: child.content.type, depth: depth + 1 });
		}
	}
	return found.sort((a, b) => b.depth - a.depth);
}

/**
 * Deletes the parts themselves (whatever they held is gone already). In a Y.Array, parts are
 * deleted from the last to the first, by positions taken before any deletion, so no deletion
 * moves a part still to come; a single value of a list item holding several goes by its index.
 */
function removeParts(tr: Y.Transaction, parts: readonly Part[]): void {
	const inLists: { part: Part; list: Y.Array<unknown>; index: number }[] = [];
	const positions = new Map<YType, Map<Y.Item, number>>();
	const positional = (part: Part) =>
		part.item.parent instanceof Y.Array && part.item.parentSub === null;
	for (const part of parts) {
		if (!positional(part)) continue;
		const list = part.item.parent as Y.Array<unknown>;
		let starts = positions.get(list);
		if (!starts) positions.set(list, (starts = listPositions(list)));
		const start = starts.get(part.item);
		if (start !== undefined) inLists.push({ part, list, index: start + (part.offset ?? 0) });
	}
	for (const part of parts) {
		if (!positional(part) && !part.item.deleted) part.item.delete(tr);
	}
	inLists.sort((a, b) => b.index - a.index);
	for (const { part, list, index } of inLists) {
		if (part.offset !== null) list.delete(index, 1);
		else if (!part.item.deleted) part.item.delete(tr);
	}
}

/** The index of the first value of every live item of `list`. */
function listPositions(list: Y.Array<unknown>): Map<Y.Item, number> {
	const starts = new Map<Y.Item, number>();
	let index = 0;
	for (let item = list._start; item !== null; item = item.right) {
		if (item.deleted || !item.countable) continue;
		starts.set(item, index);
		index += item.length;
	}
	return starts;
}
