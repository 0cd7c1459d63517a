/**
 * The WebSocket side of the server: upgrades on `/sync/<document>`, one peer per socket, every
 * frame bounded, rate-limited and decoded before a room sees it. A misbehaving connection is
 * closed with a code and a reason; the process and every other room keep serving.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { CLOSE_REASONS, closeReason, type CloseCode } from '../../src/lib/contract/close';
import { AccessError, credentialOf, type AccessControl, type Grant } from '../auth/access';
import type { Logger } from '../log';
import { TokenBucket } from '../rate-limit';
import { parseDocumentName, type DocumentAddress } from './document-name';
import { decodeFrame, ProtocolError } from './protocol';
import type { RoomRegistry } from './registry';
import type { Peer } from './room';

export const SYNC_PREFIX = '/sync/';

export interface RelayLimits {
	/** Largest accepted frame, in bytes; larger ones close the connection with 1009. */
	maxMessageBytes: number;
	/** Sustained messages per second per connection, and the burst allowed above it. */
	messagesPerSecond: number;
	messageBurst: number;
	/** A peer whose unsent backlog exceeds this is too slow to keep up and is disconnected. */
	maxBufferedBytes: number;
	/** Ping interval; a peer that has not answered the previous ping is dropped. */
	heartbeatMs: number;
}

export const DEFAULT_LIMITS: RelayLimits = {
	maxMessageBytes: 4 * 1024 * 1024,
	messagesPerSecond: 2_000,
	messageBurst: 4_000,
	maxBufferedBytes: 32 * 1024 * 1024,
	heartbeatMs: 30_000
};

export interface RelayEvents {
	connected(address: DocumentAddress): void;
	/** An upgrade refused for want of a valid token (401) or of access to the board (403). */
	refused(status: number): void;
	disconnected(address: DocumentAddress, code: number): void;
	received(type: string, bytes: number): void;
	rejected(reason: string): void;
}

export interface RelayOptions {
	registry: RoomRegistry;
	/** Decides who may connect to which document, and whether they may write it. */
	access: AccessControl;
	log: Logger;
	limits?: Partial<RelayLimits>;
	events?: Partial<RelayEvents>;
	/**
	 * The server's clock, ms since epoch: the one its tokens are signed and checked on, so a
	 * session ends when its token says. Default: the system clock.
	 */
	now?: () => number;
}

export interface Relay {
	/** Handles an HTTP upgrade request; answers 400/404 itself when it is not a sync request. */
	handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
	readonly connections: number;
	/** Closes every connection (1001) and stops the heartbeat. */
	close(): Promise<void>;
}

