/**
 * Records who last changed each role-guarded field of a board (a story's Product Owner,
 * duration, teaming, SLA or backlog position; a team's velocity; each review of a sprint) under the server-owned `authorship` key, with the
 * roles their signed session carried. The relay cannot refuse such a change per connection, so
 * rule A1 reports it on every screen instead, naming the person. A client write to `authorship`
 * is undone, like one to `findings`.
 */
import * as Y from 'yjs';
import {
	GuardedChange,
	guardedField,
	keyOfChange,
	type GuardedCollection
} from '../../src/lib/domain/authorship';
import { AUTHORSHIP_KEY } from '../../src/lib/sync/layout';
import type { Logger } from '../log';
import { isStoredChange, type Peer, type Room } from '../relay/room';
import { isServerWrite, SERVER_ORIGIN } from './origin';

export class AuthorshipRecorder {
	readonly #room: Room;
	readonly #log: Logger;
	readonly #now: () => number;
	readonly #authorship: Y.Map<unknown>;
	readonly #collections: ReadonlyMap<unknown, GuardedCollection>;
	/** What the server wrote: the truth a client write is restored to. */
	readonly #records = new Map<string, GuardedChange>();
	#closed = false;
	/** Listening to the document: only once it loaded. */
	#attached = false;

	constructor(room: Room, log: Logger, now: () => number = Date.now) {
		this.#room = room;
		this.#log = log;
		this.#now = now;
		const doc = room.doc;
		this.#authorship = doc.getMap(AUTHORSHIP_KEY);
		this.#collections = new Map<unknown, GuardedCollection>([
			[doc.getMap('stories'), 'stories'],
			[doc.getMap('teams'), 'teams'],
			[doc.getMap('sprints'), 'sprints']
		]);
		room.loaded.then(
			() => {
				if (this.#closed) return;
				// Only the server writes here (anything else is undone), so what is stored is ours.
				for (const [key, value] of this.#authorship) {
					const record = GuardedChange.safeParse(value);
					if (record.success) this.#records.set(key, record.data);
				}
				doc.on('afterTransaction', this.#onTransaction);
				this.#authorship.observe(this.#onAuthorshipWritten);
				this.#attached = true;
			},
			// A document that failed to load takes no changes to record; the registry logs why.
			() => {}
		);
	}

	close(): void {
		this.#closed = true;
		if (!this.#attached) return;
		this.#room.doc.off('afterTransaction', this.#onTransaction);
		this.#authorship.unobserve(this.#onAuthorshipWritten);
	}

	readonly #onTransaction = (tr: Y.Transaction): void => {
		const peer = this.#room.peerOf(tr.origin);
		if (!peer) return;
		const changes = this.#guardedChanges(tr, peer);
		if (changes.length === 0) return;
		// After this transaction has been stored and relayed, as a change of its own.
		queueMicrotask(() => {
			if (this.#closed || this.#room.state === 'closed') return;
			this.#room.doc.transact(() => {
				for (const change of changes) {
					const key = keyOfChange(change);
					this.#records.set(key, change);
					this.#authorship.set(key, { ...change, roles: [...change.roles] });
				}
			}, SERVER_ORIGIN);
		});
	};

	/** Guarded fields (and entries) of existing stories, teams and sprints that `tr` changed. */
	#guardedChanges(tr: Y.Transaction, peer: Peer): GuardedChange[] {
		const found = new Map<string, GuardedChange>();
		const at = new Date(this.#now()).toISOString();
		const note = (collection: GuardedCollection, entity: Y.Item, field: string, entry?: string) => {
			if (createdIn(tr, entity)) return;
			const entityId = entity.parentSub;
			if (entityId === null) return;
			const change = GuardedChange.safeParse({
				collection,
				entityId,
				field,
				personId: peer.person.id,
				personName: peer.person.name,
				roles: [...peer.person.roles],
				at,
				...(entry === undefined ? {} : { entry })
			});
			if (change.success) found.set(keyOfChange(change.data), change.data);
		};
		for (const [type, keys] of tr.changed) {
			const item = type._item;
			if (item === null || !(item.parent instanceof Y.AbstractType)) continue;
			const collection = this.#collections.get(item.parent);
			if (collection !== undefined) {
				// An entity's own fields: `duration`, `rank`, or a whole set or record replaced.
				for (const key of keys) {
					const guard = key === null ? undefined : guardedField(collection, key);
					if (!guard) continue;
					if (!guard.perEntry) note(collection, item, guard.field);
					else {
						const entries = type instanceof Y.Map ? type.get(guard.field) : undefined;
						if (entries instanceof Y.Map) {
							for (const entry of entries.keys()) note(collection, item, guard.field, entry);
						}
					}
				}
				continue;
			}
			// A nested field of an entity: one Product Owner added to `productOwnerIds`, one review.
			const entity = item.parent._item;
			if (entity === null || !(entity.parent instanceof Y.AbstractType)) continue;
			const parentCollection = this.#collections.get(entity.parent);
			if (parentCollection === undefined || item.parentSub === null) continue;
			const guard = guardedField(parentCollection, item.parentSub);
			if (!guard) continue;
			if (!guard.perEntry) note(parentCollection, entity, guard.field);
			else
				for (const key of keys) if (key !== null) note(parentCollection, entity, guard.field, key);
		}
		return [...found.values()];
	}

	/** The authorship record belongs to the server: another write there is undone. */
	readonly #onAuthorshipWritten = (event: Y.YMapEvent<unknown>, tr: Y.Transaction): void => {
		if (isServerWrite(tr.origin) || isStoredChange(tr.origin)) return;
		const keys = [...event.keysChanged];
		this.#log.warn('a client wrote the server-owned authorship record; restoring it', {
			keys: keys.length
		});
		queueMicrotask(() => {
			if (this.#closed || this.#room.state === 'closed') return;
			this.#room.doc.transact(() => {
				for (const key of keys) {
					const record = this.#records.get(key);
					if (record) this.#authorship.set(key, { ...record, roles: [...record.roles] });
					else this.#authorship.delete(key);
				}
			}, SERVER_ORIGIN);
		});
	};
}

/** Whether `item` was inserted by transaction `tr` (a new entity: creating it needs no role). */
function createdIn(tr: Y.Transaction, item: Y.Item): boolean {
	return item.id.clock >= (tr.beforeState.get(item.id.client) ?? 0);
}
