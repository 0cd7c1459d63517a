/**
 * Free text people write together (docs/schema.md, D17): where a field's Y.Text is, how a local
 * edit of an input becomes the smallest change to it, how a remote change moves a local caret,
 * and carets as Yjs relative positions, which stay on the same character whatever others type
 * before it. The DOM side is in client/shared-text-input.ts.
 */
import * as Y from 'yjs';
import type { BoardDocs } from './board-docs';
import { FIELD_KINDS, isTextKind, META_KEY, type BoardCollection, type FieldKind } from './layout';
import { transact, type OpContext } from './operations/context';

/** One text field of the board document: the settings' vision, a story's "I want"… */
export interface TextAddress {
	readonly collection: typeof META_KEY | BoardCollection;
	/** The entity's id; ignored for `meta`. */
	readonly id: string;
	readonly field: string;
}

/** How a text field is named in presence: `stories/s-1/iWant`, `meta/board/vision`. */
export function textKey(address: TextAddress): string {
	return `${address.collection}/${address.collection === META_KEY ? 'board' : address.id}/${address.field}`;
}

function kindsOf(address: TextAddress): Readonly<Record<string, FieldKind>> {
	return FIELD_KINDS[address.collection];
}

function entityOf(docs: BoardDocs, address: TextAddress): Y.Map<unknown> | null {
	if (address.collection === META_KEY) return docs.meta();
	const entity = docs.collection(address.collection).get(address.id);
	return entity instanceof Y.Map ? entity : null;
}

/** The field's Y.Text, or null while it has none (absent, or still a contract 1 string). */
export function sharedTextOf(docs: BoardDocs, address: TextAddress): Y.Text | null {
	const value = entityOf(docs, address)?.get(address.field);
	return value instanceof Y.Text ? value : null;
}

/** What the field reads now, as its input shows it (all lines, blank ones included). */
export function currentText(docs: BoardDocs, address: TextAddress): string {
	const value = entityOf(docs, address)?.get(address.field);
	if (value instanceof Y.Text) return value.toString();
	if (typeof value === 'string') return value;
	if (value instanceof Y.Array) return value.toArray().join('\n');
	return '';
}

/** Calls `onChange` whenever the field's text (or the Y.Text holding it) changes. */
export function watchText(
	docs: BoardDocs,
	address: TextAddress,
	onChange: (change: { text: string; delta: TextDelta | null; local: boolean }) => void
): () => void {
	let text: Y.Text | null = null;
	const onText = (event: Y.YTextEvent, tr: Y.Transaction) => {
		onChange({
			text: event.target.toString(),
			delta: event.delta as TextDelta,
			local: isLocal(tr.origin)
		});
	};
	const attach = () => {
		const next = sharedTextOf(docs, address);
		if (next === text) return false;
		text?.unobserve(onText);
		text = next;
		text?.observe(onText);
		return true;
	};
	// The entity may arrive later, and its field may be replaced (a contract 1 string converted).
	const collection = address.collection === META_KEY ? null : docs.collection(address.collection);
	const onEntity = (event: Y.YMapEvent<unknown>, tr: Y.Transaction) => {
		if (!event.keysChanged.has(address.field)) return;
		attach();
		onChange({ text: currentText(docs, address), delta: null, local: isLocal(tr.origin) });
	};
	let entity: Y.Map<unknown> | null = null;
	const attachEntity = () => {
		const next = entityOf(docs, address);
		if (next === entity) return;
		entity?.unobserve(onEntity);
		entity = next;
		entity?.observe(onEntity);
	};
	const onCollection = (event: Y.YMapEvent<Y.Map<unknown>>) => {
		if (!event.keysChanged.has(address.id)) return;
		attachEntity();
		attach();
		onChange({ text: currentText(docs, address), delta: null, local: false });
	};
	collection?.observe(onCollection);
	attachEntity();
	attach();
	return () => {
		collection?.unobserve(onCollection);
		entity?.unobserve(onEntity);
		text?.unobserve(onText);
	};
}

function isLocal(origin: unknown): boolean {
	return (
		typeof origin === 'object' && origin !== null && (origin as { kind?: unknown }).kind === 'local'
	);
}

/** A Y.Text change as Yjs reports it: retain, insert or delete, in order. */
export type TextDelta = readonly { retain?: number; insert?: unknown; delete?: number }[];

