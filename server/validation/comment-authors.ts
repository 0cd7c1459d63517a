/**
 * Only its author changes a comment (docs/schema.md D6.13). Unlike a role-guarded field, which
 * the server can only record (A1), a comment names its author in the document, so the write
 * boundary can refuse, per connection, an update that creates a comment in someone else's name,
 * or changes, withdraws or removes a comment another person wrote. The update is refused whole,
 * like one that breaks the shape of the contract (docs/security.md), and nothing of it is stored
 * or relayed.
 *
 * Runs on updates the shape check accepted, so every struct an update refers to is either in
 * the update or already in the document.
 */
import * as Y from 'yjs';
import type { DecodedUpdate } from '../../src/lib/sync/shape/check-update';
import type { Violation } from '../../src/lib/sync/shape/contract';
import type { PeerPerson } from '../relay/room';

const COMMENTS = 'comments';
const AUTHOR_FIELD = 'authorId';
/** The contract nests at most this deep below a collection (entity, field, entry). */
const MAX_CLIMB = 8;

type Struct = DecodedUpdate['structs'][number];

/** Where an item sits: under a root by name, in a stored type, or in a new type of the update. */
type Parent =
	| { kind: 'root'; name: string }
	| { kind: 'stored'; type: Y.AbstractType<unknown> }
	| { kind: 'new'; item: Y.Item };

/** The problem with `decoded` sent by `person` to the board document `doc`, or null. */
export function commentAuthorProblem(
	doc: Y.Doc,
	decoded: DecodedUpdate,
	person: PeerPerson
): Violation | null {
	const comments = doc.share.get(COMMENTS);
	const update = new UpdateIndex(doc, decoded);
	/** Comment id → what the update does to it. */
	const touched = new Map<string, Touch>();
	const touch = (id: string) => {
		let entry = touched.get(id);
		if (!entry) touched.set(id, (entry = { fields: new Set(), created: false, authors: [] }));
		return entry;
	};

	for (const struct of decoded.structs) {
		if (!(struct instanceof Y.Item) || update.integrated(struct)) continue;
		if (struct.content instanceof Y.ContentDeleted) continue;
		const place = update.commentOf(update.parentOf(struct), update.keyOf(struct));
		if (!place) continue;
		const entry = touch(place.id);
		if (place.field === null) entry.created = true;
		else entry.fields.add(place.field);
		if (place.field === AUTHOR_FIELD && struct.content instanceof Y.ContentAny) {
			entry.authors.push(...struct.content.arr);
		}
	}
	for (const item of update.deletedItems()) {
		const parent = item.parent;
		if (!(parent instanceof Y.AbstractType)) continue;
		const place = update.commentOf({ kind: 'stored', type: parent }, item.parentSub);
		if (place) touch(place.id).fields.add(place.field ?? '');
	}

	for (const [id, { fields, created, authors }] of touched) {
		const stored = comments instanceof Y.Map ? comments.get(id) : undefined;
		const storedAuthor = stored instanceof Y.Map ? stored.get(AUTHOR_FIELD) : undefined;
		if (typeof storedAuthor === 'string' && storedAuthor !== person.id) {
			return refusal(id, 'only its author may change a comment; reply to it instead');
		}
		if (created) {
			// A new comment, or one written anew under a key: it names the person sending it.
			if (authors.length === 0 || authors.some((author) => author !== person.id)) {
				return refusal(id, `a new comment names its author, the person sending it (${person.id})`);
			}
		} else if (fields.has(AUTHOR_FIELD)) {
			return refusal(id, 'a comment keeps its author');
		}
	}
	return null;
}

/** What one update does to one comment. */
interface Touch {
	/** Fields it writes or deletes in the stored comment ('' for the comment itself). */
	fields: Set<string>;
	/** It writes the comment itself: a new one, or a replacement under the same key. */
	created: boolean;
	/** The author ids it writes. */
	authors: unknown[];
}

function refusal(id: string, problem: string): Violation {
	return { code: 'author', path: `${COMMENTS}/${id}`, problem };
}

/** The update's structs, for following references inside it. */
class UpdateIndex {
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
	 * The comment a child at `key` of `parent` belongs to, and which of its fields it is in
	 * (null: the entity itself), or null when it is not inside the comments collection.
	 */
	commentOf(
		parent: Parent | null,
		key: string | null
	): { id: string; field: string | null } | null {
		let field: string | null = null;
		let childKey = key;
		let at = parent;
		for (let depth = 0; at !== null && depth < MAX_CLIMB; depth++) {
			if (at.kind === 'root') {
				return at.name === COMMENTS && childKey !== null ? { id: childKey, field } : null;
			}
			const item = at.kind === 'new' ? at.item : at.type._item;
			if (item === null) {
				// A stored root type.
				const isComments = at.kind === 'stored' && this.#doc.share.get(COMMENTS) === at.type;
				return isComments && childKey !== null ? { id: childKey, field } : null;
			}
			field = childKey;
			childKey = this.keyOf(item);
			at = at.kind === 'new' ? this.parentOf(item) : storedParent(item);
		}
		return null;
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
