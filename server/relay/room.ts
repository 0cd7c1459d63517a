/**
 * One document in memory and the peers connected to it. A room loads its document from the
 * store before answering anyone, stores every change before relaying it (so no peer ever sees
 * an update a crash could lose), relays presence, and compacts its log in the background.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Role } from '../../src/lib/domain/schema';
import type { CloseCode } from '../../src/lib/contract/close';
import type { TransactionOrigin } from '../../src/lib/sync/layout';
import { META_KEY } from '../../src/lib/sync/layout';
import {
	UpdateChecker,
	type ClosedRoots,
	type DecodedUpdate
} from '../../src/lib/sync/shape/check-update';
import {
	DEFAULT_SHAPE_LIMITS,
	describeViolation,
	type ShapeLimits,
	type Violation
} from '../../src/lib/sync/shape/contract';
import { applyRefused } from '../../src/lib/sync/shape/refusal';
import type { Logger } from '../log';
import { FencedOutError, StoreUnavailableError, type DocumentStore } from '../store/store';
import { SERVER_AUTHOR } from '../store/validate';
import { fenceOf } from '../validation/origin';
import { AppliedSeqs } from './applied-seqs';
import { documentKind, parseDocumentName } from './document-name';
import type { Fanout, FanoutRoom, RoomChannel } from './fanout';
import {
	encodeAwareness,
	encodePermissionDenied,
	encodeSyncStep1,
	encodeSyncStep2,
	encodeUpdate,
	ProtocolError,
	type Frame
} from './protocol';

/** Who is behind a connection, as their signed session says. */
export interface PeerPerson {
	readonly id: string;
	readonly name: string;
	readonly roles: readonly Role[];
}

/** A connected client, as the room sees it. */
export interface Peer {
	readonly id: string;
	/** The person this connection speaks for; the author of its changes. */
	readonly person: PeerPerson;
	/** Whether the peer's document changes are accepted; read-only peers still receive all. */
	readonly canWrite: boolean;
	/** Whether it may change the board's settings (`meta`): the admin only, else refused. */
	readonly canChangeSettings: boolean;
	/** Sends one encoded frame; the same buffer may go to many peers. */
	send(frame: Uint8Array): void;
	/** Closes the connection for one of the contract's reasons, with its sentence unless given. */
	close(code: CloseCode, sentence?: string): void;
}

export interface RoomEvents {
	/** Changes (`changes` of them, merged into `update`) were stored and relayed. */
	relayed(room: Room, update: Uint8Array, recipients: number, changes: number): void;
	/** Time from a change to its durable append, in seconds. */
	persisted(room: Room, seconds: number): void;
	/** The store refused a change: the room drops everyone and reloads from the store. */
	storeFailed(room: Room, error: unknown): void;
	/** A peer's update broke the document contract and entered as tombstones only. */
	refused(room: Room, violation: Violation): void;
}

/** Commits a syncing peer waits for, at most, before it is answered with what is there. */
const MAX_SYNC_WAITS = 3;

/** Origin of the transactions that load stored updates: they are not stored again. */
export const PERSISTENCE_ORIGIN: TransactionOrigin = {
	kind: 'persistence',
	actorId: null,
	intent: 'load'
};

/**
 * Origin of the transactions that apply updates another instance stored (or that a catch-up read
 * from the store): relayed to this room's peers, never stored or published again.
 */
export const REMOTE_ORIGIN: TransactionOrigin = {
	kind: 'remote',
	actorId: null,
	intent: 'fanout'
};

/** Whether a transaction brought changes the store already holds: loaded, or stored elsewhere. */
export function isStoredChange(origin: unknown): boolean {
	return origin === PERSISTENCE_ORIGIN || origin === REMOTE_ORIGIN;
}

/** Origin of presence changes another instance published. */
class RemotePresence {
	constructor(readonly instance: string) {}
}

