/**
 * The write boundary: checks one decoded Yjs update against the document contract before it
 * touches a document. Every new struct is placed where Yjs would integrate it (its parent, or its
 * neighbours' parent) and judged by contract.ts; the delete set may not touch what the server
 * owns. The check never recurses into what arrives, so no update can exhaust the stack.
 */
import * as Y from 'yjs';
import {
	capacityOf,
	placement,
	plainValueProblem,
	rootSlot,
	type Placement,
	tooMany,
	type DocumentKind,
	type ShapeLimits,
	type Slot,
	type Violation
} from './contract';

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/**
 * - `accept`: apply it as it is;
 * - `refuse`: it breaks the contract and must not enter the document;
 * - `wait`: it builds on changes this document has not received yet; check it again later;
 * - `malformed`: its references cannot be resolved by Yjs at all.
 */
export type UpdateVerdict =
	| { readonly kind: 'accept' }
	| { readonly kind: 'refuse'; readonly violation: Violation }
	| { readonly kind: 'wait' }
	| { readonly kind: 'malformed'; readonly reason: string };

const ACCEPT: UpdateVerdict = { kind: 'accept' };
const WAIT: UpdateVerdict = { kind: 'wait' };

/**
 * Where a new struct lands: under `slot` at `key` (null: an array item); `inert` when Yjs will
 * store it as deleted or garbage (its parent or neighbour is gone), so its shape cannot matter.
 */
type Landing = Slot | 'inert' | 'missing' | Violation;

/** The slot a type opens, `inert` when it is deleted, or why it is outside the contract. */
type TypeSlot = Slot | 'inert' | Violation;

type Struct = Y.Item | Y.GC | Y.Skip;

/**
 * Root keys one writer may not change, each with the sentence its refusal gives (the board's
 * settings for anyone but its admin). Empty: the contract alone decides.
 */
export type ClosedRoots = ReadonlyMap<string, string>;
const OPEN: ClosedRoots = new Map();

class Malformed extends Error {}

/** Checks updates for one document; keeps what it learnt about the document's types. */
export class UpdateChecker {
	readonly #doc: Y.Doc;
	readonly #kind: DocumentKind;
	readonly #limits: ShapeLimits;
	readonly #typeSlots = new WeakMap<Y.AbstractType<unknown>, TypeSlot>();

	constructor(doc: Y.Doc, kind: DocumentKind, limits: ShapeLimits) {
		this.#doc = doc;
		this.#kind = kind;
		this.#limits = limits;
	}

	get limits(): ShapeLimits {
		return this.#limits;
	}

	get kind(): DocumentKind {
		return this.#kind;
	}

	/**
	 * Judges an update of `bytes` bytes, already decoded with `Y.decodeUpdate`, from a writer who
	 * may not change the roots in `closed`.
	 */
	check(decoded: DecodedUpdate, bytes: number, closed: ClosedRoots = OPEN): UpdateVerdict {
		if (bytes > this.#limits.maxUpdateBytes) {
			return refuse({
				code: 'update-size',
				path: '',
				problem: `an update of ${bytes} bytes is larger than the ${this.#limits.maxUpdateBytes} accepted; send it in smaller parts`
			});
		}
		try {
			return new UpdateCheck(this, decoded, closed).run();
		} catch (error) {
			if (error instanceof Malformed) return { kind: 'malformed', reason: error.message };
			throw error;
		}
	}

	get doc(): Y.Doc {
		return this.#doc;
	}

