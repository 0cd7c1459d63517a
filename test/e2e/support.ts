/**
 * Shared steps of the board specs. Every test makes a board of its own (`demoBoard`: the demo's
 * content on a new board), and people join it by invite, each in their own browser context, so
 * no test depends on what another one changed.
 */
import path from 'node:path';
import {
	expect,
	type Browser,
	type BrowserContext,
	type Locator,
	type Page
} from '@playwright/test';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { loadSecret } from '../../server/auth/secret';
import { TokenIssuer } from '../../server/auth/tokens';
import type { StoredSession } from '../../src/lib/client/session';
import type { Role } from '../../src/lib/domain/schema';
import { BoardDocs } from '../../src/lib/sync/board-docs';
import { seedDemoBoard, type DemoIds } from '../../src/lib/sync/demo';
import { BOARD_COLLECTIONS, documentName, TEAM_COLLECTIONS } from '../../src/lib/sync/layout';
import { liveContext } from '../../src/lib/sync/operations';
import { synced } from '../helpers/synced';

export interface Person {
	context: BrowserContext;
	page: Page;
}

/** A person who joined through the API: their browser holds this session. */
export interface Member extends Person {
	session: StoredSession;
}

/** The suite server's data directory (playwright.config.ts), relative to where it runs. */
export const E2E_DATA_DIR = path.resolve('test-results/e2e-data');

const VIEWPORT = { width: 1280, height: 800 };

/** Where a session for `boardId` is kept in the browser (src/lib/client/session.ts). */
export const sessionKey = (boardId: string) => `scrumops.session.${boardId}`;

/** The team keys of the demo board. */
export type DemoTeam = keyof DemoIds['teams'];

export interface DemoBoard {
	boardId: string;
	/** The board's address on the server, `/board/<id>`. */
	path: string;
	/** Ids of what the demo seeded: people, teams, sprints, stories, the SEV1 template and incident. */
	ids: DemoIds;
	/** The board's admin, who created it (no browser of their own). */
	admin: StoredSession;
	/** The path of an invite link (`/join/<id>?invite=…`) to `team` (none: no team) as `role`. */
	invite(team?: DemoTeam | null, role?: Role): Promise<string>;
	/**
	 * A new person (own browser context) who joins `team` as `role` with an invite, through the
	 * API, and opens the board with that session stored in the browser.
	 */
	join(browser: Browser, name: string, options?: { team?: DemoTeam; role?: Role }): Promise<Member>;
}

/**
 * A new board holding the demo board's content (src/lib/sync/demo.ts), sprints starting today:
 * created through the API by its admin, filled by the app's own seeding over the official
 * y-websocket client, and returned once the server holds every part of it.
 *
 * @param baseURL the server (a test's `baseURL` for the suite's)
 * @param secret the server's token secret, which signs the admin a session in the teams whose
 *   task documents the seed writes (R11), as `npm run token` would; by default the one in the
 *   suite server's data directory.
 */
