/**
 * One board in this browser: its documents, a y-websocket provider per document and an
 * IndexedDB copy per document, so edits made offline survive a reload and merge when the
 * connection returns. The providers reconnect by themselves; every connection they open carries
 * a fresh single-use ticket asked for with the session token, never the token itself.
 */
import * as encoding from 'lib0/encoding';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { CLOSE_STATUS, closeReasonOf } from '../../contract/close';
import { sessionEndOfClose, type SessionEnd } from '../../contract/session-end';
import { BoardDocs } from '../board-docs';
import { documentName } from '../layout';
import { ticketedWebSocket, type TicketSource } from './ticketed-socket';

export type ConnectionStatus = 'connected' | 'syncing' | 'offline' | 'ended';

/** The y-websocket message type of sync steps and updates. */
const MESSAGE_SYNC = 0;

/** Why the server ended the connection for good: its close code and reason. */
export interface ConnectionEnd {
	code: number;
	reason: string;
	/** The person's session ended (removed, expired), as the reason's code says; else null. */
	end: SessionEnd | null;
}

/**
 * Whether the provider should reconnect after the server closed the socket: not after a policy
 * close (the same token would be refused again, in a loop), nor after the 44xx range y-websocket
 * reserves for "reconnecting cannot fix this". Restarts, crashes and network loss reconnect.
 */
export function shouldReconnect(event: Pick<CloseEvent, 'code'>): boolean {
	return event.code !== CLOSE_STATUS.policyViolation && !(event.code >= 4400 && event.code < 4500);
}

export interface BoardConnectionOptions {
	/** e.g. ws://localhost:3000/sync */
	wsUrl: string;
	/**
	 * Gets a fresh single-use ticket for each connection attempt (the page asks the server with
	 * the session token, which never goes into a URL). Refusing with TicketRefused ends the
	 * connection as the server's policy close does.
	 */
	tickets: TicketSource;
	/** The WebSocket class; default the browser's. */
	WebSocket?: typeof WebSocket;
	/** Keep an IndexedDB copy of every document (off in tests without IndexedDB). */
	offlineCopy?: boolean;
	/**
	 * Whose personal document to open along the board's (D18: what they dismissed, on every
	 * device); none without it.
	 */
	personId?: string;
	/**
	 * Read the offline copy and connect only once this settles. Loading a large board blocks the
	 * page for a while; the page may want to paint something first.
	 */
	after?: Promise<unknown>;
}

