/**
 * A lean y-websocket client for load generation: one `ws` socket and one Y.Doc per simulated
 * person, speaking the wire protocol directly (sync step 1/2, updates, awareness) the way the
 * official y-websocket client does, minus its reconnect loop, BroadcastChannel and timers, so a
 * few hundred of them fit in one process next to the server on a 2-core machine.
 *
 * Writers set their own key of the `bench` Y.Map to `{ s: seq, t: send time, ph: phase }`.
 * Every client counts the edits that reach it by their Yjs id (writer's client id and clock),
 * read from the update without applying it, so the count is exact even if a relay merges
 * updates. A *measuring* client also applies every update to its Y.Doc, like a browser, and
 * records `receive time − t` from what its map shows. Applying costs grow with the number of
 * writers in a document (Yjs computes a state vector per transaction), so a scenario with
 * hundreds of writers measures latency on a sample of clients while the others only count:
 * the server does the same work for both, since it cannot tell what a client does with a frame.
 * Send and receive times come from one process clock (`performance.timeOrigin + now()`).
 */
import * as Y from 'yjs';
import { benchStory, readEdit, writeEdit, type Edit } from './story';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { WebSocket, type RawData } from 'ws';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_AUTH = 2;
const MESSAGE_QUERY_AWARENESS = 3;
const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

/** Wall-clock milliseconds shared by every client in this process. */
export const now = (): number => performance.timeOrigin + performance.now();

/**
 * Latency samples in a growable Float64Array: no per-sample allocation, and sorting a typed
 * array is numeric and fast even at a million samples.
 */
export class LatencyRecorder {
	private samples = new Float64Array(4096);
	length = 0;

	add(value: number): void {
		if (this.length === this.samples.length) {
			const grown = new Float64Array(this.samples.length * 2);
			grown.set(this.samples);
			this.samples = grown;
		}
		this.samples[this.length++] = value;
	}

	reset(): void {
		this.length = 0;
	}

	sorted(): Float64Array {
		return this.samples.slice(0, this.length).sort();
	}
}

/**
 * For each edit (or cursor move), the latency at the first receiver it reached: the server's own
 * path (receive, store, first send) and the network, without the generator's queueing behind
 * other receivers of the same edit. Keyed by the send time (a microsecond clock, so one edit each).
 */
export class FirstArrivals {
	private readonly first = new Map<number, number>();

	note(sentAt: number, latency: number): void {
		const known = this.first.get(sentAt);
		if (known === undefined || latency < known) this.first.set(sentAt, latency);
	}

	reset(): void {
		this.first.clear();
	}

	sorted(): Float64Array {
		return Float64Array.from(this.first.values()).sort();
	}
}

/** Where receivers count what reaches them during the current phase. */
export interface Tally {
	/** Stamped into edits and cursors; latency is recorded only for the current phase's. */
	phase: number;
	/**
	 * Per sender (Yjs client id), the first clock of the current phase: an edit or awareness
	 * update with a clock from there on belongs to this phase. Clocks only grow, so stragglers
	 * of an earlier phase fall below it.
	 */
	from: Map<number, number>;
	/** Edits (or cursor moves) received, summed over receivers. */
	delivered: number;
	latency: LatencyRecorder;
	first: FirstArrivals;
}

/** Records one receipt: its latency, and the edit's first arrival. */
function recordArrival(tally: Tally, sentAt: number, receivedAt: number): void {
	const latency = receivedAt - sentAt;
	tally.latency.add(latency);
	tally.first.note(sentAt, latency);
}

export const createTally = (): Tally => ({
	phase: -1,
	from: new Map(),
	delivered: 0,
	latency: new LatencyRecorder(),
	first: new FirstArrivals()
});

export type { Edit };

interface Cursor {
	x: number;
	y: number;
	t: number;
	ph: number;
}

const PADDING = 'Refine the incident runbook for the payment gateway escalation path';

