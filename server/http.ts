/**
 * The HTTP server: health check first, then the SvelteKit app. Kept apart from `index.ts` so
 * tests can start a real server on port 0 without environment variables or signal handlers, and
 * so later layers (the relay's WebSocket upgrade) attach to the exposed `server`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ErrorBody, ErrorCode, HealthReport } from '../src/lib/contract/http';
import { clientAddressOf, type AddressHeader } from './client-address';
import type { Logger } from './log';
import { AddressLimiter, type AddressLimit, type WriteLimiter } from './rate-limit';
import { StoreUnavailableError } from './store/store';

/** A Node/Connect-style request handler, the shape adapter-node's `handler` has. */
export type RequestHandler = (
	req: http.IncomingMessage,
	res: http.ServerResponse,
	next: () => void
) => unknown;

export interface ServerOptions {
	/** Port to listen on; 0 picks a free one (read it from `listen()`'s result). */
	port: number;
	host: string;
	log: Logger;
	/**
	 * Serves everything that is not a server route, normally the SvelteKit build. Without it the
	 * server answers 404 there, which is what relay tests want: no build needed.
	 */
	app?: RequestHandler;
	/** How long `close()` lets in-flight requests finish before cutting connections. */
	shutdownTimeoutMs?: number;
	/** The health report; `status: 'ok'` answers 200, anything else 503. Default: ok. */
	health?: () => Promise<HealthReport>;
	/** Server routes tried before the app, in order. */
	routes?: readonly Route[];
	/** WebSocket upgrade requests (the relay); without it upgrades are refused. */
	upgrade?: (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;
	/**
	 * Bounds POST and DELETE requests to routes per client address (creating boards, joining,
	 * inviting, removing): over it, 429 with Retry-After. Default: unbounded.
	 */
	writeLimit?: AddressLimit | WriteLimiter;
	/**
	 * The header a reverse proxy puts the client's address in, which `writeLimit` then counts
	 * by. Default: none, the socket's address (a client could otherwise pick its own address).
	 */
	addressHeader?: AddressHeader | null;
	/** How long a client may take to send a request's headers (an upgrade's too). Default 10 s. */
	headersTimeoutMs?: number;
	/**
	 * How long a client may take to send a whole request, body included; over it, 408 and the
	 * connection closes. An upgraded WebSocket is no longer a request and is not cut. Default 30 s.
	 */
	requestTimeoutMs?: number;
}

export type { HealthReport };

/** A server route: `GET /api/boards/:id/findings` and the like. */
export interface Route {
	method: 'GET' | 'POST' | 'DELETE';
	/** Matched against the path; capture groups are passed to `handle`. */
	path: RegExp;
	handle(req: http.IncomingMessage, res: http.ServerResponse, params: string[]): Promise<void>;
	/**
	 * False: a POST or DELETE not counted against `writeLimit`, for one that changes nothing
	 * anyone sees and that browsers make on every reconnect (a connection ticket).
	 */
	writeLimited?: boolean;
}

export interface RunningServer {
	readonly server: http.Server;
	/** Start accepting connections; resolves with the bound address. */
	listen(): Promise<AddressInfo>;
	/** Stop accepting, let in-flight requests finish (up to the timeout), then resolve. */
	close(): Promise<void>;
}

export const HEALTH_PATH = '/healthz';
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Create (but do not start) the HTTP server. */
export function createServer(options: ServerOptions): RunningServer {
	const { log, app } = options;
	const shutdownTimeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
	const limit = options.writeLimit;
	const writes: WriteLimiter | null = !limit
		? null
		: 'take' in limit
			? limit
			: new AddressLimiter(limit);
	const addressHeader = options.addressHeader ?? null;
	const headersTimeout = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
	const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
	if (headersTimeout > requestTimeout) {
		throw new RangeError(
			`The headers timeout (${headersTimeout} ms) is longer than the request timeout (${requestTimeout} ms): headers are part of the request, so raise the request timeout.`
		);
	}

	const timeouts: http.ServerOptions = {
		headersTimeout,
		requestTimeout,
		// Node checks for overdue requests on this interval (30 s unless told): often enough that a
		// stalled client is dropped close to its deadline, not up to half a minute after it.
		connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(headersTimeout / 4)))
	};

	const server = http.createServer(timeouts, (req, res) => {
		const startedAt = performance.now();
		res.on('finish', () => {
			log.debug('request', {
				method: req.method,
				path: pathOf(req),
				status: res.statusCode,
				durationMs: Math.round(performance.now() - startedAt)
			});
		});

		const path = pathOf(req);
		if (path === HEALTH_PATH) {
			respondHealth(req, res, options.health).catch((error: unknown) => {
				log.error('health check failed', { error });
				if (!res.headersSent)
					sendJson(res, 503, {
						status: 'degraded',
						error: 'health check failed'
					} satisfies HealthReport);
			});
			return;
		}
		const matching = (options.routes ?? []).flatMap((route) => {
			const match = route.path.exec(path);
			return match ? [{ route, params: match.slice(1) }] : [];
		});
		if (matching.length > 0) {
			const method = req.method === 'HEAD' ? 'GET' : req.method;
			const chosen = matching.find(({ route }) => route.method === method);
			if (!chosen) {
				const allowed = matching.map(({ route }) => route.method).join(', ');
				res.setHeader('allow', allowed);
				sendError(
					res,
					new HttpError(
						405,
						`${req.method} is not allowed on ${path}; use ${allowed}.`,
						'method-not-allowed'
					)
				);
				return;
			}
			const handle = () =>
				chosen.route.handle(req, res, chosen.params).catch((error: unknown) => {
					if (error instanceof HttpError) {
						if (!res.headersSent) sendError(res, error);
						return;
					}
					if (error instanceof StoreUnavailableError) {
						log.warn('the store is unavailable', { method: req.method, path, error });
						if (!res.headersSent) {
							res.setHeader('retry-after', String(STORE_RETRY_SECONDS));
							sendError(res, storeUnavailable());
						}
						return;
					}
					log.error('request failed', { method: req.method, path, error });
					if (!res.headersSent) sendError(res, internalError());
					else res.destroy();
				});
			const counted =
				writes && (method === 'POST' || method === 'DELETE') && chosen.route.writeLimited !== false;
			if (!counted) {
				handle();
				return;
			}
			Promise.resolve(writes.take(clientAddressOf(req, addressHeader))).then(
				(wait) => {
					if (wait === null) return handle();
					res.setHeader('retry-after', String(wait));
					sendError(
						res,
						new HttpError(
							429,
							`Too many changes from your address; try again in ${wait} s.`,
							'rate-limited'
						)
					);
				},
				(error: unknown) => {
					log.error('counting a write failed', { method: req.method, path, error });
					if (!res.headersSent) sendError(res, internalError());
				}
			);
			return;
		}
		if (!app) {
			sendError(res, noRoute(req));
			return;
		}
		serveApp(app, req, res, log);
	});

	server.on('upgrade', (req, socket, head) => {
		if (options.upgrade) options.upgrade(req, socket, head);
		else {
			// An upgraded socket has no error listener of the server's any more.
			socket.on('error', () => socket.destroy());
			socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
		}
	});

	let closing: Promise<void> | undefined;

	return {
		server,
		listen: () =>
			new Promise<AddressInfo>((resolve, reject) => {
				const onError = (error: NodeJS.ErrnoException) => {
					server.off('listening', onListening);
					reject(describeListenError(error, options.host, options.port));
				};
				const onListening = () => {
					server.off('error', onError);
					// Always an AddressInfo for TCP listeners; a string only for pipes, which we never use.
					resolve(server.address() as AddressInfo);
				};
				server.once('error', onError);
				server.once('listening', onListening);
				server.listen(options.port, options.host);
			}),
		close: () => {
			closing ??= closeGracefully(server, shutdownTimeoutMs);
			return closing;
		}
	};
}

