/**
 * The ScrumOps server assembled: HTTP (health, metrics, findings API, the app), the sync relay on
 * `/sync/<document>`, rooms over a document store, and server-side validation of every open
 * board. `index.ts` runs it from the environment; tests start it on port 0 with a temp store.
 */
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import type { BacklogPreview, Findings, ServerTime } from '../src/lib/contract/http';
import { MeasuresQuery, type Measures } from '../src/lib/contract/measures';
import { PREVIEW_MAX_ROWS } from '../src/lib/domain/backlog-preview';
import { DEFAULT_SHAPE_LIMITS, type ShapeLimits } from '../src/lib/sync/shape/contract';
import type { AccessControl } from './auth/access';
import type { AddressHeader } from './client-address';
import { exchangeRoutes } from './exchange-api';
import { standupRoutes } from './standup-api';
import { alertIntakeRoutes } from './integrations/alert-intake';
import { integrationRoutes } from './integrations/integrations-api';
import { MemoryIntegrationStore, type IntegrationStore } from './store/integrations';
import { accessRoutes, authenticate, boardIdOf, limitOf, noBoard, parse } from './auth/api';
import { createServer, HttpError, sendJson, type RequestHandler, type Route } from './http';
import type { Logger } from './log';
import type { AddressLimit, WriteLimiter } from './rate-limit';
import { peopleApi } from './auth/people-api';
import { DemoSandboxes, seedDemoContent } from './demo-sandboxes';
import { ServerMetrics } from './metrics';
import { parseDocumentName } from './relay/document-name';
import { RoomRegistry } from './relay/registry';
import { createRelay, type RelayLimits } from './relay/relay';
import { repairRoutes } from './repair';
import { AttributingStore } from './store/attribution';
import type { DocumentStore } from './store/store';
import { MemoryWebhookStore, type WebhookStore } from './store/webhooks';
import { WebhookDispatcher, type WebhookDispatcherOptions } from './webhooks/dispatcher';
import { webhookRoutes } from './webhooks/webhook-api';
import type { Fanout } from './relay/fanout';
import { ValidationService } from './validation/board-validation';
import { LeasedVoices, SoleVoices, type Voices } from './validation/voice';

export interface ScrumOpsServerOptions {
	port: number;
	host: string;
	log: Logger;
	store: DocumentStore;
	/** Tokens and membership: who may open which board. */
	access: AccessControl;
	/**
	 * Alert integrations and the alert groups they opened work for; keep them in the document
	 * store's database (`store.integrations()`). Default: in memory, for tests.
	 */
	integrations?: IntegrationStore;
	/** Alertmanager notifications per integration; default 120 a minute, 30 at once. */
	alertLimit?: AddressLimit;
	/** Lifetime of the session tokens issued when someone joins. Default 30 days. */
	sessionTtlSeconds?: number;
	/** Whether anyone may open a demo sandbox of their own (`POST /api/demo`). Default true. */
	demo?: boolean;
	/** A demo sandbox nobody used this long is removed. Default a day. */
	sandboxIdleMs?: number;
	/** How often idle sandboxes are looked for (default from `sandboxIdleMs`). */
	sandboxSweepEveryMs?: number;
	/** The SvelteKit handler; omitted in relay tests. */
	app?: RequestHandler;
	limits?: Partial<RelayLimits>;
	/** Bounds of the document contract enforced on every update (docs/security.md). */
	shapeLimits?: Partial<ShapeLimits>;
	/** POST and DELETE API requests per client address; default unbounded (npm start sets one). */
	writeLimit?: AddressLimit | WriteLimiter;
	/** The reverse proxy's client-address header, which `writeLimit` counts by; default none. */
	addressHeader?: AddressHeader | null;
	/** Time a client has to send a request's headers, and the whole request (see `http.ts`). */
	headersTimeoutMs?: number;
	requestTimeoutMs?: number;
	/** Largest board export file `POST /api/boards/import` reads, bytes (MAX_IMPORT_BYTES). */
	importMaxBytes?: number;
	/** Debounce of findings publication, ms. */
	validationDebounceMs?: number;
	compactEvery?: number;
	/**
	 * The other instances serving the same boards from the same store (server/fanout/): stored
	 * updates and presence cross between them. None: this instance is alone. Closed with the server.
	 */
	fanout?: Fanout;
	/** How long a missing sequence number may be in flight before a room reads the store, ms. */
	gapWaitMs?: number;
	/**
	 * With a fanout: how long the lease to speak for a board lasts, and how often it is renewed
	 * (server/validation/voice.ts). Defaults 6000 and 2000 ms.
	 */
	voiceLease?: { ttlMs?: number; renewMs?: number };
	/**
	 * Where outbound webhooks and their deliveries are kept (the store's `webhooks()`); in memory
	 * when omitted.
	 */
	webhookStore?: WebhookStore;
	/** Retries, timeouts and links of outbound webhooks (server/webhooks/dispatcher.ts). */
	webhooks?: Omit<WebhookDispatcherOptions, 'store' | 'log' | 'now'>;
	now?: () => number;
}