	/** The slot of a type integrated in the document, found by walking up to its root. */
	slotOfType(type: Y.AbstractType<unknown>): TypeSlot {
		if (type._item?.deleted) return 'inert';
		const cached = this.#typeSlots.get(type);
		if (cached !== undefined) return cached;
		const keys: (string | null)[] = [];
		const chain: Y.AbstractType<unknown>[] = [];
		let current = type;
		let result: TypeSlot | null = null;
		while (current._item !== null) {
			const item = current._item;
			if (item.deleted) {
				result = 'inert';
				break;
			}
			chain.push(current);
			keys.push(item.parentSub);
			current = item.parent as Y.AbstractType<unknown>;
		}
		if (result === null) {
			const rootKey = rootKeyOf(this.#doc, current);
			let slot: TypeSlot =
				rootKey === null
					? 'inert'
					: (rootSlot(this.#kind, rootKey) ?? unknownRoot(this.#kind, rootKey));
			for (let i = keys.length - 1; i >= 0 && isSlot(slot); i--) {
				const placed = placement(slot, keys[i]!);
				if ('violation' in placed) slot = placed.violation;
				else if (placed.expects === 'value') slot = deeper(slot.path);
				else slot = typeSlot(placed, chain[i]!) ?? deeper(slot.path);
			}
			result = slot;
		}
		this.#typeSlots.set(type, result);
		return result;
	}
}

/** One run of the check over one update. */
class UpdateCheck {
	readonly #checker: UpdateChecker;
	readonly #store: Y.Doc['store'];
	readonly #decoded: DecodedUpdate;
	readonly #closed: ClosedRoots;
	/** The update's own structs per client, in clock order, for references inside the update. */
	readonly #own = new Map<number, Struct[]>();
	/** The clock up to which each client's structs in the update follow on without a gap. */
	readonly #reach = new Map<number, number>();
	readonly #landings = new Map<Y.Item, Landing>();
	/** The key of items placed by a neighbour (they do not carry their own). */
	readonly #neighbourKeys = new Map<Y.Item, string | null>();
	/** New keys and items per parent (an integrated type, or a new item of this update). */
	readonly #growth = new Map<
		Y.AbstractType<unknown> | Y.Item | string,
		{ slot: Slot; keys: Set<string>; items: number }
	>();
	#missing = false;

	constructor(checker: UpdateChecker, decoded: DecodedUpdate, closed: ClosedRoots) {
		this.#checker = checker;
		this.#store = checker.doc.store;
		this.#decoded = decoded;
		this.#closed = closed;
		for (const struct of decoded.structs) {
			const client = struct.id.client;
			let list = this.#own.get(client);
			if (!list) this.#own.set(client, (list = []));
			list.push(struct);
		}
	}

	run(): UpdateVerdict {
		for (const [client, structs] of this.#own) {
			let next = Y.getState(this.#store, client);
			for (const struct of structs) {
				const end = struct.id.clock + struct.length;
				if (end <= Y.getState(this.#store, client)) continue;
				if (struct instanceof Y.Skip || struct.id.clock > next) {
					// A gap: what follows builds on structs this document has not received.
					this.#missing = true;
					break;
				}
				next = end;
				if (!(struct instanceof Y.Item)) continue;
				const violation = this.#judge(struct);
				if (violation) return refuse(violation);
			}
			this.#reach.set(client, next);
		}
		const grown = this.#checkGrowth();
		if (grown) return refuse(grown);
		const deletion = this.#checkDeletions();
		if (deletion) return refuse(deletion);
		return this.#missing ? WAIT : ACCEPT;
	}

	/** The problem with one new item, or null (also when it must wait for its dependencies). */
	#judge(item: Y.Item): Violation | null {
		const content = item.content;
		if (content instanceof Y.ContentDeleted) return null;
		const landing = this.#land(item);
		if (landing === 'inert') return null;
		if (landing === 'missing') {
			this.#missing = true;
			return null;
		}
		if ('code' in landing) return landing;
		const slot = landing;
		const key = this.#keyOf(item);
		const closed = this.#closedAt(slot, key);
		if (closed) return closed;
		if (key === null && content instanceof Y.ContentString && isTextSlot(slot)) {
			this.#grow(item, slot, key);
			return null;
		}
		const placed = placement(slot, key);
		if ('violation' in placed) return placed.violation;
		if (placed.expects === 'text') {
			const problem = textFieldProblem(content, placed, pathOf(slot, key), this.#checker.limits);
			if (problem) return problem;
			this.#grow(item, slot, key);
			return null;
		}
		if (content instanceof Y.ContentType) {
			const found = typeName(content.type);
			if (placed.expects === 'value') {
				return slot.level === 'entity'
					? {
							code: 'type',
							path: pathOf(slot, key),
							problem: `must be a plain value, not ${found}`
						}
					: deeper(slot.path);
			}
			const wanted = placed.expects === 'map' ? Y.Map : Y.Array;
			if (!(content.type instanceof wanted)) {
				return {
					code: 'type',
					path: pathOf(slot, key),
					problem: `must be ${placed.expects === 'map' ? 'a Y.Map' : 'a Y.Array'}, not ${found}`
				};
			}
		} else if (content instanceof Y.ContentAny) {
			if (placed.expects !== 'value') {
				return {
					code: 'type',
					path: pathOf(slot, key),
					problem: `must be ${placed.expects === 'map' ? 'a Y.Map' : 'a Y.Array'}, not a plain value`
				};
			}
			for (const value of content.arr) {
				const problem = plainValueProblem(value, this.#checker.limits, '');
				if (problem) return { ...problem, path: pathOf(slot, key) };
			}
		} else {
			return {
				code: 'content',
				path: pathOf(slot, key),
				problem: `${contentName(content)} content is not part of the contract`
			};
		}
		this.#grow(item, slot, key);
		return null;
	}

	/** Counts what the item adds to its parent, for the entry and item bounds. */
	#grow(item: Y.Item, slot: Slot, key: string | null): void {
		const parent = this.#parentOf(item);
		if (parent === null) return;
		let growth = this.#growth.get(parent);
		if (!growth) this.#growth.set(parent, (growth = { slot, keys: new Set(), items: 0 }));
		if (key !== null) growth.keys.add(key);
		else growth.items += item.length;
	}

	/** The parent an item is counted under: the integrated type or the new item holding it. */
	#parentOf(item: Y.Item): Y.AbstractType<unknown> | Y.Item | string | null {
		let current: Y.Item = item;
		// Items placed by a neighbour share its parent; follow neighbours inside the update.
		for (;;) {
			const parent = current.parent;
			if (typeof parent === 'string') {
				// A root nobody has opened yet is counted by its name.
				return (
					(this.#checker.doc.share.get(parent) as Y.AbstractType<unknown> | undefined) ?? parent
				);
			}
			if (parent instanceof Y.ID) {
				const own = this.#ownStruct(parent);
				if (own) return own instanceof Y.Item ? own : null;
				const stored = Y.getItem(this.#store, parent);
				return stored.content instanceof Y.ContentType ? stored.content.type : null;
			}
			const neighbour = current.origin ?? current.rightOrigin;
			if (neighbour === null) return null;
			const own = this.#ownStruct(neighbour);
			if (own instanceof Y.Item) {
				current = own;
				continue;
			}
			if (own) return null;
			const stored = Y.getItem(this.#store, neighbour);
			return stored.parent instanceof Y.AbstractType ? stored.parent : null;
		}
	}

	#checkGrowth(): Violation | null {
		const limits = this.#checker.limits;
		for (const [parent, growth] of this.#growth) {
			const capacity = capacityOf(growth.slot, limits);
			if (capacity === null) continue;
			if (typeof parent === 'string' || parent instanceof Y.Item) {
				const count = growth.keys.size + growth.items;
				if (count > capacity) return tooMany(growth.slot, count, limits);
				continue;
			}
			if (growth.items > 0 && parent._length + growth.items > capacity) {
				return tooMany(growth.slot, parent._length + growth.items, limits);
			}
			if (growth.keys.size === 0) continue;
			// `_map` also holds deleted keys: an upper bound that is usually enough.
			let fresh = 0;
			for (const key of growth.keys) if (!parent._map.has(key)) fresh++;
			if (parent._map.size + fresh <= capacity) continue;
			let live = 0;
			for (const item of parent._map.values()) if (!item.deleted) live++;
			let added = 0;
			for (const key of growth.keys) {
				const current = parent._map.get(key);
				if (!current || current.deleted) added++;
			}
			if (live + added > capacity) return tooMany(growth.slot, live + added, limits);
		}
		return null;
	}

	/** Deletions may not touch what the server owns, nor what this document has not seen. */
	#checkDeletions(): Violation | null {
		for (const [client, ranges] of this.#decoded.ds.clients) {
			const known = Y.getState(this.#store, client);
			const structs = this.#store.clients.get(client);
			for (const { clock, len } of ranges) {
				const end = clock + len;
				if (end > known && end > (this.#reach.get(client) ?? known)) {
					// Deleting what is not here yet would delete it the moment it arrives.
					this.#missing = true;
				}
				if (!structs || clock >= known) continue;
				for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
					const struct = structs[i]!;
					if (struct.id.clock >= end) break;
					if (!(struct instanceof Y.Item) || struct.deleted) continue;
					const slot = this.#checker.slotOfType(struct.parent as Y.AbstractType<unknown>);
					const owned =
						slot === 'inert'
							? false
							: 'code' in slot
								? slot.code === 'server-owned'
								: slot.level === 'server';
					if (owned && slot !== 'inert') {
						return {
							code: 'server-owned',
							path: slot.path,
							problem: 'written by the server only'
						};
					}
					const closed = isSlot(slot) ? this.#closedAt(slot, struct.parentSub) : null;
					if (closed) return closed;
				}
			}
		}
		return null;
	}

	/** The refusal of a change under `slot` at `key` when its root is closed to this writer. */
	#closedAt(slot: Slot, key: string | null): Violation | null {
		if (this.#closed.size === 0) return null;
		const slash = slot.path.indexOf('/');
		const problem = this.#closed.get(slash === -1 ? slot.path : slot.path.slice(0, slash));
		if (problem === undefined) return null;
		// A text is one field: typing in it is named by the field, not by a character of it.
		const path = key === null && isTextSlot(slot) ? slot.path : pathOf(slot, key);
		return { code: 'not-allowed', path, problem };
	}

	/**
	 * Where an item lands. Dependencies inside the update are resolved first with an explicit
	 * stack, so a chain of thousands of nested items costs no recursion.
	 */
	#land(target: Y.Item): Landing {
		const known = this.#landings.get(target);
		if (known !== undefined) return known;
		if (this.#dependency(target) === null) {
			// Nothing of this update in the way: the common case, without the stack.
			const landing = this.#landingOf(target);
			this.#landings.set(target, landing);
			return landing;
		}
		const stack: Y.Item[] = [target];
		const onStack = new Set<Y.Item>([target]);
		while (stack.length > 0) {
			const item = stack[stack.length - 1]!;
			const dependency = this.#dependency(item);
			if (dependency && !this.#landings.has(dependency)) {
				if (onStack.has(dependency)) throw new Malformed('an item refers to itself in a cycle');
				stack.push(dependency);
				onStack.add(dependency);
				continue;
			}
			this.#landings.set(item, this.#landingOf(item));
			stack.pop();
			onStack.delete(item);
		}
		return this.#landings.get(target)!;
	}

	/** An item of this update whose landing `item`'s landing needs and that is not known yet. */
	#dependency(item: Y.Item): Y.Item | null {
		const references =
			item.parent instanceof Y.ID ? [item.parent] : [item.origin, item.rightOrigin];
		for (const reference of references) {
			if (reference === null) continue;
			const own = this.#ownStruct(reference, item);
			if (own instanceof Y.Item && !this.#landings.has(own)) return own;
		}
		return null;
	}

	#landingOf(item: Y.Item): Landing {
		const parent = item.parent;
		if (typeof parent === 'string') {
			return rootSlot(this.#checker.kind, parent) ?? unknownRoot(this.#checker.kind, parent);
		}
		if (parent instanceof Y.ID) {
			const own = this.#ownStruct(parent, item);
			if (own !== undefined) return own instanceof Y.Item ? this.#childSlot(own) : 'inert';
			const stored = this.#stored(parent, item);
			if (stored === 'missing') return 'missing';
			if (!(stored instanceof Y.Item)) return 'inert';
			if (stored.deleted || !(stored.content instanceof Y.ContentType)) return 'inert';
			return this.#checker.slotOfType(stored.content.type);
		}
		// Placed by its neighbours: Yjs garbage-collects it when either neighbour is garbage.
		let landing: Landing | null = null;
		for (const neighbour of [item.origin, item.rightOrigin]) {
			if (neighbour === null) continue;
			const own = this.#ownStruct(neighbour, item);
			if (own !== undefined) {
				if (!(own instanceof Y.Item)) return 'inert';
				if (landing === null) {
					landing = this.#landings.get(own)!;
					this.#neighbourKeys.set(item, this.#keyOf(own));
				}
				continue;
			}
			const stored = this.#stored(neighbour, item);
			if (stored === 'missing') return 'missing';
			if (!(stored instanceof Y.Item)) return 'inert';
			if (landing === null) {
				landing = this.#checker.slotOfType(stored.parent as Y.AbstractType<unknown>);
				this.#neighbourKeys.set(item, stored.parentSub);
			}
		}
		if (landing === null) throw new Malformed('an item has neither a parent nor neighbours');
		return landing;
	}

	/** The slot a new item of this update opens for its children. */
	#childSlot(parentItem: Y.Item): Landing {
		const content = parentItem.content;
		if (!(content instanceof Y.ContentType)) return 'inert';
		const landing = this.#landings.get(parentItem)!;
		if (landing === 'inert' || landing === 'missing' || 'code' in landing) {
			// A parent that is refused reports itself; its children only follow it.
			return landing === 'missing' ? 'missing' : 'inert';
		}
		const placed = placement(landing, this.#keyOf(parentItem));
		if ('violation' in placed || placed.expects === 'value') return 'inert';
		return typeSlot(placed, content.type) ?? 'inert';
	}

	/** The key an item is stored under in its parent map (null: an array item). */
	#keyOf(item: Y.Item): string | null {
		return item.parent === null ? (this.#neighbourKeys.get(item) ?? null) : item.parentSub;
	}

	/**
	 * A struct of this update covering `id`, or undefined. A reference to a later clock of the
	 * referring item's own client cannot be integrated by Yjs and makes the update malformed.
	 */
	#ownStruct(id: Y.ID, from?: Y.Item): Struct | undefined {
		const structs = this.#own.get(id.client);
		if (!structs) return undefined;
		const found = findStruct(structs, id.clock);
		if (found && from && id.client === from.id.client && id.clock >= from.id.clock) {
			throw new Malformed('an item refers to a later change of its own client');
		}
		if (found && found.id.clock + found.length <= Y.getState(this.#store, id.client)) {
			// Already integrated: the document's copy is the one that counts.
			return undefined;
		}
		return found;
	}

	/** The document's struct covering `id`, or `missing` when the document has not seen it. */
	#stored(id: Y.ID, from: Y.Item): Y.Item | Y.GC | 'missing' {
		if (id.clock >= Y.getState(this.#store, id.client)) {
			if (id.client === from.id.client) {
				throw new Malformed('an item refers to a change its own client has not made');
			}
			return 'missing';
		}
		return Y.getItem(this.#store, id) as Y.Item | Y.GC;
	}
}

function findStruct(structs: readonly Struct[], clock: number): Struct | undefined {
	let low = 0;
	let high = structs.length - 1;
	while (low <= high) {
		const mid = (low + high) >> 1;
		const struct = structs[mid]!;
		if (clock < struct.id.clock) high = mid - 1;
		else if (clock >= struct.id.clock + struct.length) low = mid + 1;
		else return struct;
	}
	return undefined;
}

function isTextSlot(slot: Slot): boolean {
	return slot.level === 'text' || slot.level === 'lines';
}

/**
 * The slot a nested type opens where `placed` wants one: a text field opens its text slot for a
 * Y.Text, or the legacy list slot for the Y.Array contract 1 stored there. Null when it fits not.
 */
function typeSlot(
	placed: Exclude<Placement, { expects: 'value' } | { violation: Violation }>,
	type: Y.AbstractType<unknown>
): Slot | null {
	if (placed.expects !== 'text') return placed.slot;
	if (type instanceof Y.Text) return placed.slot;
	if (placed.legacy !== 'string' && type instanceof Y.Array) return placed.legacy;
	return null;
}

/**
 * What is wrong with `content` stored in a field of the text kinds: a Y.Text belongs there, and
 * what contract 1 stored (a string, or a Y.Array of strings for `lines`) is still taken.
 */
function textFieldProblem(
	content: Y.Item['content'],
	placed: Extract<Placement, { expects: 'text' }>,
	path: string,
	limits: ShapeLimits
): Violation | null {
	if (content instanceof Y.ContentType) {
		if (typeSlot(placed, content.type) !== null) return null;
		return { code: 'type', path, problem: `must be a Y.Text, not ${typeName(content.type)}` };
	}
	if (content instanceof Y.ContentAny && placed.legacy === 'string') {
		for (const value of content.arr) {
			if (typeof value !== 'string') {
				return { code: 'type', path, problem: 'must be a Y.Text (or, as before, a string)' };
			}
			const problem = plainValueProblem(value, limits, path);
			if (problem) return problem;
		}
		return null;
	}
	return {
		code: 'type',
		path,
		problem: `must be a Y.Text, not ${content instanceof Y.ContentAny ? 'a plain value' : `${contentName(content)} content`}`
	};
}

function pathOf(slot: Slot, key: string | null): string {
	return key === null ? `${slot.path}[]` : `${slot.path}/${key}`;
}

function refuse(violation: Violation): UpdateVerdict {
	return { kind: 'refuse', violation };
}

function isSlot(slot: TypeSlot): slot is Slot {
	return slot !== 'inert' && !('code' in slot);
}

function deeper(path: string): Violation {
	return { code: 'depth', path, problem: 'nested deeper than the contract allows' };
}

function unknownRoot(kind: DocumentKind, key: string): Violation {
	return {
		code: 'root-key',
		path: key.slice(0, 80),
		problem: `not a root key of a ${kind} document (docs/schema.md, D2)`
	};
}

/** The root key under which `type` is shared in `doc`, or null when it is not a root. */
function rootKeyOf(doc: Y.Doc, type: Y.AbstractType<unknown>): string | null {
	for (const [key, shared] of doc.share) if (shared === type) return key;
	return null;
}

function typeName(type: Y.AbstractType<unknown>): string {
	if (type instanceof Y.Map) return 'a Y.Map';
	if (type instanceof Y.Array) return 'a Y.Array';
	if (type instanceof Y.Text) return 'a Y.Text';
	return 'an XML type';
}

function contentName(content: Y.Item['content']): string {
	if (content instanceof Y.ContentString) return 'text';
	if (content instanceof Y.ContentEmbed) return 'embedded';
	if (content instanceof Y.ContentFormat) return 'formatting';
	if (content instanceof Y.ContentBinary) return 'binary';
	if (content instanceof Y.ContentDoc) return 'subdocument';
	if (content instanceof Y.ContentJSON) return 'legacy JSON';
	return 'unknown';
}