function pathOf(req: http.IncomingMessage): string {
	const url = req.url ?? '/';
	const query = url.indexOf('?');
	return query === -1 ? url : url.slice(0, query);
}

async function respondHealth(
	req: http.IncomingMessage,
	res: http.ServerResponse,
	health: (() => Promise<HealthReport>) | undefined
): Promise<void> {
	if (req.method !== 'GET' && req.method !== 'HEAD') {
		res.setHeader('allow', 'GET, HEAD');
		sendError(
			res,
			new HttpError(
				405,
				`${req.method} is not allowed on ${HEALTH_PATH}; use GET.`,
				'method-not-allowed'
			)
		);
		return;
	}
	const report: HealthReport = health ? await health() : { status: 'ok' };
	sendJson(res, report.status === 'ok' ? 200 : 503, report, req.method === 'HEAD');
}

/**
 * A request the server refuses, with the status, a sentence saying what to change and the
 * refusal's code (src/lib/contract/http.ts), which the error body carries.
 */
export class HttpError extends Error {
	readonly status: number;
	readonly code: ErrorCode;
	constructor(status: number, message: string, code: ErrorCode) {
		super(message);
		this.name = 'HttpError';
		this.status = status;
		this.code = code;
	}
}

/** Writes a refusal's error body: `{ error, code }`. */
export function sendError(res: http.ServerResponse, error: HttpError): void {
	sendJson(res, error.status, { error: error.message, code: error.code } satisfies ErrorBody);
}

