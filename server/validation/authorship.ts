/**
 * Records who last changed each role-guarded field of a board (a story's Product Owner,
 * duration, teaming, SLA or backlog position; a team's velocity; each review of a sprint) under the
 * server-owned `authorship` key, with the roles their signed session carried. The relay cannot
 * refuse such a change per connection, so rule A1 reports it on every screen instead, naming the
 * person. Clients may not write `authorship` (the write boundary refuses it).
 *
 * Only the instance a person is connected to knows who made a change, and only the instance that
 * speaks for the board writes records (voice.ts). So an instance that does not speak hands its
 * people's records to the one that does, over the bus, and keeps them until they appear in the
 * document, handing them again every `retryMs` (the speaker may have changed meanwhile, or Redis
 * may be down); if it comes to speak itself, it writes them.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import {
	GuardedChange,
	guardedField,
	keyOfChange,
	type GuardedCollection
} from '../../src/lib/domain/authorship';
import { AUTHORSHIP_KEY } from '../../src/lib/sync/layout';
import type { Logger } from '../log';
import { type Peer, type Room } from '../relay/room';
import type { Voice } from './voice';

/** Records one instance keeps for the speaker at most; beyond, the oldest are dropped. */
const MAX_WAITING_RECORDS = 10_000;
/** Records in one message to the speaker at most. */
const MAX_RECORDS_PER_MESSAGE = 500;

const ForwardedRecords = z.array(z.unknown()).max(MAX_RECORDS_PER_MESSAGE);

export interface AuthorshipOptions {
	log: Logger;
	voice: Voice;
	now?: () => number;
	/** How often records not yet written are handed to the speaker again. Default 2000 ms. */
	retryMs?: number;
}

export class AuthorshipRecorder {
	readonly #room: Room;
	readonly #log: Logger;
	readonly #voice: Voice;
	readonly #now: () => number;
	readonly #retryMs: number;
	readonly #authorship: Y.Map<unknown>;
	readonly #collections: ReadonlyMap<unknown, GuardedCollection>;
	/** Records of this instance's people not yet in the document, by key. */
	readonly #waiting = new Map<string, GuardedChange>();
	readonly #detach: (() => void)[] = [];
	#retry: ReturnType<typeof setInterval> | null = null;
	#closed = false;

	constructor(room: Room, options: AuthorshipOptions) {
		this.#room = room;
		this.#log = options.log;
		this.#voice = options.voice;
		this.#now = options.now ?? Date.now;
		this.#retryMs = options.retryMs ?? 2_000;
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
				doc.on('afterTransaction', this.#onTransaction);
				this.#authorship.observe(this.#onRecorded);
				this.#detach.push(
					() => doc.off('afterTransaction', this.#onTransaction),
					() => this.#authorship.unobserve(this.#onRecorded),
					room.onRemoteAuthorship(this.#onForwarded),
					this.#voice.onChange((speaking) => {
						if (speaking) this.#flushWaiting();
					})
				);
			},
			// A document that failed to load takes no changes to record; the registry logs why.
			() => {}
		);
	}

	close(): void {
		this.#closed = true;
		if (this.#retry) clearInterval(this.#retry);
		for (const detach of this.#detach.splice(0)) detach();
	}

	readonly #onTransaction = (tr: Y.Transaction): void => {
		const peer = this.#room.peerOf(tr.origin);
		if (!peer) return;
		const changes = this.#guardedChanges(tr, peer);
		if (changes.length === 0) return;
		// After this transaction has been stored and relayed, as a change of its own.
		queueMicrotask(() => {
			if (this.#closed || this.#room.state === 'closed') return;
			for (const change of changes) this.#wait(change);
			this.#flushWaiting();
		});
	};

	#wait(change: GuardedChange): void {
		const key = keyOfChange(change);
		this.#waiting.delete(key);
		this.#waiting.set(key, change);
		if (this.#waiting.size > MAX_WAITING_RECORDS) {
			const oldest = this.#waiting.keys().next().value!;
			this.#waiting.delete(oldest);
			this.#log.warn("dropped an authorship record the board's speaker never wrote", {
				key: oldest
			});
		}
	}

	/** Writes the waiting records when this instance speaks, else hands them to the speaker. */
	#flushWaiting(): void {
		if (this.#closed || this.#waiting.size === 0) return;
		if (this.#write([...this.#waiting.values()])) return;
		const records = [...this.#waiting.values()];
		for (let i = 0; i < records.length; i += MAX_RECORDS_PER_MESSAGE) {
			this.#room.forwardAuthorship(JSON.stringify(records.slice(i, i + MAX_RECORDS_PER_MESSAGE)));
		}
		if (!this.#retry) {
			this.#retry = setInterval(() => {
				if (this.#waiting.size === 0 && this.#retry) {
					clearInterval(this.#retry);
					this.#retry = null;
				}
				this.#flushWaiting();
			}, this.#retryMs);
			this.#retry.unref();
		}
	}

	/**
	 * Writes `changes` as the board's speaker, skipping a record older than the one stored for
	 * its key; false (nothing written) when this instance does not speak for the board.
	 */
	#write(changes: GuardedChange[]): boolean {
		const origin = this.#voice.origin('recordAuthorship');
		if (origin === null || this.#room.state !== 'open') return false;
		this.#room.doc.transact(() => {
			for (const change of changes) {
				const key = keyOfChange(change);
				const stored = GuardedChange.safeParse(this.#authorship.get(key));
				if (!(stored.success && stored.data.at > change.at)) {
					this.#authorship.set(key, { ...change, roles: [...change.roles] });
				}
				// Written, or a later record holds the key: either way no longer waiting.
				if (this.#waiting.get(key) === change) this.#waiting.delete(key);
			}
		}, origin);
		return true;
	}

	/** Records another instance's people caused, handed to this instance as the speaker. */
	readonly #onForwarded = (json: string): void => {
		let records: unknown[];
		try {
			records = ForwardedRecords.parse(JSON.parse(json));
		} catch (error) {
			this.#log.warn('ignored malformed authorship records from another instance', { error });
			return;
		}
		const changes = records.flatMap((record) => {
			const change = GuardedChange.safeParse(record);
			return change.success ? [change.data] : [];
		});
		// Not the speaker (any more): the sender hands them again to whoever is.
		if (changes.length > 0) this.#write(changes);
	};

	/** A waiting record is done once the document holds it, or a later one for its key. */
	readonly #onRecorded = (event: Y.YMapEvent<unknown>): void => {
		if (this.#waiting.size === 0) return;
		for (const key of event.keysChanged) {
			const waiting = this.#waiting.get(key);
			if (!waiting) continue;
			const stored = GuardedChange.safeParse(this.#authorship.get(key));
			if (stored.success && stored.data.at >= waiting.at) this.#waiting.delete(key);
		}
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
}

/** Whether `item` was inserted by transaction `tr` (a new entity: creating it needs no role). */
function createdIn(tr: Y.Transaction, item: Y.Item): boolean {
	return item.id.clock >= (tr.beforeState.get(item.id.client) ?? 0);
}