export function createRelay(options: RelayOptions): Relay {
	const limits = { ...DEFAULT_LIMITS, ...options.limits };
	const { registry, log } = options;
	const events = options.events ?? {};
	const now = options.now ?? Date.now;
	const wss = new WebSocketServer({
		noServer: true,
		maxPayload: limits.maxMessageBytes,
		perMessageDeflate: false
	});
	const alive = new WeakMap<WebSocket, boolean>();
	/** Open connections by board and person, so removing a member closes theirs at once. */
	const byPerson = new Map<string, Set<WebSocket>>();
	const grants = new WeakMap<WebSocket, Grant>();
	let nextPeerId = 1;

	const heartbeat = setInterval(() => {
		const at = now();
		for (const ws of wss.clients) {
			if (alive.get(ws) === false) {
				ws.terminate();
				continue;
			}
			const expiresAt = grants.get(ws)?.identity.expiresAt ?? null;
			if (expiresAt !== null && expiresAt <= at) {
				closeWith(ws, 'session-expired');
				continue;
			}
			alive.set(ws, false);
			ws.ping();
		}
	}, limits.heartbeatMs);
	heartbeat.unref();

	const stopWatchingRemovals = options.access.onRemoval((boardId, personId) => {
		for (const ws of byPerson.get(personKey(boardId, personId)) ?? []) {
			closeWith(ws, 'member-removed');
		}
	});

	const stopWatchingAccess = options.access.onAccessChange((boardId, personId) => {
		for (const ws of byPerson.get(personKey(boardId, personId)) ?? []) {
			closeWith(ws, 'access-changed');
		}
	});

	function connect(ws: WebSocket, address: DocumentAddress, grant: Grant): void {
		const peerLog = log.child({ room: address.name, peer: nextPeerId });
		const peer = createPeer(ws, String(nextPeerId++), grant, limits, peerLog);
		const key = personKey(address.boardId, grant.identity.personId);
		let connections = byPerson.get(key);
		if (!connections) byPerson.set(key, (connections = new Set()));
		connections.add(ws);
		grants.set(ws, grant);
		const expiry = expiryTimer(ws, grant.identity.expiresAt, now());
		// Another instance may remove or change this person: their record is read now and then.
		const unwatch = options.access.watch(address.boardId, grant.identity.personId);
		const room = registry.acquire(address.name);
		room.join(peer);
		alive.set(ws, true);
		events.connected?.(address);
		const bucket = new TokenBucket(limits.messagesPerSecond, limits.messageBurst);
		const queued: Uint8Array[] = [];
		let ready = false;

		const handle = (bytes: Uint8Array) => {
			try {
				room.receive(peer, decodeFrame(bytes));
			} catch (error) {
				reject(ws, peerLog, events, error);
			}
		};
		ws.on('pong', () => alive.set(ws, true));
		ws.on('message', (data: RawData, isBinary: boolean) => {
			if (!isBinary) {
				reject(
					ws,
					peerLog,
					events,
					new ProtocolError(CLOSE_REASONS['text-frame'].sentence),
					'text-frame'
				);
				return;
			}
			if (!bucket.take()) {
				reject(
					ws,
					peerLog,
					events,
					new ProtocolError(`more than ${limits.messagesPerSecond} messages per second`),
					'too-many-messages'
				);
				return;
			}
			const bytes = toBytes(data);
			events.received?.(frameType(bytes), bytes.byteLength);
			if (ready) handle(bytes);
			else queued.push(bytes);
		});
		ws.on('close', (code) => {
			if (expiry) clearTimeout(expiry);
			unwatch();
			connections.delete(ws);
			if (connections.size === 0) byPerson.delete(key);
			room.leave(peer);
			events.disconnected?.(address, code);
		});
		ws.on('error', (error) => peerLog.warn('connection error', { error }));
		// Nothing is answered before the stored document is in memory (Room.join waits too).
		room.loaded.then(
			() => {
				ready = true;
				for (const bytes of queued.splice(0)) {
					if (ws.readyState !== WebSocket.OPEN) break;
					handle(bytes);
				}
			},
			() => {}
		);
	}

	return {
		handleUpgrade(req, socket, head) {
			// Node's HTTP server stops watching a socket's errors once it is handed over for an
			// upgrade. A peer that resets it while its access is checked must not take the process
			// down with an unhandled 'error' when the answer is written.
			socket.on('error', destroyOnError);
			const target = parseTarget(req.url);
			if ('status' in target) {
				events.rejected?.(target.reason);
				refuseUpgrade(socket, target.status, target.reason);
				return;
			}
			// Never logged: the URL carries the ticket or the token.
			const credential = credentialOf(req.url);
			options.access
				.authenticateConnection(credential, target.boardId)
				// A refused grant (another person's own document) is answered like a refused token.
				.then((identity) => options.access.grant(identity, target))
				.then(
					(grant) => {
						if (socket.destroyed) return;
						// From here `ws` watches the socket's errors itself.
						socket.off('error', destroyOnError);
						wss.handleUpgrade(req, socket, head, (ws) => connect(ws, target, grant));
					},
					(error: unknown) => {
						if (error instanceof AccessError) {
							events.refused?.(error.status);
							log.info('refused a connection', { room: target.name, status: error.status });
							refuseUpgrade(socket, error.status, error.message);
							return;
						}
						log.error('checking access failed', { room: target.name, error });
						refuseUpgrade(socket, 503, 'the server could not check your access; retry shortly');
					}
				);
		},
		get connections() {
			return wss.clients.size;
		},
		close: () =>
			new Promise<void>((resolve) => {
				clearInterval(heartbeat);
				stopWatchingRemovals();
				stopWatchingAccess();
				for (const ws of wss.clients) closeWith(ws, 'server-shutdown');
				wss.close(() => resolve());
			})
	};
}