/** How long a client waits before trying again while the store is unavailable, in seconds. */
const STORE_RETRY_SECONDS = 5;

function storeUnavailable(): HttpError {
	return new HttpError(
		503,
		'The board cannot save right now: the server cannot reach its database. Nothing was changed; try again in a few seconds.',
		'store-failed'
	);
}

function internalError(): HttpError {
	return new HttpError(500, 'Internal server error', 'internal-error');
}

function noRoute(req: http.IncomingMessage): HttpError {
	return new HttpError(404, `No route for ${pathOf(req)}`, 'not-found');
}

/** Largest JSON request body the API reads. */
export const MAX_JSON_BODY_BYTES = 16 * 1024;

/** Reads a JSON request body of at most `maxBytes`; refuses anything else with a clear error. */
export async function readJsonBody(
	req: http.IncomingMessage,
	maxBytes = MAX_JSON_BODY_BYTES
): Promise<unknown> {
	const type = req.headers['content-type'] ?? '';
	if (!/^application\/json\s*(;|$)/i.test(type)) {
		throw new HttpError(
			415,
			'Send the request body as JSON (Content-Type: application/json).',
			'not-json'
		);
	}
	const declared = Number(req.headers['content-length'] ?? NaN);
	if (declared > maxBytes) {
		throw new HttpError(413, `The request body is over ${maxBytes} bytes.`, 'body-too-large');
	}
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of req) {
			size += (chunk as Buffer).byteLength;
			if (size > maxBytes) break;
			chunks.push(chunk as Buffer);
		}
	} catch {
		// The client went away, or was cut off for sending too slowly: nobody is left to answer.
		throw new HttpError(
			400,
			'The request body ended before it was complete; send it again.',
			'bad-request'
		);
	}
	if (size > maxBytes) {
		req.destroy();
		throw new HttpError(413, `The request body is over ${maxBytes} bytes.`, 'body-too-large');
	}
	try {
		return JSON.parse(Buffer.concat(chunks).toString('utf8'));
	} catch {
		throw new HttpError(400, 'The request body is not valid JSON.', 'bad-request');
	}
}

/** Writes a JSON response that is never cached. */
export function sendJson(
	res: http.ServerResponse,
	status: number,
	body: unknown,
	headOnly = false
): void {
	const payload = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(payload),
		// Probes and clients must always see the live answer, never a cached one.
		'cache-control': 'no-store'
	});
	res.end(headOnly ? undefined : payload);
}

function serveApp(
	app: RequestHandler,
	req: http.IncomingMessage,
	res: http.ServerResponse,
	log: Logger
): void {
	const fail = (error: unknown) => {
		log.error('request failed', { method: req.method, path: pathOf(req), error });
		if (res.headersSent) res.destroy();
		else sendError(res, internalError());
	};
	// adapter-node's SSR handler never calls `next`; answer 404 in case a future handler does.
	const next = () => sendError(res, noRoute(req));
	try {
		const result = app(req, res, next);
		if (result instanceof Promise) result.catch(fail);
	} catch (error) {
		fail(error);
	}
}

function describeListenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
	if (error.code === 'EADDRINUSE') {
		return new Error(
			`Port ${port} on ${host} is already in use: stop the other process or set PORT to a free port.`,
			{ cause: error }
		);
	}
	if (error.code === 'EACCES') {
		return new Error(
			`No permission to listen on ${host}:${port}: use a port above 1023 or run with the needed privileges.`,
			{ cause: error }
		);
	}
	return error;
}

function closeGracefully(server: http.Server, timeoutMs: number): Promise<void> {
	return new Promise<void>((resolve, reject) => {
		if (!server.listening) {
			resolve();
			return;
		}
		// Keep-alive sockets would hold `close` open until they time out on their own.
		const forceTimer = setTimeout(() => server.closeAllConnections(), timeoutMs);
		forceTimer.unref();
		server.close((error) => {
			clearTimeout(forceTimer);
			if (error) reject(error);
			else resolve();
		});
		server.closeIdleConnections();
	});
}