export interface ScrumOpsServer {
	listen(): Promise<AddressInfo>;
	close(): Promise<void>;
	readonly registry: RoomRegistry;
	readonly validation: ValidationService;
	readonly metrics: ServerMetrics;
	/** The demo sandboxes (`sweep()` removes idle ones now). */
	readonly sandboxes: DemoSandboxes;
}

export const DEMO_BOARD_ID = 'demo';

export function createScrumOpsServer(options: ScrumOpsServerOptions): ScrumOpsServer {
	const { log, store } = options;
	const metrics = new ServerMetrics();
	const shapeLimits = { ...DEFAULT_SHAPE_LIMITS, ...options.shapeLimits };
	// Rooms write through it, so a repair an admin asks for is audited as theirs.
	const attributed = new AttributingStore(store);
	const registry: RoomRegistry = new RoomRegistry({
		store: attributed,
		log: log.child({ component: 'rooms' }),
		compactEvery: options.compactEvery,
		fanout: options.fanout,
		gapWaitMs: options.gapWaitMs,
		events: {
			relayed: (_room, update, recipients, changes) => {
				metrics.updatesRelayed.inc(changes);
				metrics.bytesRelayed.inc(update.byteLength * recipients);
			},
			persisted: (_room, seconds) => metrics.persistence.observe(seconds),
			refused: (_room, violation) => metrics.updatesRefused.inc({ reason: violation.code })
		},
		shapeLimits,
		onRoomCreated: (room) => {
			metrics.rooms.set(registry.size);
			const address = parseDocumentName(room.name);
			const detach = 'error' in address ? undefined : validation.attach(room, address);
			return () => {
				detach?.();
				// The registry forgets the room after this returns.
				queueMicrotask(() => metrics.rooms.set(registry.size));
			};
		}
	});
	// One instance speaks for each board: alone, this one; with others, the lease holder.
	const voices: Voices = options.fanout
		? new LeasedVoices({
				store,
				instanceId: options.fanout.instanceId,
				log: log.child({ component: 'voices' }),
				...options.voiceLease
			})
		: new SoleVoices();
	const webhooks = new WebhookDispatcher({
		...options.webhooks,
		store: options.webhookStore ?? new MemoryWebhookStore(),
		log: log.child({ component: 'webhooks' }),
		now: options.now
	});
	// Rooms are created only after construction, so the closure above may refer to this.
	const validation = new ValidationService({
		voices,
		webhooks,
		registry,
		log: log.child({ component: 'validation' }),
		debounceMs: options.validationDebounceMs,
		now: options.now,
		shapeLimits,
		observe: (seconds) => metrics.validation.observe(seconds)
	});
	const relay = createRelay({
		registry,
		access: options.access,
		log: log.child({ component: 'relay' }),
		limits: options.limits,
		now: options.now,
		events: {
			connected: () => metrics.connections.inc(),
			disconnected: (_address, code) => {
				metrics.connections.dec();
				metrics.connectionsClosed.inc({ code: String(code) });
			},
			received: (type, bytes) => {
				metrics.messagesReceived.inc({ type });
				metrics.bytesReceived.inc(bytes);
			},
			rejected: () => metrics.rejections.inc(),
			refused: (status) => metrics.refusals.inc({ status: String(status) })
		}
	});

	/** The board a request names, once its token is accepted for that board. */
	const authenticatedBoard = async (req: IncomingMessage, rawId: string | undefined) => {
		const boardId = boardIdOf(rawId);
		await authenticate(options.access, req, boardId);
		return boardId;
	};

	const sessionTtlSeconds = options.sessionTtlSeconds ?? 30 * 24 * 60 * 60;
	const integrations = options.integrations ?? new MemoryIntegrationStore();
	const people = peopleApi({ access: options.access, registry, now: options.now });
	const sandboxes = new DemoSandboxes({
		access: options.access,
		registry,
		store,
		integrations,
		log: log.child({ component: 'demo' }),
		sessionTtlSeconds,
		idleMs: options.sandboxIdleMs,
		sweepEveryMs: options.sandboxSweepEveryMs,
		now: options.now
	});
	const routes: Route[] = [
		...(options.demo === false ? [] : sandboxes.routes()),
		...accessRoutes({
			access: options.access,
			registry,
			store,
			sessionTtlSeconds,
			now: options.now
		}),
		...people.routes,
		...standupRoutes({ access: options.access, registry, now: options.now }),
		...integrationRoutes({ access: options.access, registry, integrations, now: options.now }),
		...alertIntakeRoutes({
			registry,
			integrations,
			limit: options.alertLimit,
			now: options.now
		}),
		...exchangeRoutes({
			access: options.access,
			registry,
			sessionTtlSeconds,
			limits: shapeLimits,
			importMaxBytes: options.importMaxBytes,
			now: options.now
		}),
		...webhookRoutes({ access: options.access, webhooks, now: options.now }),
		...repairRoutes({
			access: options.access,
			registry,
			store: attributed,
			validation,
			log: log.child({ component: 'repair' }),
			limits: shapeLimits
		}),
		{
			// The shared clock: browsers estimate their offset to it, so every screen shows the
			// same SLA countdown and standup timer whatever its own clock says.
			method: 'GET',
			path: /^\/api\/time$/,
			async handle(_req, res) {
				sendJson(res, 200, { now: (options.now ?? Date.now)() } satisfies z.input<
					typeof ServerTime
				>);
			}
		},
		{
			method: 'GET',
			path: /^\/metrics$/,
			async handle(_req, res) {
				let spokenFor = 0;
				for (const board of registry.rooms()) {
					const boardValidation = validation.get(board.name);
					const findings = boardValidation?.findings();
					if (findings) metrics.setFindings(board.name, findings);
					if (boardValidation?.voice.speaking) spokenFor++;
				}
				metrics.boardsSpokenFor.set(spokenFor);
				const body = await metrics.registry.metrics();
				res.writeHead(200, { 'content-type': metrics.registry.contentType });
				res.end(body);
			}
		},
		{
			method: 'GET',
			path: /^\/api\/boards\/([^/]+)\/findings$/,
			async handle(req, res, [rawId]) {
				const boardId = await authenticatedBoard(req, rawId);
				const findings = await validation.findingsOf(boardId);
				if (findings === null) throw noBoard(boardId);
				sendJson(res, 200, findings satisfies Readonly<z.input<typeof Findings>>);
			}
		},
		{
			// The board's measures over a period of whole days, for the whole board or one team.
			method: 'GET',
			path: /^\/api\/boards\/([^/]+)\/measures$/,
			async handle(req, res, [rawId]) {
				const boardId = await authenticatedBoard(req, rawId);
				const params = new URLSearchParams(req.url?.split('?')[1] ?? '');
				const query = parse(MeasuresQuery, {
					from: params.get('from') ?? undefined,
					to: params.get('to') ?? undefined,
					team: params.get('team') ?? undefined
				});
				const answer = await validation.measuresOf(boardId, query);
				if (answer === null) throw noBoard(boardId);
				if ('problem' in answer) throw new HttpError(400, answer.problem, 'bad-request');
				res.setHeader('cache-control', 'no-store');
				sendJson(res, 200, answer.measures satisfies z.input<typeof Measures>);
			}
		},
		{
			// The top of the backlog, which a page shows while it loads the board document.
			method: 'GET',
			path: /^\/api\/boards\/([^/]+)\/backlog$/,
			async handle(req, res, [rawId]) {
				const boardId = await authenticatedBoard(req, rawId);
				const limit = limitOf(req.url, { fallback: 50, max: PREVIEW_MAX_ROWS });
				const preview = await validation.backlogPreviewOf(boardId, limit);
				if (preview === null) throw noBoard(boardId);
				res.setHeader('cache-control', 'no-store');
				sendJson(res, 200, preview satisfies z.input<typeof BacklogPreview>);
			}
		}
	];

	const http = createServer({
		port: options.port,
		host: options.host,
		log,
		app: options.app,
		routes,
		writeLimit: options.writeLimit,
		addressHeader: options.addressHeader,
		headersTimeoutMs: options.headersTimeoutMs,
		requestTimeoutMs: options.requestTimeoutMs,
		upgrade: (req, socket, head) => relay.handleUpgrade(req, socket, head),
		health: async () => {
			const storeHealth = await store.health().catch((error: unknown) => ({
				ok: false,
				kind: 'unknown',
				detail: error instanceof Error ? error.message : String(error)
			}));
			return {
				status: storeHealth.ok ? 'ok' : 'degraded',
				rooms: registry.size,
				connections: relay.connections,
				store: storeHealth
			};
		}
	});

	return {
		async listen() {
			const address = await http.listen();
			if (options.demo !== false) sandboxes.start();
			webhooks.start();
			return address;
		},
		async close() {
			await sandboxes.stop();
			people.close();
			options.access.close();
			if (options.writeLimit && 'close' in options.writeLimit) options.writeLimit.close?.();
			await relay.close();
			await http.close();
			await registry.closeAll();
			await webhooks.close();
			// After the rooms' last writes: the other instances take the boards over at once.
			await voices.close();
			await options.fanout?.close();
			await store.close();
		},
		registry,
		validation,
		metrics,
		sandboxes
	};
}

/**
 * Creates a shared board `demo` with the demo's content unless it exists: for tests and
 * benchmarks. Visitors get sandboxes of their own instead (demo-sandboxes.ts).
 */
export async function ensureDemoBoard(
	registry: RoomRegistry,
	access: AccessControl,
	today: string
): Promise<boolean> {
	await access.members.createBoard({
		id: DEMO_BOARD_ID,
		name: 'Demo board',
		createdAt: Date.now()
	});
	return seedDemoContent(registry, DEMO_BOARD_ID, today);
}