export interface BenchClientOptions {
	/** Full socket URL: `${server.url}/${room}`. */
	url: string;
	/** Names the client in error messages. */
	label: string;
	/** Counts remote map edits; null in a presence-only scenario. */
	docTally: Tally | null;
	/** Gives the client an Awareness and counts remote cursor moves; null for no awareness. */
	awarenessTally: Tally | null;
	/** Apply what arrives to the Y.Doc / Awareness and record latency (else count only). */
	measure: boolean;
	/** Offer permessage-deflate as browsers do (the server decides). Default true. */
	perMessageDeflate?: boolean;
	/**
	 * Send every awareness change, remote ones included, back to the server, as the official
	 * y-websocket 3.1.0 client does. Off by default: it multiplies upstream presence traffic by
	 * the number of participants, which would load the generator more than the server.
	 */
	echoRemoteAwareness?: boolean;
	/**
	 * Where the latency of a receipt from `sender` (the writer's or participant's Yjs client id)
	 * is recorded, when not in `docTally` / `awarenessTally`: e.g. apart by whether sender and
	 * receiver are on the same server instance. Delivery is still counted in the main tally.
	 */
	latencyTally?: (sender: number, kind: 'doc' | 'awareness') => Tally;
	onError(message: string): void;
}

export class BenchClient {
	readonly doc = new Y.Doc();
	/**
	 * Each client edits one field of its own story, as people edit a board (docs/schema.md): the
	 * story is created before connecting, so an edit is one struct, the same for both servers.
	 */
	readonly stories: Y.Map<Y.Map<unknown>> = this.doc.getMap('stories');
	/** This client's story id. */
	readonly key = String(this.doc.clientID);
	#story: Y.Map<unknown> | null = null;
	readonly awareness: awarenessProtocol.Awareness | null;
	/** Last sequence number written, for the convergence check. */
	seq = -1;
	/** Set by the scenario's scheduler: when this client's next edit or move is due. */
	nextDue = 0;
	/** Edits or moves sent in the current phase. */
	sent = 0;
	/** Extensions the server accepted (e.g. permessage-deflate), known once open. */
	extensions = '';

	private ws: WebSocket | null = null;
	private closing = false;
	private synced = false;
	private onSynced: (() => void) | null = null;
	private readonly cursor: Cursor = { x: 0, y: 0, t: 0, ph: -1 };

	constructor(private readonly options: BenchClientOptions) {
		if (options.docTally !== null && options.measure) this.stories.observeDeep(this.onMapChange);
		if (options.awarenessTally !== null) {
			this.awareness = new awarenessProtocol.Awareness(this.doc);
			// The official client starts with user details in its state; so do we.
			this.awareness.setLocalState({ user: { name: options.label } });
			this.awareness.on('update', this.onAwarenessUpdate);
		} else {
			this.awareness = null;
		}
	}

	/** Opens the socket and resolves once the server's sync step 2 has been applied. */
	connect(timeoutMs = 15_000): Promise<void> {
		return new Promise((resolve, reject) => {
			let settled = false;
			const settle = (error: Error | null) => {
				if (settled) return;
				settled = true;
				clearTimeout(timer);
				this.onSynced = null;
				if (error === null) resolve();
				else reject(error);
			};
			const timer = setTimeout(
				() => settle(new Error(`${this.options.label}: not synced within ${timeoutMs} ms`)),
				timeoutMs
			);
			this.onSynced = () => settle(null);
			const ws = new WebSocket(this.options.url, {
				perMessageDeflate: this.options.perMessageDeflate ?? true
			});
			this.ws = ws;
			ws.on('open', () => {
				this.extensions = Object.keys(ws.extensions).join(', ');
				// Same opening as y-websocket: our state vector, then our awareness state.
				const encoder = encoding.createEncoder();
				encoding.writeVarUint(encoder, MESSAGE_SYNC);
				syncProtocol.writeSyncStep1(encoder, this.doc);
				this.send(encoding.toUint8Array(encoder));
				if (this.awareness !== null) {
					this.sendAwareness([this.doc.clientID]);
				}
			});
			ws.on('message', this.onMessage);
			ws.on('error', (error) => {
				const message = `${this.options.label}: ${error.message}`;
				if (!settled) settle(new Error(message));
				else if (!this.closing) this.options.onError(message);
			});
			ws.on('close', (code, reason) => {
				const message = `${this.options.label}: closed by the server (${code}${reason.length > 0 ? ` ${reason.toString()}` : ''})`;
				if (!settled) settle(new Error(message));
				else if (!this.closing) this.options.onError(message);
			});
		});
	}

	get open(): boolean {
		return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
	}