export async function demoBoard(
	baseURL: string,
	{ secret }: { secret?: string } = {}
): Promise<DemoBoard> {
	const origin = new URL(baseURL).origin;
	const created = await api<{ boardId: string; personId: string; token: string }>(
		origin,
		'/api/boards',
		{ name: 'Acme Shop', adminName: 'Ada' }
	);
	const { boardId } = created;
	const admin: StoredSession = {
		token: created.token,
		personId: created.personId,
		name: 'Ada',
		teams: [],
		roles: ['product-owner', 'scrum-master'],
		admin: true
	};

	// The board document, as the admin.
	const board = connect(origin, documentName.board(boardId), admin.token);
	const teamDocs = new Map<string, Y.Doc>();
	let ids: DemoIds;
	try {
		await synced(board);
		const docs = new BoardDocs(boardId, board.doc, (teamId) => {
			const doc = new Y.Doc();
			teamDocs.set(teamId, doc);
			return doc;
		});
		// The demo brings its own incident templates: the ones every new board starts with go.
		const templates = docs.collection('templates');
		docs.board.transact(() => {
			for (const id of [...templates.keys()]) templates.delete(id);
		});
		ids = seedDemoBoard(docs, liveContext(admin.personId), new Date().toISOString().slice(0, 10));
		const written = writtenDocs(board.doc, teamDocs);

		// The task documents the seed wrote (its incident's tasks), as the admin in those teams.
		const issuer = new TokenIssuer(
			secret ? new TextEncoder().encode(secret) : loadSecret(E2E_DATA_DIR).key
		);
		const teamToken = await issuer.issueSession(
			{
				boardId,
				personId: admin.personId,
				name: admin.name,
				teams: [...teamDocs.keys()],
				roles: admin.roles!,
				admin: true
			},
			3600
		);
		const teams = [...teamDocs].map(([teamId, doc]) =>
			connect(origin, documentName.team(boardId, teamId), teamToken, doc)
		);
		try {
			await serverHolds(origin, documentName.board(boardId), admin.token, written.board);
			for (const [teamId, keys] of written.teams) {
				await serverHolds(origin, documentName.team(boardId, teamId), admin.token, keys);
			}
		} finally {
			for (const provider of teams) provider.destroy();
		}
	} finally {
		board.destroy();
	}

	const teamNames: Record<DemoTeam, string> = { web: 'Web', mobile: 'Mobile', ops: 'Ops L2' };
	const invites = new Map<string, Promise<string>>();
	const invite = (team: DemoTeam | null = null, role: Role = 'team-member') => {
		const key = `${team}/${role}`;
		let made = invites.get(key);
		if (!made) {
			made = api<{ path: string }>(
				origin,
				`/api/boards/${boardId}/invites`,
				{ teamId: team === null ? null : ids.teams[team], role },
				admin.token
			).then((answer) => answer.path);
			invites.set(key, made);
		}
		return made;
	};

	return {
		boardId,
		path: `/board/${boardId}`,
		ids,
		admin,
		invite,
		async join(browser, name, { team, role } = {}) {
			const link = new URL(await invite(team ?? null, role), origin);
			const joined = await api<{
				personId: string;
				token: string;
				teams: string[];
				roles: Role[];
			}>(origin, `/api/boards/${boardId}/join`, {
				name,
				invite: link.searchParams.get('invite')
			});
			const session: StoredSession = {
				token: joined.token,
				personId: joined.personId,
				name,
				teams: joined.teams,
				roles: joined.roles,
				admin: false
			};
			const context = await browser.newContext({
				viewport: VIEWPORT,
				baseURL: origin,
				storageState: {
					cookies: [],
					origins: [
						{
							origin,
							localStorage: [{ name: sessionKey(boardId), value: JSON.stringify(session) }]
						}
					]
				}
			});
			const page = await context.newPage();
			await page.goto(`/board/${boardId}`);
			await expect(page).toHaveURL(boardUrl(boardId));
			await expect(connected(page)).toBeVisible({ timeout: 10_000 });
			if (team) await expect(page.locator('.me')).toContainText(teamNames[team]);
			return { context, page, session };
		}
	};
}

export { synced };

/** The connection indicator once the board is live. */
export function connected(page: Page) {
	return page.getByRole('status').filter({ hasText: 'Connected' });
}

/** POSTs `body` as JSON to the server's API and returns the answer, which must be a 201. */
async function api<T>(origin: string, path: string, body: unknown, token?: string): Promise<T> {
	const response = await fetch(`${origin}${path}`, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			...(token ? { authorization: `Bearer ${token}` } : {})
		},
		body: JSON.stringify(body)
	});
	const text = await response.text();
	if (response.status !== 201) throw new Error(`POST ${path}: ${response.status} ${text}`);
	return JSON.parse(text) as T;
}

/** The official y-websocket client in Node, with a session token as scripts connect. */
export function connect(
	origin: string,
	name: string,
	token: string,
	doc = new Y.Doc()
): WebsocketProvider {
	return new WebsocketProvider(`${origin.replace(/^http/, 'ws')}/sync`, name, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		params: { token }
	});
}

/** What a write put in a document: its state vector, and the entity ids of every collection. */
export interface WrittenDoc {
	stateVector: Map<number, number>;
	keys: Map<string, string[]>;
}

interface Written {
	board: WrittenDoc;
	teams: Map<string, WrittenDoc>;
}