/**
 * Where an index of the text before `delta` is after it. Text inserted exactly at the index goes
 * after it (a caret stays before what another person types right where it is).
 */
export function shiftIndex(index: number, delta: TextDelta): number {
	let at = 0;
	let shift = 0;
	for (const op of delta) {
		if (at > index) break;
		if (op.retain !== undefined) {
			at += op.retain;
		} else if (op.insert !== undefined) {
			if (at < index) shift += typeof op.insert === 'string' ? op.insert.length : 1;
		} else if (op.delete !== undefined) {
			shift -= Math.max(0, Math.min(op.delete, index - at));
			at += op.delete;
		}
	}
	return index + shift;
}

/**
 * The edit that turns `before` into `after`, which the person made with the caret ending at
 * `caret` (typing, deleting, pasting all leave it at the end of the change): where it starts, how
 * much it removes and what it inserts. Without the caret, typing `a` into `aa` could be taken as
 * an insert at either end, and the wrong one would land elsewhere in others' copies.
 */
export function editBetween(
	before: string,
	after: string,
	caret: number
): { index: number; remove: number; insert: string } {
	const limit = Math.min(before.length, after.length);
	let end = 0;
	const maxEnd = Math.min(limit, after.length - Math.min(caret, after.length));
	while (
		end < maxEnd &&
		before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)
	) {
		end++;
	}
	let start = 0;
	while (start < limit - end && before.charCodeAt(start) === after.charCodeAt(start)) start++;
	if (start > 0 && isHigh(after.charCodeAt(start - 1))) start--;
	return {
		index: start,
		remove: before.length - start - end,
		insert: after.slice(start, after.length - end)
	};
}

function isHigh(code: number): boolean {
	return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Writes what the person typed: the field read `before` and reads `after` now, with the caret at
 * `caret`. Only that span of the Y.Text changes, so others' concurrent typing elsewhere in the
 * field survives. A field without a Y.Text yet (a contract 1 string) gets one holding `after`.
 */
export function typeText(
	docs: BoardDocs,
	ctx: OpContext,
	address: TextAddress,
	before: string,
	after: string,
	caret: number
): void {
	const entity = entityOf(docs, address);
	if (entity === null) return;
	const kind = kindsOf(address)[address.field];
	if (!isTextKind(kind)) throw new Error(`${textKey(address)} is not a text field`);
	transact(docs.board, ctx, 'typeText', () => {
		const text = sharedTextOf(docs, address);
		if (text === null) {
			entity.set(address.field, new Y.Text(after));
			return;
		}
		// If others' typing arrived since the input last read the field, diff against what is here.
		const current = text.toString();
		const edit = editBetween(current === before ? before : current, after, caret);
		if (edit.remove > 0) text.delete(edit.index, edit.remove);
		if (edit.insert !== '') text.insert(edit.index, edit.insert);
	});
}

/** A caret or selection as relative positions, for presence (JSON, as awareness sends it). */
export interface SharedSelection {
	readonly field: string;
	readonly anchor: unknown;
	readonly head: unknown;
}

/** This person's selection in the field, as relative positions; null without a Y.Text. */
export function selectionOf(
	docs: BoardDocs,
	address: TextAddress,
	anchor: number,
	head: number
): SharedSelection | null {
	const text = sharedTextOf(docs, address);
	if (text === null) return null;
	return {
		field: textKey(address),
		anchor: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, anchor)),
		head: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, head))
	};
}

/** Where another person's selection is in the field now, or null if it is elsewhere. */
export function resolveSelection(
	docs: BoardDocs,
	address: TextAddress,
	selection: SharedSelection
): { from: number; to: number; headAtEnd: boolean } | null {
	const text = sharedTextOf(docs, address);
	if (text === null || selection.field !== textKey(address)) return null;
	const at = (json: unknown) => {
		try {
			const position = Y.createAbsolutePositionFromRelativePosition(
				Y.createRelativePositionFromJSON(json),
				docs.board
			);
			return position && position.type === text ? position.index : null;
		} catch {
			return null;
		}
	};
	const anchor = at(selection.anchor);
	const head = at(selection.head);
	if (anchor === null || head === null) return null;
	return { from: Math.min(anchor, head), to: Math.max(anchor, head), headAtEnd: head >= anchor };
}