	/**
	 * Creates this writer's story. Called before the phases, so its structs are not counted as
	 * edits; readers create none, so their documents hold only the writers' clients, as a board
	 * with a few active editors does.
	 */
	createStory(): void {
		if (this.#story) return;
		this.doc.on('update', this.onDocUpdate);
		try {
			this.stories.set(this.key, benchStory(this.key));
		} finally {
			this.doc.off('update', this.onDocUpdate);
		}
		this.#story = this.stories.get(this.key)!;
	}

	/** One small edit: this client's story's title, stamped with the send time. */
	write(phase: number): void {
		this.seq++;
		// Listening to 'update' only around our own edit: with a listener attached, Yjs encodes
		// every applied remote update too (O(writers in the doc)) just to emit it.
		this.doc.on('update', this.onDocUpdate);
		try {
			this.createStory();
			writeEdit(this.#story!, { s: this.seq, t: now(), ph: phase, p: PADDING });
		} finally {
			this.doc.off('update', this.onDocUpdate);
		}
	}

	/** Moves this participant's cursor, stamped with the send time. */
	moveCursor(phase: number): void {
		if (this.awareness === null) return;
		const cursor = this.cursor;
		cursor.x = (cursor.x + 7) % 1280;
		cursor.y = (cursor.y + 3) % 800;
		cursor.t = now();
		cursor.ph = phase;
		// Awareness compares states deeply with the previous one: it needs a new object.
		this.awareness.setLocalState({ user: { name: this.options.label }, cursor: { ...cursor } });
	}

	/** Closes the socket (close handshake, then terminate after `timeoutMs`) and frees the doc. */
	async close(timeoutMs = 2_000): Promise<void> {
		this.closing = true;
		if (this.awareness !== null) {
			this.awareness.off('update', this.onAwarenessUpdate);
			this.awareness.destroy();
		}
		const ws = this.ws;
		if (ws !== null && ws.readyState !== WebSocket.CLOSED) {
			await new Promise<void>((resolve) => {
				const timer = setTimeout(() => {
					ws.terminate();
					resolve();
				}, timeoutMs);
				ws.once('close', () => {
					clearTimeout(timer);
					resolve();
				});
				if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
				else ws.close();
			});
		}
		this.doc.destroy();
	}

	private send(message: Uint8Array): void {
		const ws = this.ws;
		if (ws !== null && ws.readyState === WebSocket.OPEN) ws.send(message);
	}

	private sendAwareness(clients: number[]): void {
		if (this.awareness === null) return;
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
		encoding.writeVarUint8Array(
			encoder,
			awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients)
		);
		this.send(encoding.toUint8Array(encoder));
	}

	private readonly onDocUpdate = (update: Uint8Array) => {
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_SYNC);
		syncProtocol.writeUpdate(encoder, update);
		this.send(encoding.toUint8Array(encoder));
	};

	/** The last edit of the client whose story is `key`, as this replica sees it. */
	editOf(key: string): Edit | undefined {
		return readEdit(this.stories.get(key));
	}

	private readonly onMapChange = (
		events: Y.YEvent<Y.AbstractType<unknown>>[],
		transaction: Y.Transaction
	) => {
		if (transaction.local) return;
		const tally = this.options.docTally!;
		const receivedAt = now();
		for (const event of events) {
			const keys =
				event.target === this.stories ? [...event.changes.keys.keys()] : [String(event.path[0])];
			for (const key of keys) {
				const edit = this.editOf(key);
				if (edit === undefined || edit.ph !== tally.phase) continue;
				const into = this.options.latencyTally?.(Number(key), 'doc') ?? tally;
				recordArrival(into, edit.t, receivedAt);
			}
		}
	};

	/** Counts the current phase's edits in an update by their ids (client, clock range). */
	private countEdits(update: Uint8Array): void {
		const tally = this.options.docTally;
		if (tally === null || tally.from.size === 0) return;
		const own = this.doc.clientID;
		for (const struct of Y.decodeUpdate(update).structs) {
			if (struct instanceof Y.Skip) continue;
			const client = struct.id.client;
			if (client === own) continue;
			const from = tally.from.get(client);
			if (from === undefined) continue;
			const count = struct.id.clock + struct.length - Math.max(struct.id.clock, from);
			if (count > 0) tally.delivered += count;
		}
	}