/** Origin of the transaction that lets a refused update in as tombstones. */
type RefusalOrigin = TransactionOrigin & { kind: 'server-repair' };

export type RoomState = 'loading' | 'open' | 'closing' | 'closed';

export interface RoomOptions {
	store: DocumentStore;
	log: Logger;
	events?: Partial<RoomEvents>;
	/** Fold the log into a snapshot after this many appends. */
	compactEvery?: number;
	/** Bounds of the document contract enforced on every peer's update. */
	shapeLimits?: ShapeLimits;
	/** The other instances serving this document; none: this instance is alone. */
	fanout?: Fanout;
	/** How long a missing sequence number may be in flight before the store is read, ms. */
	gapWaitMs?: number;
}

/** What a writer who is not the board's admin may not change, and why. */
const SETTINGS_CLOSED: ClosedRoots = new Map([
	[
		META_KEY,
		"only the board's admin changes the board's settings; ask them, or propose the change to them"
	]
]);
const NOTHING_CLOSED: ClosedRoots = new Map();
/**
 * A check of one peer's update beyond the document's shape, e.g. that a comment is changed by its
 * author only: the problem, or null to let it in.
 */
export type UpdateVetter = (peer: Peer, decoded: DecodedUpdate) => Violation | null;

/** Refused updates a connection may send before it is closed. */
export const MAX_REFUSED_UPDATES = 3;
/** Updates of one connection that may wait for changes it has not sent yet. */
export const MAX_WAITING_UPDATES = 64;

/** An update that builds on changes the document has not received yet. */
interface WaitingUpdate {
	peer: Peer;
	update: Uint8Array;
	decoded: DecodedUpdate;
}

export class Room implements FanoutRoom {
	readonly name: string;
	readonly doc = new Y.Doc();
	readonly awareness: awarenessProtocol.Awareness;
	/** Resolves once the stored document is in memory; rejects if the store cannot load it. */
	readonly loaded: Promise<void>;
	state: RoomState = 'loading';

	readonly #store: DocumentStore;
	readonly #log: Logger;
	readonly #events: Partial<RoomEvents>;
	readonly #compactEvery: number;
	/** Each peer and the awareness client ids it controls. */
	readonly #peers = new Map<Peer, Set<number>>();
	/** Server-side holders (e.g. the board validator) that keep the room loaded. */
	#holds = 0;
	/** Appends and broadcasts run in this chain, so peers see changes in the order applied. */
	#chain: Promise<void> = Promise.resolve();
	/** Presence changes waiting for the end of the tick. */
	readonly #presenceChanged = new Set<number>();
	#presenceFlush: ReturnType<typeof setImmediate> | null = null;
	/** Changes applied but not yet relayed, each with its pending append. */
	#pending: { update: Uint8Array; origin: unknown; at: number; stored: Promise<number> }[] = [];
	/** Changes applied to the document and not yet durable (pending or being stored). */
	#unstored = 0;
	/** The store's sequence numbers this document holds (its own appends and the others'). */
	#applied = new AppliedSeqs();
	readonly #channel: RoomChannel | null;
	readonly #gapWaitMs: number;
	#gapTimer: ReturnType<typeof setTimeout> | null = null;
	#catchingUp: Promise<void> | null = null;
	#catchUpAgain = false;
	/** Awareness clients of other instances' peers, with the instance they are on. */
	readonly #remoteClients = new Map<number, string>();
	/** Presence changes of this instance's peers waiting to be published. */
	readonly #presenceToPublish = new Set<number>();
	/** The full state as last encoded for a newcomer; dropped by every change. */
	#encodedState: Uint8Array | null = null;
	#appendsSinceSnapshot = 0;
	#compacting = false;
	#onIdle: (room: Room) => void = () => {};
	readonly #checker: UpdateChecker;
	readonly #waiting: WaitingUpdate[] = [];
	readonly #refusals = new Map<Peer, number>();
	readonly #vetters = new Set<UpdateVetter>();
	#authorshipListener: ((records: string) => void) | null = null;

