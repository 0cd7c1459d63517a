/**
 * A WebSocket that first asks the server for a connection ticket, then connects with
 * `?ticket=…`, so the session token never appears in a URL (browsers print WebSocket URLs in
 * console warnings, and proxies log them). y-websocket creates one socket per connection attempt
 * (`new provider._WS(url, protocols)`), so every attempt, reconnects included, uses a fresh
 * ticket. Only what y-websocket uses is implemented: the `on…` handlers, `binaryType`,
 * `readyState`, `send` and `close`.
 */

/**
 * Gets a ticket for one connection; `signal` aborts the request. Throws `TicketRefused` when no
 * ticket will come however often it is asked, anything else when asking again may help.
 */
export type TicketSource = (signal: AbortSignal) => Promise<string>;

/** No ticket, for good: the socket closes with this code and reason, as if the server closed it. */
export class TicketRefused extends Error {
	override readonly name = 'TicketRefused';
	constructor(
		readonly code: number,
		reason: string
	) {
		super(reason);
	}
}

/** What a browser reports for a connection that failed without a close frame. */
const ABNORMAL_CLOSURE = 1006;
/** Longest wait for a ticket; then the attempt fails like an unanswered connection. */
export const TICKET_WAIT_MS = 10_000;

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/** A WebSocket class for y-websocket's `WebSocketPolyfill` that connects with tickets. */
export function ticketedWebSocket(
	ticketFor: TicketSource,
	Base: typeof WebSocket = WebSocket
): typeof WebSocket {
	class TicketedWebSocket {
		static readonly CONNECTING = CONNECTING;
		static readonly OPEN = OPEN;
		static readonly CLOSING = CLOSING;
		static readonly CLOSED = CLOSED;
		readonly CONNECTING = CONNECTING;
		readonly OPEN = OPEN;
		readonly CLOSING = CLOSING;
		readonly CLOSED = CLOSED;

		onopen: ((event: Event) => void) | null = null;
		onmessage: ((event: MessageEvent) => void) | null = null;
		onerror: ((event: Event) => void) | null = null;
		onclose: ((event: CloseEvent) => void) | null = null;

		#socket: WebSocket | null = null;
		#state: number = CONNECTING;
		#binaryType: BinaryType = 'blob';
		readonly #asking = new AbortController();

		constructor(url: string | URL, protocols?: string | string[]) {
			const timer = setTimeout(() => this.#asking.abort(), TICKET_WAIT_MS);
			ticketFor(this.#asking.signal)
				.then(
					(ticket) => this.#connect(url, protocols, ticket),
					(error: unknown) => this.#fail(error)
				)
				.finally(() => clearTimeout(timer));
		}

		get readyState(): number {
			return this.#socket?.readyState ?? this.#state;
		}

		get binaryType(): BinaryType {
			return this.#socket?.binaryType ?? this.#binaryType;
		}

		set binaryType(type: BinaryType) {
			this.#binaryType = type;
			if (this.#socket) this.#socket.binaryType = type;
		}

		send(data: Parameters<WebSocket['send']>[0]): void {
			if (!this.#socket) {
				throw new DOMException('The connection is not open yet.', 'InvalidStateError');
			}
			this.#socket.send(data);
		}

		close(code?: number, reason?: string): void {
			if (this.#socket) {
				this.#socket.close(code, reason);
				return;
			}
			if (this.#state === CLOSED) return;
			this.#state = CLOSED;
			this.#asking.abort();
			// Like a browser's socket closed while connecting: the close event comes afterwards.
			queueMicrotask(() => this.#closed(ABNORMAL_CLOSURE, ''));
		}

		#connect(url: string | URL, protocols: string | string[] | undefined, ticket: string): void {
			if (this.#state === CLOSED) return;
			const target = new URL(url);
			target.searchParams.set('ticket', ticket);
			const socket = new Base(target, protocols);
			socket.binaryType = this.#binaryType;
			socket.onopen = (event) => this.onopen?.(event);
			socket.onmessage = (event) => this.onmessage?.(event);
			socket.onerror = (event) => this.onerror?.(event);
			socket.onclose = (event) => this.onclose?.(event);
			this.#socket = socket;
		}

		/**
		 * No ticket. A refusal closes the socket with its code and sentence, as a server closes
		 * one; anything else (no network, the server restarting) fails like a connection that
		 * could not be made, and y-websocket retries with backoff.
		 */
		#fail(error: unknown): void {
			if (this.#state === CLOSED) return;
			this.#state = CLOSED;
			if (error instanceof TicketRefused) {
				this.#closed(error.code, error.message, true);
				return;
			}
			this.onerror?.(new Event('error'));
			this.#closed(ABNORMAL_CLOSURE, '');
		}

		#closed(code: number, reason: string, wasClean = false): void {
			const init = { code, reason, wasClean };
			this.onclose?.(
				typeof CloseEvent === 'function'
					? new CloseEvent('close', init)
					: (Object.assign(new Event('close'), init) as CloseEvent)
			);
		}
	}
	return TicketedWebSocket as unknown as typeof WebSocket;
}