	/** Counts the current phase's awareness updates by (client, clock), skipping the JSON. */
	private countAwareness(update: Uint8Array): void {
		const tally = this.options.awarenessTally;
		if (tally === null || tally.from.size === 0) return;
		const own = this.doc.clientID;
		const decoder = decoding.createDecoder(update);
		const entries = decoding.readVarUint(decoder);
		for (let i = 0; i < entries; i++) {
			const client = decoding.readVarUint(decoder);
			const clock = decoding.readVarUint(decoder);
			// Read the length first: `pos += read()` would add it to the position before the read.
			const length = decoding.readVarUint(decoder);
			decoder.pos += length;
			if (client === own) continue;
			const from = tally.from.get(client);
			if (from === undefined || clock < from) continue;
			// Presence is state, not a log: a newer state supersedes the ones before it, so a
			// relay may coalesce moves within a tick. Count every clock up to the newest received.
			const counted = Math.max(this.presenceCounted.get(client) ?? from - 1, from - 1);
			if (clock > counted) {
				tally.delivered += clock - counted;
				this.presenceCounted.set(client, clock);
			}
		}
	}

	/** Per sender, the highest awareness clock already counted as delivered. */
	private readonly presenceCounted = new Map<number, number>();

	private readonly onAwarenessUpdate = (
		changes: { added: number[]; updated: number[]; removed: number[] },
		origin: unknown
	) => {
		const awareness = this.awareness!;
		if (origin === 'local' || this.options.echoRemoteAwareness === true) {
			this.sendAwareness(changes.added.concat(changes.updated, changes.removed));
		}
		if (origin !== this) return;
		const tally = this.options.awarenessTally!;
		const receivedAt = now();
		const record = (ids: number[]) => {
			for (const id of ids) {
				const cursor = (awareness.states.get(id) as { cursor?: Cursor } | undefined)?.cursor;
				if (cursor === undefined || cursor.ph !== tally.phase) continue;
				const into = this.options.latencyTally?.(id, 'awareness') ?? tally;
				recordArrival(into, cursor.t, receivedAt);
			}
		};
		record(changes.added);
		record(changes.updated);
	};

	private readonly onMessage = (data: RawData, isBinary: boolean) => {
		// y-websocket is binary only; ws hands us one Buffer per message by default.
		if (!isBinary || !Buffer.isBuffer(data)) return;
		try {
			const decoder = decoding.createDecoder(data);
			switch (decoding.readVarUint(decoder)) {
				case MESSAGE_SYNC: {
					const syncType = decoding.readVarUint(decoder);
					if (syncType === SYNC_STEP1) {
						const encoder = encoding.createEncoder();
						encoding.writeVarUint(encoder, MESSAGE_SYNC);
						syncProtocol.readSyncStep1(decoder, encoder, this.doc);
						this.send(encoding.toUint8Array(encoder));
					} else if (syncType === SYNC_STEP2 || syncType === SYNC_UPDATE) {
						const update = decoding.readVarUint8Array(decoder);
						this.countEdits(update);
						// A counting client still takes the initial state, to sync like any other.
						if (this.options.measure || !this.synced) {
							Y.applyUpdate(this.doc, update, this);
						}
						if (syncType === SYNC_STEP2 && !this.synced) {
							this.synced = true;
							this.onSynced?.();
						}
					}
					break;
				}
				case MESSAGE_AWARENESS: {
					const update = decoding.readVarUint8Array(decoder);
					this.countAwareness(update);
					if (this.awareness !== null && this.options.measure) {
						awarenessProtocol.applyAwarenessUpdate(this.awareness, update, this);
					} else if (this.options.echoRemoteAwareness === true) {
						// What the official client would send after applying it: the same entries.
						this.send(data);
					}
					break;
				}
				case MESSAGE_AUTH:
					if (decoding.readVarUint(decoder) === 0) {
						this.options.onError(
							`${this.options.label}: permission denied: ${decoding.readVarString(decoder)}`
						);
					}
					break;
				case MESSAGE_QUERY_AWARENESS:
					if (this.awareness !== null) {
						this.sendAwareness([...this.awareness.getStates().keys()]);
					}
					break;
			}
		} catch (error) {
			this.options.onError(
				`${this.options.label}: unreadable message: ${error instanceof Error ? error.message : String(error)}`
			);
		}
	};
}
