/**
 * The demo as a sandbox per visitor: opening the demo makes a fresh copy of the demo board
 * (src/lib/sync/demo.ts) with the visitor as its admin, so nobody's exploring clutters anyone
 * else's. The same browser, holding that sandbox's session, opens the same sandbox again.
 * Sandboxes nobody used for `idleMs` are removed with their documents, members and invites.
 */
import type { z } from 'zod';
import { type Joined, OpenDemoRequest } from '../src/lib/contract/http';
import { BoardDocs } from '../src/lib/sync/board-docs';
import { seedDemoBoard } from '../src/lib/sync/demo';
import { documentName, META_KEY } from '../src/lib/sync/layout';
import { liveContext } from '../src/lib/sync/operations';
import type { AccessControl } from './auth/access';
import { addMember, newId, parse, resumable, resumeMember } from './auth/api';
import { TokenError } from './auth/tokens';
import { readJsonBody, sendJson, type Route } from './http';
import type { Logger } from './log';
import type { RoomRegistry } from './relay/registry';
import type { DocumentStore } from './store/store';
import type { IntegrationStore } from './store/integrations';

/** Default idle time after which a sandbox is removed: a day. */
export const DEFAULT_SANDBOX_IDLE_MS = 24 * 60 * 60 * 1000;
/** Sandboxes removed per sweep at most, so one sweep never holds the store for long. */
const SWEEP_BATCH = 100;

export interface DemoSandboxOptions {
	access: AccessControl;
	registry: RoomRegistry;
	store: DocumentStore;
	/** A removed sandbox's alert integrations go with it. */
	integrations?: IntegrationStore;
	log: Logger;
	sessionTtlSeconds: number;
	/** A sandbox unused this long is removed. Default a day. */
	idleMs?: number;
	/** How often idle sandboxes are looked for; default a quarter of `idleMs`, at most 15 min. */
	sweepEveryMs?: number;
	now?: () => number;
}

export class DemoSandboxes {
	readonly #options: DemoSandboxOptions;
	readonly #now: () => number;
	readonly #idleMs: number;
	#timer: ReturnType<typeof setInterval> | null = null;
	#sweeping: Promise<string[]> | null = null;

	constructor(options: DemoSandboxOptions) {
		this.#options = options;
		this.#now = options.now ?? Date.now;
		this.#idleMs = options.idleMs ?? DEFAULT_SANDBOX_IDLE_MS;
	}

	/** `POST /api/demo`: the visitor's sandbox, made or opened again. */
	routes(): Route[] {
		return [
			{
				method: 'POST',
				path: /^\/api\/demo$/,
				handle: async (req, res) => {
					const body = parse(OpenDemoRequest, await readJsonBody(req));
					sendJson(res, 201, (await this.open(body)) satisfies z.input<typeof Joined>);
				}
			}
		];
	}

	/** Opens the sandbox the browser's session belongs to, or makes a new one. */
	async open(body: z.output<typeof OpenDemoRequest>): Promise<z.input<typeof Joined>> {
		const { access } = this.#options;
		const returning = body.resume === undefined ? null : await this.#returning(body.resume);
		if (returning) {
			return resumeMember(
				this.#options,
				returning,
				{ name: body.name, teams: [...returning.teams], roles: [...returning.roles] },
				{ sandbox: true }
			);
		}
		const boardId = newId();
		const createdAt = this.#now();
		await access.members.createBoard({ id: boardId, name: 'Acme Shop', createdAt, sandbox: true });
		await seedDemoContent(this.#options.registry, boardId, new Date(createdAt).toISOString());
		this.#options.log.info('made a demo sandbox', { board: boardId });
		// The visitor runs their copy: admin, Product Owner and Scrum Master, as a board's creator.
		return addMember(
			this.#options,
			boardId,
			{ name: body.name, teams: [], roles: ['product-owner', 'scrum-master'], admin: true },
			{ sandbox: true }
		);
	}

	/** The member a session held by the browser speaks for, when it is of a sandbox still there. */
	async #returning(token: string) {
		const { access } = this.#options;
		let boardId: string;
		try {
			boardId = (await access.tokens.verifySession(token)).boardId;
		} catch (error) {
			if (error instanceof TokenError) return null;
			throw error;
		}
		const board = await access.members.board(boardId);
		if (!board?.sandbox) return null;
		return resumable(access, token, boardId);
	}

	/**
	 * Removes every sandbox nobody used for the idle time (someone still connected to one, on
	 * any instance, counts as using it); resolves with the ids removed. Sweeps never overlap.
	 */
	sweep(): Promise<string[]> {
		this.#sweeping ??= this.#sweep().finally(() => {
			this.#sweeping = null;
		});
		return this.#sweeping;
	}

	async #sweep(): Promise<string[]> {
		const { access, store, log } = this.#options;
		const now = this.#now();
		// The boards people are connected to here are in use, recorded in the shared store: other
		// instances, which do not see these connections, sweep too. Every instance sweeps several
		// times within the idle time, so a board in use on any of them never looks idle.
		for (const boardId of this.#openBoards()) await access.members.touchBoard(boardId, now);
		const idle = await access.members.idleSandboxes(now - this.#idleMs, SWEEP_BATCH);
		const removed: string[] = [];
		for (const boardId of idle) {
			// Opened since the boards in use were recorded.
			if (this.#openBoards().has(boardId)) {
				await access.members.touchBoard(boardId, now);
				continue;
			}
			await store.deleteDocuments(documentName.board(boardId));
			await this.#options.integrations?.deleteBoardIntegrations(boardId);
			await access.members.deleteBoard(boardId);
			removed.push(boardId);
		}
		if (removed.length > 0) log.info('removed idle demo sandboxes', { count: removed.length });
		return removed;
	}

	/** Ids of the boards with a document open on this instance. */
	#openBoards(): Set<string> {
		return new Set([...this.#options.registry.rooms()].map((room) => room.name.split('/', 1)[0]!));
	}

	/** Sweeps on a timer until `stop`. */
	start(): void {
		const every =
			this.#options.sweepEveryMs ?? Math.min(Math.max(this.#idleMs / 4, 1000), 15 * 60_000);
		this.#timer = setInterval(() => {
			this.sweep().catch((error: unknown) =>
				this.#options.log.error('removing idle demo sandboxes failed', { error })
			);
		}, every);
		this.#timer.unref();
	}

	async stop(): Promise<void> {
		if (this.#timer) clearInterval(this.#timer);
		this.#timer = null;
		await this.#sweeping?.catch(() => {});
	}
}

/**
 * Writes the demo board's content (src/lib/sync/demo.ts) into board `boardId`, sprints starting
 * on the day of `today` (an ISO instant or day), through the rooms clients use, so it is stored
 * like any other change. False when the board has content already.
 */
export async function seedDemoContent(
	registry: RoomRegistry,
	boardId: string,
	today: string
): Promise<boolean> {
	const board = registry.acquire(documentName.board(boardId));
	const releases = [board.hold()];
	try {
		await board.loaded;
		if (board.doc.getMap(META_KEY).size > 0) return false;
		const rooms = [board];
		const docs = new BoardDocs(boardId, board.doc, (teamId) => {
			const team = registry.acquire(documentName.team(boardId, teamId));
			releases.push(team.hold());
			rooms.push(team);
			return team.doc;
		});
		seedDemoBoard(docs, liveContext(null), today.slice(0, 10));
		await Promise.all(rooms.map((room) => room.loaded));
		await Promise.all(rooms.map((room) => room.flush()));
		return true;
	} finally {
		for (const release of releases) release();
	}
}