/** What the seed just wrote, before anything the server sends back can change it. */
function writtenDocs(board: Y.Doc, teams: ReadonlyMap<string, Y.Doc>): Written {
	return {
		board: writtenDoc(board, BOARD_COLLECTIONS),
		teams: new Map([...teams].map(([teamId, doc]) => [teamId, writtenDoc(doc, TEAM_COLLECTIONS)]))
	};
}

/** What `doc` holds now, to check with `serverHolds` that the server took it all. */
export function writtenDoc(doc: Y.Doc, collections: readonly string[]): WrittenDoc {
	return {
		stateVector: Y.decodeStateVector(Y.encodeStateVector(doc)),
		keys: new Map(collections.map((name) => [name, [...doc.getMap(name).keys()]]))
	};
}

/**
 * Resolves once the server holds a write: a fresh connection to document `name` receives every
 * change the writer made (its state vector), and every entity it wrote is there, not refused.
 */
export async function serverHolds(
	origin: string,
	name: string,
	token: string,
	written: WrittenDoc
): Promise<void> {
	const reader = connect(origin, name, token);
	try {
		await synced(reader);
		await new Promise<void>((resolve, reject) => {
			const covered = () => {
				const have = Y.decodeStateVector(Y.encodeStateVector(reader.doc));
				return [...written.stateVector].every(
					([client, clock]) => (have.get(client) ?? 0) >= clock
				);
			};
			const check = () => {
				if (!covered()) return;
				reader.doc.off('update', check);
				clearTimeout(timer);
				resolve();
			};
			const timer = setTimeout(() => {
				reader.doc.off('update', check);
				reject(new Error(`the server did not relay the whole write of ${name} within 10 s`));
			}, 10_000);
			reader.doc.on('update', check);
			check();
		});
		for (const [collection, ids] of written.keys) {
			const stored = reader.doc.getMap(collection);
			const missing = ids.filter((id) => !stored.has(id));
			expect(missing, `${name}: ${collection} the server refused`).toEqual([]);
		}
	} finally {
		reader.destroy();
	}
}

/**
 * The address of a board's page: `/board/<id>`, or one of its views below it
 * (`/board/<id>/planning`…). Without an id, any board's.
 */
export function boardUrl(boardId?: string): RegExp {
	const id = boardId === undefined ? '[A-Za-z0-9_-]+' : escape(encodeURIComponent(boardId));
	return new RegExp(`/board/${id}(/[^?#]*)?([?#].*)?$`);
}

/** Whether this run writes the pictures README.md shows: `SCREENSHOTS=1 npm run test:e2e`. */
export const SCREENSHOTS = !!process.env.SCREENSHOTS;

/**
 * Writes `docs/screenshots/<name>.png` from a page or a part of it when this run was asked to
 * (`SCREENSHOTS`), so a plain test run leaves those tracked files alone.
 */
export async function docsScreenshot(
	target: Page | Locator,
	name: string,
	options: { fullPage?: boolean } = {}
): Promise<void> {
	if (!SCREENSHOTS) return;
	const path = `docs/screenshots/${name}.png`;
	if ('goto' in target) {
		// A full page is drawn from the top: scrolled, the sticky header lands mid-page.
		if (options.fullPage) await target.evaluate(() => window.scrollTo(0, 0));
		await target.screenshot({ path, ...options });
	} else await target.screenshot({ path });
}

/** The views of a board, as its navigation names them. */
export type ViewName =
	| 'Backlog'
	| 'Planning'
	| 'Team board'
	| 'Standup'
	| 'Scrum of Scrums'
	| 'Incidents'
	| 'Review'
	| 'Retro'
	| 'Dashboard'
	| 'Members'
	| 'Settings';

/** A view's entry in the board's navigation: a link or a button with exactly that name. */
export function viewTab(page: Page, name: ViewName): Locator {
	const nav = page.getByRole('navigation', { name: 'Board views' });
	return nav
		.getByRole('link', { name, exact: true })
		.or(nav.getByRole('button', { name, exact: true }));
}

/** Opens a view of the board from its navigation and waits until it is the current one. */
export async function openView(page: Page, name: ViewName): Promise<void> {
	await viewTab(page, name).click();
	await expectView(page, name);
}

