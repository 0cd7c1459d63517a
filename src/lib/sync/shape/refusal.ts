/**
 * Refusing an update without breaking Yjs causality. A peer's later changes build on the clocks
 * of the refused one, so dropping it would leave all of them pending forever. Instead the refused
 * update enters as tombstones: every struct keeps its id and position but holds deleted content,
 * so nothing of its shape is stored or relayed, and what it deleted is written back by the server.
 * Applied in one transaction, the result reaches every peer, the sender included, whose own copy
 * then drops the refused content and gets back what it removed: everyone converges.
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { DecodedUpdate } from './check-update';

type DeleteSet = DecodedUpdate['ds'];
type AnyType = Y.AbstractType<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The contract's deepest nesting below a value restored by the server (entity → field → entry). */
const MAX_RESTORED_DEPTH = 4;

/** Applies `decoded` as tombstones and restores what it deleted, as one transaction of `origin`. */
export function applyRefused(doc: Y.Doc, decoded: DecodedUpdate, origin: unknown): void {
	const restores = captureRestores(doc, decoded.ds);
	const tombstones = encodeTombstones(doc, decoded);
	Y.transact(
		doc,
		(transaction) => {
			Y.applyUpdate(doc, tombstones, origin);
			// Applying an update marks the transaction remote; what follows is the server's own
			// writing, and Yjs takes a remote change of its own client id for an id collision.
			transaction.local = true;
			restores.mapEntries.forEach((restore) => restore());
			restoreArrayItems(doc, restores.arrayItems);
		},
		origin
	);
}

/**
 * The update with every item's content replaced by deleted content of the same length. Items
 * nested in a tombstone are garbage-collected by Yjs when they integrate. Deletions of clocks
 * neither the document nor the update holds are dropped: applied later, they would delete other
 * peers' changes the moment those arrive.
 */
export function encodeTombstones(doc: Y.Doc, decoded: DecodedUpdate): Uint8Array {
	const encoder = new Y.UpdateEncoderV1();
	const byClient = new Map<number, (Y.Item | Y.GC | Y.Skip)[]>();
	for (const struct of decoded.structs) {
		let list = byClient.get(struct.id.client);
		if (!list) byClient.set(struct.id.client, (list = []));
		list.push(struct);
	}
	encoding.writeVarUint(encoder.restEncoder, byClient.size);
	const reach = new Map<number, number>();
	for (const [client, structs] of byClient) {
		encoding.writeVarUint(encoder.restEncoder, structs.length);
		encoder.writeClient(client);
		encoding.writeVarUint(encoder.restEncoder, structs[0]!.id.clock);
		for (const struct of structs) {
			if (struct instanceof Y.Item) struct.content = new Y.ContentDeleted(struct.length);
			struct.write(encoder, 0);
		}
		const last = structs[structs.length - 1]!;
		reach.set(client, last.id.clock + last.length);
	}
	const clients: [number, { clock: number; len: number }[]][] = [];
	for (const [client, ranges] of decoded.ds.clients) {
		const limit = Math.max(Y.getState(doc.store, client), reach.get(client) ?? 0);
		const kept = ranges
			.filter((range) => range.clock < limit)
			.map((range) => ({ clock: range.clock, len: Math.min(range.len, limit - range.clock) }));
		if (kept.length > 0) clients.push([client, kept]);
	}
	encoding.writeVarUint(encoder.restEncoder, clients.length);
	for (const [client, ranges] of clients) {
		encoder.resetDsCurVal();
		encoding.writeVarUint(encoder.restEncoder, client);
		encoding.writeVarUint(encoder.restEncoder, ranges.length);
		for (const range of ranges) {
			encoder.writeDsClock(range.clock);
			encoder.writeDsLen(range.len);
		}
	}
	return encoder.toUint8Array();
}

interface ArrayRestore {
	/** The first deleted clock of the piece; after the deletion an item starts there. */
	id: Y.ID;
	values: unknown[];
}

interface Restores {
	mapEntries: (() => void)[];
	arrayItems: ArrayRestore[];
}