/** The sync endpoint of the server this page came from. */
export function syncUrl(location: Location): string {
	return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`;
}

/**
 * Longest wait for this browser's copy of a document before connecting anyway (a stuck
 * IndexedDB must not keep the board offline).
 */
const COPY_WAIT_MS = 3_000;

interface Link {
	provider: WebsocketProvider;
	/** This browser's copy, once it is being read (see `after`). */
	persistence: IndexeddbPersistence | null;
	/** Whether the provider was told to connect (after the offline copy loaded). */
	started: boolean;
}

export class BoardConnection {
	readonly docs: BoardDocs;
	readonly #links = new Map<string, Link>();
	readonly #listeners = new Set<() => void>();
	readonly #options: BoardConnectionOptions;
	readonly #board: Link;
	/** The person's own document, when a person was given. */
	readonly personal: Y.Doc | null;
	readonly #personal: Link | null;
	#online = typeof navigator === 'undefined' ? true : navigator.onLine;
	/** The server said it cannot store changes now (`store-failed`, `load-failed`), until synced. */
	#storeDown = false;
	#ended: ConnectionEnd | null = null;
	#destroyed = false;
	#copy: 'kept' | 'clearing' | 'cleared' = 'kept';
	readonly #timers = new Set<ReturnType<typeof setTimeout>>();

	readonly #socket: typeof WebSocket;

	constructor(boardId: string, options: BoardConnectionOptions) {
		this.#options = options;
		this.#socket = ticketedWebSocket(options.tickets, options.WebSocket);
		const board = new Y.Doc();
		this.#board = this.#link(documentName.board(boardId), board);
		this.docs = new BoardDocs(boardId, board, (teamId) => {
			const doc = new Y.Doc();
			this.#link(documentName.team(boardId, teamId), doc);
			return doc;
		});
		const personId = options.personId;
		this.personal = personId === undefined ? null : new Y.Doc();
		this.#personal =
			personId === undefined || !this.personal
				? null
				: this.#link(documentName.person(boardId, personId), this.personal);
		if (typeof window !== 'undefined') {
			window.addEventListener('online', this.#onNetwork);
			window.addEventListener('offline', this.#onNetwork);
		}
	}

	/**
	 * `cleared` once this browser's copy of the board could not take the server's changes and was
	 * deleted: the page should open the board afresh from the server (reload). A copy saved
	 * before a board was repaired can hold structures so deep that applying their removal
	 * exhausts the browser's stack.
	 */
	get copy(): 'kept' | 'clearing' | 'cleared' {
		return this.#copy;
	}

	/** Presence of everyone on the board travels with the board document. */
	get awareness(): Awareness {
		return this.#board.provider.awareness;
	}

	/** connected: every document is in step with the server; syncing: catching up; offline. */
	get status(): ConnectionStatus {
		if (this.#ended) return 'ended';
		// Still reading this browser's copy: not connecting yet, but not offline either.
		if (!this.#board.started) return 'syncing';
		if (!this.#online || !this.#board.provider.wsconnected) return 'offline';
		for (const { provider, started } of this.#links.values()) {
			if (!started || !provider.wsconnected || !provider.synced) return 'syncing';
		}
		return 'connected';
	}

	/**
	 * While not connected: is this browser without a network, is the server not answering, or
	 * is it answering but unable to store changes (its database is down)? Null once connected.
	 */
	get offlineCause(): 'network' | 'server' | 'store' | null {
		const status = this.status;
		if (status === 'connected' || status === 'ended') return null;
		if (!this.#online) return 'network';
		if (this.#storeDown) return 'store';
		return status === 'offline' ? 'server' : null;
	}

	/** Why the server ended the connection, or null while it is live or reconnecting. */
	get ended(): ConnectionEnd | null {
		return this.#ended;
	}

	/** Connects again after an end the person may recover from (e.g. a rate limit). */
	resume(): void {
		this.#ended = null;
		for (const { provider, started } of this.#links.values()) if (started) provider.connect();
		this.#notify();
	}

	/** Resolves when the server has sent the board document (not just the offline copy). */
	whenBoardSynced(): Promise<void> {
		const provider = this.#board.provider;
		if (provider.synced) return Promise.resolve();
		return new Promise((resolve) => {
			const onSync = (synced: boolean) => {
				if (!synced) return;
				provider.off('sync', onSync);
				resolve();
			};
			provider.on('sync', onSync);
		});
	}

	/**
	 * Resolves once the personal document holds what the person's other devices wrote: the
	 * server sent it, or this browser's copy had been synced before (`copyWasSynced` says so).
	 */
	whenPersonalSynced(copyWasSynced: () => boolean): Promise<void> {
		const link = this.#personal;
		if (!link) return new Promise(() => {});
		return new Promise((resolve) => {
			const check = () => {
				if (link.provider.synced || (link.started && copyWasSynced())) {
					this.#listeners.delete(check);
					link.provider.off('sync', check);
					resolve();
				}
			};
			link.provider.on('sync', check);
			this.#listeners.add(check);
			check();
		});
	}

	/** Calls `listener` whenever the status may have changed. */
	onStatus(listener: () => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	destroy(): void {
		this.#destroyed = true;
		for (const timer of this.#timers) clearTimeout(timer);
		this.#timers.clear();
		if (typeof window !== 'undefined') {
			window.removeEventListener('online', this.#onNetwork);
			window.removeEventListener('offline', this.#onNetwork);
		}
		for (const { provider, persistence } of this.#links.values()) {
			provider.destroy();
			void persistence?.destroy();
		}
		this.#links.clear();
		this.#listeners.clear();
		this.docs.destroy();
	}

	#link(name: string, doc: Y.Doc): Link {
		// Connected once the offline copy is in the document, so that the first sync step asks the
		// server only for what this copy lacks, and the copy is not sent to the server as an update.
		const provider = new WebsocketProvider(this.#options.wsUrl, name, doc, {
			WebSocketPolyfill: this.#socket,
			maxBackoffTime: 2500,
			shouldReconnect,
			connect: false
		});
		provider.on('closed', this.#onEnd);
		// y-websocket's own sync handler, with one difference: an update this document cannot take
		// is not only logged (y-protocols catches it and leaves the document half-updated) but
		// clears this browser's copy, so the board opens again from the server.
		provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, _provider, emitSynced) => {
			encoding.writeVarUint(encoder, MESSAGE_SYNC);
			const type = syncProtocol.readSyncMessage(
				decoder,
				encoder,
				doc,
				provider,
				(error) => void this.#clearCopy(name, error)
			);
			if (emitSynced && type === syncProtocol.messageYjsSyncStep2 && !provider.synced) {
				provider.synced = true;
			}
		};
		provider.on('status', this.#notify);
		provider.on('sync', (synced: boolean) => {
			// In step with the server again: it stores changes.
			if (synced && this.#storeDown) this.#storeDown = false;
			this.#notify();
		});
		provider.on('connection-close', (event: CloseEvent | null) => {
			const code = event ? closeReasonOf(event.reason)?.code : undefined;
			if (code === 'store-failed' || code === 'load-failed') {
				this.#storeDown = true;
				this.#notify();
			}
		});
		const link: Link = { provider, persistence: null, started: false };
		this.#links.set(name, link);
		const opening = this.#options.after ?? Promise.resolve();
		void opening.then(
			() => this.#open(link, name, doc),
			() => this.#open(link, name, doc)
		);
		this.#notify();
		return link;
	}

	/** Reads the offline copy into the document, then connects. */
	#open(link: Link, name: string, doc: Y.Doc): void {
		if (this.#destroyed) return;
		const start = () => {
			if (link.started || this.#destroyed) return;
			link.started = true;
			if (!this.#ended) link.provider.connect();
			this.#notify();
		};
		if (!this.#options.offlineCopy) return start();
		link.persistence = new IndexeddbPersistence(`scrumops/${name}`, doc);
		void link.persistence.whenSynced.then(start);
		const timer = setTimeout(() => {
			this.#timers.delete(timer);
			start();
		}, COPY_WAIT_MS);
		this.#timers.add(timer);
	}

	/** Stops syncing and deletes every document's offline copy; the page then reloads. */
	async #clearCopy(name: string, error: unknown): Promise<void> {
		if (this.#copy !== 'kept') return;
		this.#copy = 'clearing';
		console.error(`The copy of ${name} in this browser could not be brought up to date`, error);
		for (const { provider } of this.#links.values()) provider.disconnect();
		this.#notify();
		await Promise.allSettled(
			[...this.#links.values()].map((link) => link.persistence?.clearData())
		);
		this.#copy = 'cleared';
		this.#notify();
	}

	/** One document ended: they all end (the session is the same), and nothing reconnects. */
	readonly #onEnd = (end: { code: number; reason: string }) => {
		this.#ended ??= { code: end.code, reason: end.reason, end: sessionEndOfClose(end) };
		for (const { provider } of this.#links.values()) provider.disconnect();
		this.#notify();
	};

	readonly #onNetwork = () => {
		this.#online = navigator.onLine;
		// Coming back: do not wait for the backoff timer.
		if (this.#online && !this.#ended && this.#copy === 'kept') {
			for (const { provider, started } of this.#links.values()) {
				if (started && !provider.wsconnected) provider.connect();
			}
		}
		this.#notify();
	};

	readonly #notify = () => {
		for (const listener of this.#listeners) listener();
	};
}