/** Waits until the board's navigation marks `name` as the view shown. */
export async function expectView(page: Page, name: ViewName): Promise<void> {
	await expect(viewTab(page, name)).toHaveAttribute('aria-current', 'page');
}

/** The board id in a board page's address. */
export function boardIdOf(url: string): string {
	const match = /\/board\/([^/?#]+)/.exec(new URL(url).pathname);
	if (!match) throw new Error(`not a board address: ${url}`);
	return decodeURIComponent(match[1]!);
}

export function backlogRow(page: Page, title: string) {
	// A row is named by what it shows: its number and title, then its tags, teams and points.
	return page.getByRole('option', { name: new RegExp(`^\\d+\\. ${escape(title)}(?: |$)`) });
}

export function escape(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Titles of the backlog rows in the order shown. */
export async function backlogTitles(page: Page): Promise<string[]> {
	return page
		.getByRole('listbox', { name: 'Stories in priority order' })
		.getByRole('option')
		.evaluateAll((rows) =>
			rows
				.map((row) => ({
					y: new DOMMatrix(getComputedStyle(row).transform).m42,
					title: row.querySelector('.title')?.textContent ?? ''
				}))
				.sort((a, b) => a.y - b.y)
				.map((row) => row.title)
		);
}

/** A new person (own context) who creates a board from the landing page and is its admin. */
export async function createBoard(
	browser: Browser,
	boardName: string,
	adminName: string
): Promise<Person & { boardUrl: string; boardId: string }> {
	const context = await browser.newContext({ viewport: VIEWPORT });
	const page = await context.newPage();
	await page.goto('/');
	await page.getByLabel('Board name').fill(boardName);
	await page.getByLabel('Your name').nth(1).fill(adminName);
	await page.getByRole('button', { name: 'Create a board' }).click();
	await expect(page).toHaveURL(boardUrl());
	await expect(page.getByRole('heading', { level: 1, name: boardName })).toBeVisible({
		timeout: 10_000
	});
	return { context, page, boardUrl: page.url(), boardId: boardIdOf(page.url()) };
}

/** A new browser (own context) holding `session` for `boardId`, with the board open. */
export async function openBoardAs(
	browser: Browser,
	baseURL: string,
	boardId: string,
	session: StoredSession
): Promise<Person> {
	const origin = new URL(baseURL).origin;
	const context = await browser.newContext({
		viewport: VIEWPORT,
		baseURL: origin,
		storageState: {
			cookies: [],
			origins: [
				{ origin, localStorage: [{ name: sessionKey(boardId), value: JSON.stringify(session) }] }
			]
		}
	});
	const page = await context.newPage();
	await page.goto(`/board/${boardId}`);
	await expect(connected(page)).toBeVisible({ timeout: 10_000 });
	return { context, page };
}

/** A new person (own context) who opens the demo from the landing page as `name`. */
export async function openDemo(
	browser: Browser,
	name: string
): Promise<Person & { boardId: string }> {
	const context = await browser.newContext({ viewport: VIEWPORT });
	const page = await context.newPage();
	await openDemoIn(page, name);
	return { context, page, boardId: boardIdOf(page.url()) };
}

/** Opens the demo from the landing page in `page` as `name` and waits for the board. */
export async function openDemoIn(page: Page, name: string): Promise<void> {
	await page.goto('/');
	await page.getByLabel('Your name').first().fill(name);
	await page.getByRole('button', { name: 'Open the demo board' }).click();
	await expect(page).toHaveURL(boardUrl());
	await expect(connected(page)).toBeVisible({ timeout: 10_000 });
}

/** A new person (own context) who follows an invite link and joins with their name. */
export async function joinByInvite(browser: Browser, link: string, name: string): Promise<Person> {
	const context = await browser.newContext({ viewport: VIEWPORT });
	const page = await context.newPage();
	await page.goto(link);
	await page.getByLabel('Your name').fill(name);
	await page.getByRole('button', { name: 'Join the board' }).click();
	await expect(page).toHaveURL(boardUrl());
	await expect(connected(page)).toBeVisible({ timeout: 10_000 });
	return { context, page };
}