/**
 * What the refused update's deletions would remove from the live document, captured before they
 * apply (a deleted type's content is gone afterwards): each top-most deleted value, copied.
 */
function captureRestores(doc: Y.Doc, ds: DeleteSet): Restores {
	const restores: Restores = { mapEntries: [], arrayItems: [] };
	for (const [client, ranges] of ds.clients) {
		const structs = doc.store.clients.get(client);
		if (!structs) continue;
		const known = Y.getState(doc.store, client);
		for (const { clock, len } of ranges) {
			if (clock >= known) continue;
			const end = clock + len;
			for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
				const item = structs[i]!;
				if (item.id.clock >= end) break;
				if (!(item instanceof Y.Item) || item.deleted) continue;
				if (deletedWithAncestor(item, ds)) continue;
				const from = Math.max(clock, item.id.clock) - item.id.clock;
				const to = Math.min(end, item.id.clock + item.length) - item.id.clock;
				const values = copyContent(item.content, from, to);
				if (values === null) continue;
				const parent = item.parent as Y.AbstractType<unknown>;
				if (item.parentSub !== null) {
					const key = item.parentSub;
					const map = parent as Y.Map<unknown>;
					restores.mapEntries.push(() => {
						if (map._item?.deleted) return;
						const current = map._map.get(key);
						if (!current || current.deleted) map.set(key, values[0]);
					});
				} else {
					restores.arrayItems.push({ id: Y.createID(client, item.id.clock + from), values });
				}
			}
		}
	}
	return restores;
}

/** Writes deleted array items back where they were, rightmost first so indexes stay true. */
function restoreArrayItems(doc: Y.Doc, pieces: readonly ArrayRestore[]): void {
	const placed = pieces.map((piece) => {
		const item = Y.getItem(doc.store, piece.id);
		let index = 0;
		for (let left = item.left; left !== null; left = left.left) {
			if (!left.deleted && left.countable) index += left.length;
		}
		return { array: item.parent as Y.Array<unknown> | Y.Text, index, values: piece.values };
	});
	placed.sort((a, b) => b.index - a.index);
	for (const { array, index, values } of placed) {
		if (array._item?.deleted) continue;
		if (array instanceof Y.Text) array.insert(index, values.join(''));
		else array.insert(index, values);
	}
}

function deletedWithAncestor(item: Y.Item, ds: DeleteSet): boolean {
	for (let type = item.parent as Y.AbstractType<unknown>; type._item !== null;) {
		const parent = type._item;
		if (parent.deleted || Y.isDeleted(ds, parent.id)) return true;
		type = parent.parent as Y.AbstractType<unknown>;
	}
	return false;
}

/**
 * Copies of the values an item holds from offset `from` to `to`, or null for content the
 * contract does not have (nothing to restore) or nested deeper than it allows.
 */
function copyContent(content: Y.Item['content'], from: number, to: number): unknown[] | null {
	if (content instanceof Y.ContentAny) return content.arr.slice(from, to);
	// Characters of a text field (D17) someone was not allowed to delete.
	if (content instanceof Y.ContentString) return [content.str.slice(from, to)];
	if (content instanceof Y.ContentType) {
		const type = content.type;
		if (type instanceof Y.Text) return [type.clone()];
		if (!(type instanceof Y.Map || type instanceof Y.Array)) return null;
		if (depthExceeds(type, MAX_RESTORED_DEPTH)) return null;
		return [type.clone()];
	}
	return null;
}

/** Whether nested types go deeper than `limit` below `type`, found without recursion. */
function depthExceeds(type: AnyType, limit: number): boolean {
	const stack: { type: AnyType; depth: number }[] = [{ type, depth: 0 }];
	while (stack.length > 0) {
		const { type: current, depth } = stack.pop()!;
		const children: Y.Item[] = [];
		current._map.forEach((item) => children.push(item));
		for (let item = current._start; item !== null; item = item.right) children.push(item);
		for (const child of children) {
			if (child.deleted || !(child.content instanceof Y.ContentType)) continue;
			if (depth + 1 > limit) return true;
			stack.push({ type: child.content.type, depth: depth + 1 });
		}
	}
	return false;
}