/** The document a sync URL addresses, or the HTTP status and reason to refuse it with. */
export function parseTarget(
	url: string | undefined
): DocumentAddress | { status: number; reason: string } {
	const raw = url ?? '/';
	const path = raw.split('?', 1)[0]!;
	if (!path.startsWith(SYNC_PREFIX)) {
		return { status: 404, reason: `WebSocket connections are served on ${SYNC_PREFIX}<document>` };
	}
	let name: string;
	try {
		name = decodeURIComponent(path.slice(SYNC_PREFIX.length));
	} catch {
		return { status: 400, reason: 'the document name is not valid URL encoding' };
	}
	const parsed = parseDocumentName(name);
	return 'error' in parsed ? { status: 400, reason: parsed.error } : parsed;
}

const STATUS_TEXT: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	503: 'Service Unavailable'
};

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
	if (socket.destroyed) return;
	const text = STATUS_TEXT[status] ?? 'Error';
	const body = `${reason}\n`;
	socket.end(
		`HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
			`Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
	);
}

function destroyOnError(this: Duplex): void {
	this.destroy();
}

function personKey(boardId: string, personId: string): string {
	return `${boardId}\u0000${personId}`;
}

/** Closes the connection when its session expires (the heartbeat catches far-off expiries). */
function expiryTimer(ws: WebSocket, expiresAt: number | null, now: number): NodeJS.Timeout | null {
	if (expiresAt === null) return null;
	const delay = expiresAt - now;
	if (delay > 2 ** 31 - 1) return null;
	const timer = setTimeout(() => closeWith(ws, 'session-expired'), Math.max(0, delay));
	timer.unref();
	return timer;
}

function createPeer(
	ws: WebSocket,
	id: string,
	grant: Grant,
	limits: RelayLimits,
	log: Logger
): Peer {
	return {
		id,
		person: {
			id: grant.identity.personId,
			name: grant.identity.name,
			roles: grant.identity.roles
		},
		canWrite: grant.canWrite,
		canChangeSettings: grant.canChangeSettings,
		send(frame) {
			if (ws.readyState !== WebSocket.OPEN) return;
			if (ws.bufferedAmount > limits.maxBufferedBytes) {
				log.warn('peer too slow; disconnecting', { bufferedBytes: ws.bufferedAmount });
				closeWith(ws, 'fell-behind');
				return;
			}
			ws.send(frame);
		},
		close(code, sentence) {
			closeWith(ws, code, sentence);
		}
	};
}

function reject(
	ws: WebSocket,
	log: Logger,
	events: Partial<RelayEvents>,
	error: unknown,
	code: CloseCode = 'malformed-message'
): void {
	if (error instanceof ProtocolError) {
		log.warn('closing a connection that sent an invalid message', { reason: error.message });
		events.rejected?.(error.message);
		closeWith(ws, code, error.message);
	} else {
		log.error('handling a message failed', { error });
		closeWith(ws, 'internal-error');
	}
}

/**
 * Closes a connection for one of the contract's reasons: its status, and `<code>: <sentence>`
 * (the reason's usual sentence unless given) within the protocol's 123 bytes.
 */
function closeWith(ws: WebSocket, code: CloseCode, sentence?: string): void {
	ws.close(CLOSE_REASONS[code].status, closeReason(code, sentence));
}

function toBytes(data: RawData): Uint8Array {
	if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
	if (data instanceof ArrayBuffer) return new Uint8Array(data);
	return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** A coarse label for metrics, read without decoding the whole frame. */
function frameType(bytes: Uint8Array): string {
	switch (bytes[0]) {
		case 0:
			return bytes[1] === 0 ? 'sync-step1' : bytes[1] === 1 ? 'sync-step2' : 'update';
		case 1:
			return 'awareness';
		case 3:
			return 'query-awareness';
		default:
			return 'other';
	}
}
