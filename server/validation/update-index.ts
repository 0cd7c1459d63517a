/**
 * An update the shape check accepted, read as the places it writes and removes: which entity of
 * which collection, and which field path inside it. The write-boundary rules that look at who
 * changes what (comment authors, status updates) are written on top of it.
 *
 * Every struct an update refers to is either in the update or already in the document (the
 * shape check made sure), so parents and keys are found by following references, in the update
 * first, then in the document.
 */
import * as Y from 'yjs';
import type { DecodedUpdate } from '../../src/lib/sync/shape/check-update';

/** The contract nests at most this deep below a collection (entity, field, entry, value). */
const MAX_CLIMB = 8;

export type Struct = DecodedUpdate['structs'][number];

/** Where an item sits: under a root by name, in a stored type, or in a new type of the update. */
export type Parent =
	| { kind: 'root'; name: string }
	| { kind: 'stored'; type: Y.AbstractType<unknown> }
	| { kind: 'new'; item: Y.Item };

/**
 * A place inside one entity of a collection: its id, and the keys from the entity down to what
 * is written (`[]`: the entity itself; `['statusUpdates', null, 'personId']`: a field of an
 * entry of a mapList, `null` standing for an array position).
 */
export interface EntityPlace {
	id: string;
	path: (string | null)[];
}

/** The update's structs, for following references inside it. */
export class UpdateIndex {
	readonly #doc: Y.Doc;
	readonly #decoded: DecodedUpdate;
	readonly #own = new Map<number, Struct[]>();

	constructor(doc: Y.Doc, decoded: DecodedUpdate) {
		this.#doc = doc;
		this.#decoded = decoded;
		for (const struct of decoded.structs) {
			let list = this.#own.get(struct.id.client);
			if (!list) this.#own.set(struct.id.client, (list = []));
			list.push(struct);
		}
	}

	/** Whether the document already holds the struct (a duplicate delivery). */
	integrated(struct: Struct): boolean {
		return struct.id.clock + struct.length <= Y.getState(this.#doc.store, struct.id.client);
	}

	/** The parent of an item, following its neighbours when it does not name one. */
	parentOf(start: Y.Item): Parent | null {
		let item = start;
		for (let hops = 0; hops < 10_000; hops++) {
			const parent = item.parent;
			if (typeof parent === 'string') return { kind: 'root', name: parent };
			if (parent instanceof Y.AbstractType) return { kind: 'stored', type: parent };
			if (parent instanceof Y.ID) {
				const own = this.#find(parent);
				if (own) return own instanceof Y.Item ? { kind: 'new', item: own } : null;
				const stored = this.#stored(parent);
				return stored && stored.content instanceof Y.ContentType
					? { kind: 'stored', type: stored.content.type }
					: null;
			}
			const neighbour = item.origin ?? item.rightOrigin;
			if (neighbour === null) return null;
			const own = this.#find(neighbour);
			if (own) {
				if (!(own instanceof Y.Item)) return null;
				item = own;
				continue;
			}
			const stored = this.#stored(neighbour);
			return stored && stored.parent instanceof Y.AbstractType
				? { kind: 'stored', type: stored.parent }
				: null;
		}
		return null;
	}

	/** The key an item is stored under (null: an array item), from its neighbours if need be. */
	keyOf(start: Y.Item): string | null {
		let item = start;
		for (let hops = 0; hops < 10_000; hops++) {
			if (item.parent !== null || item.parentSub !== null) return item.parentSub;
			const neighbour = item.origin ?? item.rightOrigin;
			if (neighbour === null) return null;
			const own = this.#find(neighbour);
			if (own instanceof Y.Item) {
				item = own;
				continue;
			}
			return this.#stored(neighbour)?.parentSub ?? null;
		}
		return null;
	}

	/**
	 * The entity of collection `root` a child at `key` of `parent` belongs to, and its path in
	 * it, or null when it is not inside that collection.
	 */
	placeIn(root: string, parent: Parent | null, key: string | null): EntityPlace | null {
		// Keys from the deepest up; the last one, right under the root, is the entity's id.
		const keys: (string | null)[] = [key];
		const found = (isRoot: boolean): EntityPlace | null => {
			const id = keys.pop();
			return isRoot && typeof id === 'string' ? { id, path: keys.reverse() } : null;
		};
		let at = parent;
		for (let depth = 0; at !== null && depth < MAX_CLIMB; depth++) {
			if (at.kind === 'root') return found(at.name === root);
			if (at.kind === 'stored' && at.type._item === null) {
				// A stored root type.
				return found(this.#doc.share.get(root) === at.type);
			}
			const item = at.kind === 'new' ? at.item : at.type._item!;
			keys.push(this.keyOf(item));
			at = at.kind === 'new' ? this.parentOf(item) : storedParent(item);
		}
		return null;
	}

	/** Where `struct`, new in the update, is written in collection `root` (see placeIn). */
	written(root: string, struct: Y.Item): EntityPlace | null {
		return this.placeIn(root, this.parentOf(struct), this.keyOf(struct));
	}

	/** Where a stored item the update deletes sat in collection `root` (see placeIn). */
	removed(root: string, item: Y.Item): EntityPlace | null {
		const parent = item.parent;
		if (!(parent instanceof Y.AbstractType)) return null;
		return this.placeIn(root, { kind: 'stored', type: parent }, item.parentSub);
	}

	/** Live items of the document the update's delete set removes. */
	*deletedItems(): Generator<Y.Item> {
		const store = this.#doc.store;
		for (const [client, ranges] of this.#decoded.ds.clients) {
			const structs = store.clients.get(client);
			if (!structs) continue;
			const known = Y.getState(store, client);
			for (const { clock, len } of ranges) {
				if (clock >= known) continue;
				for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
					const struct = structs[i]!;
					if (struct.id.clock >= clock + len) break;
					if (struct instanceof Y.Item && !struct.deleted) yield struct;
				}
			}
		}
	}

	#find(id: Y.ID): Struct | undefined {
		const structs = this.#own.get(id.client);
		if (!structs) return undefined;
		let low = 0;
		let high = structs.length - 1;
		while (low <= high) {
			const mid = (low + high) >> 1;
			const struct = structs[mid]!;
			if (id.clock < struct.id.clock) high = mid - 1;
			else if (id.clock >= struct.id.clock + struct.length) low = mid + 1;
			else return this.integrated(struct) ? undefined : struct;
		}
		return undefined;
	}

	#stored(id: Y.ID): Y.Item | null {
		if (id.clock >= Y.getState(this.#doc.store, id.client)) return null;
		const struct = Y.getItem(this.#doc.store, id);
		return struct instanceof Y.Item ? struct : null;
	}
}

function storedParent(item: Y.Item): Parent | null {
	const parent = item.parent;
	return parent instanceof Y.AbstractType ? { kind: 'stored', type: parent } : null;
}