	constructor(name: string, options: RoomOptions) {
		this.name = name;
		this.#store = options.store;
		this.#log = options.log.child({ room: name });
		this.#events = options.events ?? {};
		this.#compactEvery = options.compactEvery ?? 500;
		const address = parseDocumentName(name);
		this.#checker = new UpdateChecker(
			this.doc,
			'error' in address ? 'board' : documentKind(address),
			options.shapeLimits ?? DEFAULT_SHAPE_LIMITS
		);
		this.awareness = new awarenessProtocol.Awareness(this.doc);
		// The server has no presence of its own.
		this.awareness.setLocalState(null);
		this.doc.on('update', this.#onDocUpdate);
		this.awareness.on('update', this.#onAwarenessUpdate);
		this.#gapWaitMs = options.gapWaitMs ?? 500;
		this.#channel = options.fanout?.open(this) ?? null;
		this.loaded = this.#load();
	}

	/**
	 * Adds a check every peer's update passes after the shape check; a problem refuses the update
	 * whole, as a shape violation does. Returns the function that removes it.
	 */
	vet(vetter: UpdateVetter): () => void {
		this.#vetters.add(vetter);
		return () => this.#vetters.delete(vetter);
	}

	/** Called when the last peer and holder are gone (set by the registry). */
	set onIdle(handler: (room: Room) => void) {
		this.#onIdle = handler;
	}

	get idle(): boolean {
		return this.#peers.size === 0 && this.#holds === 0;
	}

	/** Keeps the room loaded without a peer; call the returned function to let go. */
	hold(): () => void {
		this.#holds++;
		let released = false;
		return () => {
			if (released) return;
			released = true;
			this.#holds--;
			if (this.idle) this.#onIdle(this);
		};
	}

	/** Adds a peer; once loaded it receives the server's state vector and everyone's presence. */
	join(peer: Peer): void {
		this.#peers.set(peer, new Set());
		void this.loaded.then(
			() => {
				if (!this.#peers.has(peer)) return;
				peer.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
				const states = [...this.awareness.getStates().keys()];
				if (states.length > 0) {
					peer.send(
						encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states))
					);
				}
			},
			() => peer.close('load-failed')
		);
	}

	/** The peer a transaction came from, when its origin is one of this room's connections. */
	peerOf(origin: unknown): Peer | undefined {
		return this.#peers.has(origin as Peer) ? (origin as Peer) : undefined;
	}

	/** Removes a peer and its presence. */
	leave(peer: Peer): void {
		const clients = this.#peers.get(peer);
		if (!clients) return;
		this.#peers.delete(peer);
		this.#refusals.delete(peer);
		for (let i = this.#waiting.length - 1; i >= 0; i--) {
			if (this.#waiting[i]!.peer === peer) this.#waiting.splice(i, 1);
		}
		if (clients.size > 0) {
			awarenessProtocol.removeAwarenessStates(this.awareness, [...clients], null);
		}
		if (this.idle) this.#onIdle(this);
	}

	/** Handles one decoded frame from a peer of this (loaded) room. Throws ProtocolError. */
	receive(peer: Peer, frame: Frame): void {
		switch (frame.type) {
			case 'sync-step1': {
				let newcomer: boolean;
				try {
					newcomer = this.#newcomer(frame.stateVector);
				} catch (error) {
					throw new ProtocolError(`malformed state vector (${messageOf(error)})`);
				}
				const answer = () => {
					if (!this.#peers.has(peer) || this.state === 'closed') return;
					peer.send(
						encodeSyncStep2(
							newcomer ? this.#fullState() : Y.encodeStateAsUpdate(this.doc, frame.stateVector)
						)
					);
				};
				// What is still being stored is nobody's yet: answer once it is. Should the store fail
				// it, the room closes and the peer reconnects to what was stored, holding nothing else
				// (else its next sync would send back the server's unstored writes, refused whole).
				// Under a steady stream of changes, a few commits' wait at most.
				let waits = 0;
				const whenStored = () => {
					if (this.#unstored === 0 || waits++ >= MAX_SYNC_WAITS) answer();
					else void this.#chain.then(whenStored);
				};
				whenStored();
				return;
			}
			case 'sync-step2':
			case 'update':
				if (!peer.canWrite) {
					this.#deny(peer, frame.update);
					return;
				}
				this.#applyFromPeer(peer, frame.update);
				return;
			case 'awareness':
				try {
					awarenessProtocol.applyAwarenessUpdate(this.awareness, frame.update, peer);
				} catch (error) {
					throw new ProtocolError(`malformed awareness update (${messageOf(error)})`);
				}
				return;
			case 'query-awareness': {
				const states = [...this.awareness.getStates().keys()];
				peer.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)));
				return;
			}
		}
	}

