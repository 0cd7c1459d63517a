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
import type { DocumentStore } from '../store/store';
import { SERVER_AUTHOR } from '../store/validate';
import { documentKind, parseDocumentName } from './document-name';
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

/** Origin of the transactions that load stored updates: they are not stored again. */
export const PERSISTENCE_ORIGIN: TransactionOrigin = {
	kind: 'persistence',
	actorId: null,
	intent: 'load'
};

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

export class Room {
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
	#lastSeq = 0;
	/**
	 * Whether the document holds every stored update up to #lastSeq. Another writer of the same
	 * store (another server instance on PostgreSQL, another process on the SQLite file) shows as
	 * a gap in the seqs this room's appends get: its updates are stored but not in this
	 * document, so a snapshot of this document must not replace them. Until the room is loaded
	 * again, it stops compacting.
	 */
	#holdsEveryStoredUpdate = true;
	/** The full state as last encoded for a newcomer; dropped by every change. */
	#encodedState: Uint8Array | null = null;
	#appendsSinceSnapshot = 0;
	#compacting = false;
	#onIdle: (room: Room) => void = () => {};
	readonly #checker: UpdateChecker;
	readonly #waiting: WaitingUpdate[] = [];
	readonly #refusals = new Map<Peer, number>();
	readonly #vetters = new Set<UpdateVetter>();

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
				let diff: Uint8Array;
				try {
					diff = this.#newcomer(frame.stateVector)
						? this.#fullState()
						: Y.encodeStateAsUpdate(this.doc, frame.stateVector);
				} catch (error) {
					throw new ProtocolError(`malformed state vector (${messageOf(error)})`);
				}
				peer.send(encodeSyncStep2(diff));
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
		const stored = await this.#store.load(this.name);
		// One transaction per stored update, as they were first applied (nothing observes the
		// document yet). A log holding a deeply nested structure and the repair that removed it
		// bottom-up, slice by slice, then replays those slices: in a single transaction Yjs would
		// garbage-collect the whole structure at once, recursively, past the stack's depth.
		for (const update of stored.updates) Y.applyUpdate(this.doc, update, PERSISTENCE_ORIGIN);
		this.#lastSeq = stored.lastSeq;
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
		const at = performance.now();
		// Changes of a connection are its person's; any other origin is the server itself.
		const author = this.peerOf(origin)?.person.id ?? SERVER_AUTHOR;
		const stored = this.#store.append(this.name, update, author);
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
		try {
			for (const item of batch) {
				const seq = await item.stored;
				if (seq !== this.#lastSeq + 1 && this.#holdsEveryStoredUpdate) {
					this.#holdsEveryStoredUpdate = false;
					this.#log.info(
						'another writer appended to this document; compaction waits for a reload',
						{
							expectedSeq: this.#lastSeq + 1,
							seq
						}
					);
				}
				this.#lastSeq = seq;
			}
		} catch (error) {
			this.#failStore(error);
			return;
		}
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
	};

	/** Frees the document and presence of a closed room. */
	#release(): void {
		if (this.#presenceFlush) clearImmediate(this.#presenceFlush);
		this.#presenceFlush = null;
		this.doc.off('update', this.#onDocUpdate);
		this.#encodedState = null;
		this.awareness.destroy();
		this.doc.destroy();
	}

	/** Folds the log into a snapshot of the document as it is now. */
	async #compact(): Promise<void> {
		if (this.#compacting || this.state === 'closed' || !this.#holdsEveryStoredUpdate) return;
		this.#compacting = true;
		const throughSeq = this.#lastSeq;
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
		this.#log.error('the store refused a change; disconnecting everyone to resync', { error });
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