	/** Whether a state vector knows nothing yet: a browser opening the board for the first time. */
	#newcomer(stateVector: Uint8Array): boolean {
		return Y.decodeStateVector(stateVector).size === 0;
	}

	/**
	 * The whole document, encoded once for every newcomer until the next change: when a team
	 * opens a large board at the start of a standup, the server encodes it once, not per person.
	 */
	#fullState(): Uint8Array {
		this.#encodedState ??= Y.encodeStateAsUpdate(this.doc);
		return this.#encodedState;
	}

	/** Resolves when every change so far is stored (and relayed). */
	flush(): Promise<void> {
		return this.#chain;
	}

	/**
	 * Stores a snapshot and releases memory. The caller has checked the room is idle; if a peer
	 * or holder arrives meanwhile, the room stays open instead.
	 */
	async close(): Promise<boolean> {
		if (this.state === 'closed') return true;
		this.state = 'closing';
		// A document that failed to load has nothing to store (the registry logged why), and it
		// closes even if someone arrived meanwhile: they were refused, and the next connection
		// gets a new room that tries the store again.
		const loaded = await this.loaded.then(
			() => true,
			() => false
		);
		if (loaded) {
			try {
				await this.flush();
				if (this.#appendsSinceSnapshot > 0) await this.#compact();
			} catch (error) {
				this.#log.error('closing the room failed; its log stays uncompacted', { error });
			}
			if (!this.idle) {
				this.state = 'open';
				return false;
			}
		}
		this.state = 'closed';
		this.#release();
		return true;
	}

	async #load(): Promise<void> {
		// Subscribed first: an update another instance stores after the load still reaches us.
		if (this.#channel) await this.#channel.ready;
		const stored = await this.#store.load(this.name);
		// One transaction per stored update, as they were first applied (nothing observes the
		// document yet). A log holding a deeply nested structure and the repair that removed it
		// bottom-up, slice by slice, then replays those slices: in a single transaction Yjs would
		// garbage-collect the whole structure at once, recursively, past the stack's depth.
		for (const update of stored.updates) Y.applyUpdate(this.doc, update, PERSISTENCE_ORIGIN);
		this.#applied.addThrough(stored.lastSeq);
		this.#appendsSinceSnapshot = Math.max(0, stored.updates.length - 1);
		if (this.state === 'loading') this.state = 'open';
	}

	/**
	 * Drops a read-only peer's change and tells it so. The official client answers every sync
	 * step 1 with a step 2, usually empty: an empty one changes nothing and is not answered.
	 */
	#deny(peer: Peer, update: Uint8Array): void {
		let empty: boolean;
		try {
			const { structs, ds } = Y.decodeUpdate(update);
			empty = structs.length === 0 && ds.clients.size === 0;
		} catch (error) {
			throw new ProtocolError(`update rejected by Yjs (${messageOf(error)})`);
		}
		if (!empty) {
			peer.send(encodePermissionDenied('you may read this document but not change it'));
		}
	}

	/**
	 * The write boundary: an update is checked against the document contract before it touches
	 * the document. A refused one enters as tombstones (see shape/refusal.ts) and its sender is
	 * told why; one that builds on changes not received yet waits for them.
	 */
	#applyFromPeer(peer: Peer, update: Uint8Array): void {
		let decoded: DecodedUpdate;
		try {
			decoded = Y.decodeUpdate(update);
		} catch (error) {
			throw new ProtocolError(`update rejected by Yjs (${messageOf(error)})`);
		}
		if (this.#settle({ peer, update, decoded })) {
			this.#retryWaiting();
			return;
		}
		const waiting = this.#waiting.filter((entry) => entry.peer === peer).length;
		if (waiting >= MAX_WAITING_UPDATES) {
			throw new ProtocolError(
				`${waiting} updates wait for changes this connection never sent; reconnect to resync`
			);
		}
		this.#waiting.push({ peer, update, decoded });
	}

	/** Applies or refuses an update; false when it must wait for changes not received yet. */
	#settle({ peer, update, decoded }: WaitingUpdate): boolean {
		const closed = peer.canChangeSettings ? NOTHING_CLOSED : SETTINGS_CLOSED;
		const verdict = this.#checker.check(decoded, update.byteLength, closed);
		switch (verdict.kind) {
			case 'wait':
				return false;
			case 'malformed':
				throw new ProtocolError(`update rejected: ${verdict.reason}`);
			case 'refuse':
				this.#refuse(peer, decoded, verdict.violation);
				return true;
			case 'accept': {
				for (const vetter of this.#vetters) {
					const violation = vetter(peer, decoded);
					if (violation) {
						this.#refuse(peer, decoded, violation);
						return true;
					}
				}
				try {
					Y.applyUpdate(this.doc, update, peer);
				} catch (error) {
					throw new ProtocolError(`update could not be applied (${messageOf(error)})`);
				}
				return true;
			}
		}
	}

	/** Settles the waiting updates that can be settled now, until none can. */
	#retryWaiting(): void {
		let progress = this.#waiting.length > 0;
		while (progress) {
			progress = false;
			for (const entry of [...this.#waiting]) {
				let settled: boolean;
				try {
					settled = this.#settle(entry);
				} catch (error) {
					settled = true;
					entry.peer.close('malformed-message', messageOf(error));
				}
				if (!settled) continue;
				this.#waiting.splice(this.#waiting.indexOf(entry), 1);
				progress = true;
			}
		}
	}

	#refuse(peer: Peer, decoded: DecodedUpdate, violation: Violation): void {
		const reason = describeViolation(violation);
		this.#log.warn('refused an update that breaks the document contract', {
			person: peer.person.id,
			code: violation.code,
			reason
		});
		this.#events.refused?.(this, violation);
		const origin: RefusalOrigin = {
			kind: 'server-repair',
			actorId: peer.person.id,
			intent: 'refuseUpdate'
		};
		try {
			applyRefused(this.doc, decoded, origin);
		} catch (error) {
			throw new ProtocolError(`update could not be refused cleanly (${messageOf(error)})`);
		}
		peer.send(encodePermissionDenied(reason));
		const refusals = (this.#refusals.get(peer) ?? 0) + 1;
		this.#refusals.set(peer, refusals);
		if (refusals >= MAX_REFUSED_UPDATES) {
			// After the tombstones reached it: its copy drops the refused content before it goes.
			void this.flush().then(() =>
				peer.close('too-many-refusals', `${refusals} updates refused; last: ${reason}`)
			);
		}
	}

	/** Every change not loaded from the store is stored, then relayed to the other peers. */
	readonly #onDocUpdate = (update: Uint8Array, origin: unknown): void => {
		this.#encodedState = null;
		if (origin === PERSISTENCE_ORIGIN) return;
		if (origin === REMOTE_ORIGIN) {
			this.#relayRemote(update);
			return;
		}
		const at = performance.now();
		// Changes of a connection are its person's; any other origin is the server itself.
		const author = this.peerOf(origin)?.person.id ?? SERVER_AUTHOR;
		// A write made under the board's lease is stored only while the lease is still ours.
		const stored = this.#store.append(this.name, update, author, null, fenceOf(origin));
		this.#unstored++;
		this.#pending.push({ update, origin, at, stored });
		if (this.#pending.length === 1) {
			this.#chain = this.#chain.then(() => this.#relayPending());
		}
	};

	/**
	 * Relays the changes stored so far, in the order they were applied. Changes that became
	 * durable together (one group commit) go out as one merged update: one frame per peer
	 * instead of one per change, which is what keeps fan-out cheap under load.
	 */
	async #relayPending(): Promise<void> {
		// Changes that arrive while this batch is being stored form the next one.
		const batch = this.#pending.splice(0);
		if (batch.length === 0 || this.state === 'closed') return;
		const seqs: number[] = [];
		try {
			for (const item of batch) seqs.push(await item.stored);
		} catch (error) {
			this.#failStore(error);
			return;
		}
		this.#unstored -= batch.length;
		// Stored: now the other instances may have it too, and so may this room's peers.
		for (const [index, seq] of seqs.entries()) {
			this.#applied.add(seq);
			this.#channel?.publishUpdate(seq, batch[index]!.update);
		}
		this.#watchGaps();
		const durable = performance.now();
		for (const item of batch) this.#events.persisted?.(this, (durable - item.at) / 1000);
		const update =
			batch.length === 1 ? batch[0]!.update : Y.mergeUpdates(batch.map((item) => item.update));
		const message = encodeUpdate(update);
		// Everyone gets the batch in one frame; a peer whose own changes are in it gets the rest
		// (nothing, when the batch is entirely its own): no echo for the client to decode.
		const origins = new Set(batch.map((item) => item.origin));
		let recipients = 0;
		for (const peer of this.#peers.keys()) {
			if (!origins.has(peer)) {
				peer.send(message);
				recipients++;
				continue;
			}
			const others = batch.filter((item) => item.origin !== peer);
			if (others.length === 0) continue;
			peer.send(
				encodeUpdate(
					others.length === 1
						? others[0]!.update
						: Y.mergeUpdates(others.map((item) => item.update))
				)
			);
			recipients++;
		}
		this.#events.relayed?.(this, update, recipients, batch.length);
		this.#appendsSinceSnapshot += batch.length;
		if (this.#appendsSinceSnapshot >= this.#compactEvery) void this.#compact();
	}

	readonly #onAwarenessUpdate = (
		{ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
		origin: unknown
	): void => {
		const clients = this.#peers.get(origin as Peer);
		if (clients) {
			for (const id of [...added, ...updated]) clients.add(id);
			for (const id of removed) clients.delete(id);
		}
		// Removed however it went (a message, the 30 s timeout): no longer another instance's.
		for (const id of removed) this.#remoteClients.delete(id);
		if (origin instanceof RemotePresence) {
			for (const id of [...added, ...updated]) this.#remoteClients.set(id, origin.instance);
		} else if (clients || origin === null) {
			// This instance's own peers (null: one left): the other instances hear of it. Changes
			// from elsewhere are not published again, and each instance times out states itself.
			for (const id of [...added, ...updated, ...removed]) this.#presenceToPublish.add(id);
		}
		for (const id of [...added, ...updated, ...removed]) this.#presenceChanged.add(id);
		this.#presenceFlush ??= setImmediate(this.#relayPresence);
	};

	/**
	 * Presence changes of one tick go out together: with 200 people moving cursors, one frame
	 * per peer per tick instead of one per cursor move, and no added delay.
	 */
	readonly #relayPresence = (): void => {
		this.#presenceFlush = null;
		const changed = [...this.#presenceChanged];
		this.#presenceChanged.clear();
		if (changed.length === 0 || this.state === 'closed') return;
		const message = encodeAwareness(
			awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)
		);
		for (const peer of this.#peers.keys()) peer.send(message);
		this.#publishPresence();
	};

	/** Publishes the presence changes of this instance's peers (one message per tick). */
	#publishPresence(): void {
		const own = [...this.#presenceToPublish];
		this.#presenceToPublish.clear();
		if (own.length === 0 || !this.#channel) return;
		this.#channel.publishAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, own));
	}

	/** Relays an update another instance stored (or a catch-up found) to this room's peers. */
	#relayRemote(update: Uint8Array): void {
		const message = encodeUpdate(update);
		let recipients = 0;
		for (const peer of this.#peers.keys()) {
			peer.send(message);
			recipients++;
		}
		this.#events.relayed?.(this, update, recipients, 1);
	}

	applyRemote(seq: number, update: Uint8Array): void {
		if (this.state === 'loading') {
			// Numbers the load brings are skipped once it is done.
			void this.loaded.then(
				() => this.applyRemote(seq, update),
				() => {}
			);
			return;
		}
		if (this.state === 'closed' || this.#applied.has(seq)) return;
		try {
			Y.applyUpdate(this.doc, update, REMOTE_ORIGIN);
		} catch (error) {
			// Left missing: the gap is filled from the store.
			this.#log.warn('an update from another instance could not be applied', { seq, error });
			return;
		}
		this.#applied.add(seq);
		this.#watchGaps();
	}

	applyRemoteAwareness(update: Uint8Array, instance: string): void {
		if (this.state === 'closed') return;
		try {
			awarenessProtocol.applyAwarenessUpdate(this.awareness, update, new RemotePresence(instance));
		} catch (error) {
			this.#log.warn('presence from another instance could not be applied', { instance, error });
		}
	}

	localAwareness(): Uint8Array | null {
		if (this.state === 'closed') return null;
		const states = this.awareness.getStates();
		const own = [...this.#peers.values()].flatMap((clients) =>
			[...clients].filter((id) => states.has(id))
		);
		return own.length > 0 ? awarenessProtocol.encodeAwarenessUpdate(this.awareness, own) : null;
	}

	/**
	 * Receives the authorship records other instances forward to the board's voice (see
	 * AuthorshipRecorder); returns the function that stops it.
	 */
	onRemoteAuthorship(listener: (records: string) => void): () => void {
		this.#authorshipListener = listener;
		return () => {
			if (this.#authorshipListener === listener) this.#authorshipListener = null;
		};
	}

	applyRemoteAuthorship(records: string): void {
		if (this.state !== 'open') return;
		this.#authorshipListener?.(records);
	}

	/**
	 * Hands authorship records (JSON) to whichever instance speaks for the board; false when
	 * there is no bus to hand them over (alone, or Redis is down).
	 */
	forwardAuthorship(records: string): boolean {
		if (!this.#channel?.connected) return false;
		this.#channel.publishAuthorship(records);
		return true;
	}

	dropInstance(instance: string): void {
		if (this.state === 'closed') return;
		const gone = [...this.#remoteClients].filter(([, on]) => on === instance).map(([id]) => id);
		if (gone.length === 0) return;
		awarenessProtocol.removeAwarenessStates(this.awareness, gone, new RemotePresence(instance));
	}

	/**
	 * A missing number may still be in flight (another instance's append acknowledged after one
	 * of ours); if it is still missing after a while, the store has it. While the bus is down,
	 * gaps wait: the catch-up when it is back fills them all.
	 */
	#watchGaps(): void {
		if (!this.#channel || this.#gapTimer || !this.#applied.hasGap) return;
		this.#gapTimer = setTimeout(() => {
			this.#gapTimer = null;
			if (!this.#applied.hasGap || !this.#channel?.connected) return;
			void this.catchUp(`missing seq ${this.#applied.missing(3).join(', ')}`);
		}, this.#gapWaitMs);
		this.#gapTimer.unref();
	}

	catchUp(reason: string): Promise<void> {
		if (this.#catchingUp) {
			// A read already under way may have started before what this call is about.
			this.#catchUpAgain = true;
			return this.#catchingUp;
		}
		this.#catchingUp = this.#readStore(reason).finally(() => {
			this.#catchingUp = null;
		});
		return this.#catchingUp;
	}

	async #readStore(reason: string): Promise<void> {
		do {
			this.#catchUpAgain = false;
			try {
				await this.loaded;
				if (this.state === 'closed') return;
				const stored = await this.#store.load(this.name);
				if ((this.state as RoomState) === 'closed') return;
				const before = this.#applied.contiguous;
				// Yjs applies what the document already holds as a no-op: only the missing parts
				// change it, and only they are relayed.
				for (const update of stored.updates) Y.applyUpdate(this.doc, update, REMOTE_ORIGIN);
				this.#applied.addThrough(stored.lastSeq);
				this.#log.debug('caught up from the store', {
					reason,
					from: before,
					through: stored.lastSeq
				});
			} catch (error) {
				this.#log.warn('catching up from the store failed; retrying on the next gap', {
					reason,
					error
				});
				return;
			}
		} while (this.#catchUpAgain);
		this.#watchGaps();
	}

	/** Frees the document and presence of a closed room. */
	#release(): void {
		if (this.#presenceFlush) clearImmediate(this.#presenceFlush);
		this.#presenceFlush = null;
		// The last peer's departure, not yet told to the other instances.
		this.#publishPresence();
		if (this.#gapTimer) clearTimeout(this.#gapTimer);
		this.#gapTimer = null;
		this.#channel?.close();
		this.doc.off('update', this.#onDocUpdate);
		this.#encodedState = null;
		this.awareness.destroy();
		this.doc.destroy();
	}

	/** Folds the log into a snapshot of the document as it is now. */
	async #compact(): Promise<void> {
		// Only through what the document holds without a gap: with several instances appending,
		// a higher number of its own may lie above another instance's update not received yet.
		const throughSeq = this.#applied.contiguous;
		if (this.#compacting || this.state === 'closed' || throughSeq < 1) return;
		this.#compacting = true;
		const counted = this.#appendsSinceSnapshot;
		try {
			// Every stored update up to throughSeq is in the document, so this snapshot covers them.
			await this.#store.compact(this.name, Y.encodeStateAsUpdate(this.doc), throughSeq);
			this.#appendsSinceSnapshot -= counted;
		} catch (error) {
			this.#log.warn('compaction failed; the log keeps growing until it succeeds', { error });
		} finally {
			this.#compacting = false;
		}
	}

	/**
	 * The store refused a change this room already applied in memory: the memory copy is no
	 * longer what is stored. Everyone is disconnected (they resync on reconnect, re-sending what
	 * they hold) and the room closes without compacting, so the next load reads the store.
	 */
	#failStore(error: unknown): void {
		if (this.state === 'closed') return;
		// An outage is expected to pass (people are told the board cannot save); a refusal is a bug.
		if (error instanceof FencedOutError) {
			// Another instance speaks for the board now: this copy holds a write nobody else has.
			this.#log.warn('lost the lease of this board; reloading it from the store', { error });
		} else if (error instanceof StoreUnavailableError) {
			this.#log.warn('the store is unavailable; disconnecting everyone until it is back', {
				error
			});
		} else {
			this.#log.error('the store refused a change; disconnecting everyone to resync', { error });
		}
		this.#events.storeFailed?.(this, error);
		this.state = 'closed';
		this.#appendsSinceSnapshot = 0;
		for (const peer of [...this.#peers.keys()]) {
			peer.close('store-failed');
		}
		this.#peers.clear();
		this.#release();
		this.#onIdle(this);
	}
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
