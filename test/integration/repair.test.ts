/**
 * A board stored before the relay checked updates, holding what a hostile member wrote: a story
 * nesting Y.Maps 5,000 levels deep in its estimates, junk under `findings`, a plain-JSON entity,
 * a set written as a plain array, unknown root keys. Written straight into SQLite, then served by
 * a real server on real sockets: the board opens, its bad parts are listed with their reasons,
 * the admin's Repair board removes them (recorded in the audit log), and it stays clean after a
 * restart.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BoardDocs } from '../../src/lib/sync/board-docs';
import { documentName } from '../../src/lib/sync/layout';
import { BoardProjection } from '../../src/lib/sync/projection';
import { inspectDocument } from '../../src/lib/sync/shape/inspect';
import {
	eventually,
	startTestServer,
	synced,
	testSecret,
	type As,
	type TestServer
} from '../helpers/server';
import { POISON_ADMIN, poisonedBoard, storePoisonedBoard } from '../helpers/poisoned-board';

const BOARD = 'acme';
const DEPTH = 5_000;
const ADMIN: As = { personId: POISON_ADMIN.personId, name: POISON_ADMIN.name, admin: true };
const MEMBER: As = { personId: 'bob', name: 'Bob', admin: false, roles: ['team-member'] };

const board = poisonedBoard(BOARD, DEPTH);
const teamName = documentName.team(BOARD, board.teamId);
let dataDir: string;
const secret = testSecret();
let server: TestServer;

async function api(
	method: 'GET' | 'POST',
	route: string,
	as: As
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of several shapes, checked by each test
): Promise<{ status: number; body: any }> {
	const token = await server.token(BOARD, as);
	const response = await fetch(`${server.httpUrl}/api/boards/${BOARD}${route}`, {
		method,
		headers: { authorization: `Bearer ${token}` }
	});
	return { status: response.status, body: await response.json() };
}

const titles = (stories: { title: string }[]) => stories.map((story) => story.title).sort();
const byPlace = (a: { document: string; path: string }, b: { document: string; path: string }) =>
	a.document === b.document ? (a.path < b.path ? -1 : 1) : a.document < b.document ? -1 : 1;

/** An official client reading the board and its team's document, as a browser does. */
async function reader(as: As) {
	const docs = new Map<string, Y.Doc>();
	const providers: WebsocketProvider[] = [];
	for (const name of [BOARD, teamName]) {
		const provider = await server.connect(name, { as });
		providers.push(provider);
		docs.set(name, provider.doc);
	}
	await Promise.all(providers.map(synced));
	const boardDocs = new BoardDocs(BOARD, docs.get(BOARD), (teamId) =>
		teamId === board.teamId ? docs.get(teamName)! : new Y.Doc()
	);
	const projection = new BoardProjection(boardDocs, { now: Date.now() });
	return {
		docs,
		projection,
		close: () => providers.forEach((provider) => provider.destroy())
	};
}

beforeAll(async () => {
	dataDir = await mkdtemp(path.join(os.tmpdir(), 'scrumops-repair-'));
	await storePoisonedBoard(dataDir, board);
	server = await startTestServer({ dataDir, secret });
});

afterAll(async () => {
	await server?.close();
	await rm(dataDir, { recursive: true, force: true });
});

describe('a board stored with parts that break the document contract', () => {
	let client: Awaited<ReturnType<typeof reader>>;

	test('opens: findings and the backlog answer 200, with the good stories', async () => {
		const findings = await api('GET', '/findings', MEMBER);
		expect(findings.status).toBe(200);
		expect(Array.isArray(findings.body)).toBe(true);
		const backlog = await api('GET', '/backlog', MEMBER);
		expect(backlog.status).toBe(200);
		expect(titles(backlog.body.stories)).toEqual([...board.goodStories].sort());
	});

	test('any member sees the rejected parts with their reasons, and what a repair removes', async () => {
		const { status, body } = await api('GET', '/rejected', MEMBER);
		expect(status).toBe(200);
		const rejected = new Map(
			(body.rejected as { key: string; reason: string }[]).map((r) => [r.key, r.reason])
		);
		expect([...rejected.keys()].sort()).toEqual(Object.keys(board.rejected).sort());
		for (const [key, reason] of Object.entries(board.rejected)) {
			expect(rejected.get(key), key).toMatch(reason);
		}
		expect(body.violations).toEqual([...board.violations].sort(byPlace));
		expect(body.total).toEqual({
			rejected: rejected.size,
			violations: board.violations.length
		});
	});

	test('a client syncs the board and reads it: the bad parts rejected, the rest there', async () => {
		client = await reader(MEMBER);
		for (const [key, reason] of Object.entries(board.rejected)) {
			expect(client.projection.rejected.get(key), key).toMatch(reason);
		}
		expect(titles([...client.projection.state.stories.values()])).toEqual(
			[...board.goodStories].sort()
		);
		expect(client.projection.state.tasks.size).toBe(0);
	});

	test('only the admin may repair it', async () => {
		const refused = await api('POST', '/repair', MEMBER);
		expect(refused.status).toBe(403);
		expect(refused.body.error).toBe("Only the board's admin may repair it; ask them to.");
		expect((await api('GET', '/rejected', MEMBER)).body.total.violations).toBe(
			board.violations.length
		);
	});

	test("the admin's repair removes every listed part, and the audit log records it as theirs", async () => {
		const repaired = await api('POST', '/repair', ADMIN);
		expect(repaired.status).toBe(200);
		expect([...repaired.body.removed].sort(byPlace)).toEqual([...board.violations].sort(byPlace));
		expect(repaired.body.total).toBe(board.violations.length);

		const after = await api('GET', '/rejected', MEMBER);
		expect(after.body).toEqual({
			rejected: [],
			violations: [],
			total: { rejected: 0, violations: 0 }
		});
		const backlog = await api('GET', '/backlog', MEMBER);
		expect(titles(backlog.body.stories)).toEqual(
			[...board.goodStories, ...board.healedStories].sort()
		);

		const audit = await api('GET', '/audit?limit=1000', ADMIN);
		const repairs = (
			audit.body as { author: string; intent: string | null; document: string }[]
		).filter((entry) => entry.intent === 'repairBoard');
		expect(repairs.length).toBeGreaterThan(DEPTH / 200);
		expect(repairs.every((entry) => entry.author === POISON_ADMIN.personId)).toBe(true);
		expect(new Set(repairs.map((entry) => entry.document))).toEqual(new Set([BOARD, teamName]));
	});

	test('the repair is stored folded into a snapshot: the log loads even in one transaction, clean', async () => {
		for (const name of [BOARD, teamName]) {
			const doc = new Y.Doc();
			const { updates } = await server.store.load(name);
			// Even replayed in one transaction, the folded log holds nothing deep.
			expect(() =>
				Y.transact(doc, () => updates.forEach((update) => Y.applyUpdate(doc, update)))
			).not.toThrow();
			expect(inspectDocument(doc, name === BOARD ? 'board' : 'team'), name).toEqual([]);
		}
	});

	test('a connected client gets the repair slice by slice and ends with the same clean board', async () => {
		await eventually(() => client.projection.rejected.size === 0, {
			what: 'the client to read the repaired board'
		});
		expect(inspectDocument(client.docs.get(BOARD)!, 'board')).toEqual([]);
		expect(inspectDocument(client.docs.get(teamName)!, 'team')).toEqual([]);
		expect(titles([...client.projection.state.stories.values()])).toEqual(
			[...board.goodStories, ...board.healedStories].sort()
		);
		expect(client.projection.state.tasks.size).toBe(1);
		client.close();
	});

	test('after a restart the board is clean', async () => {
		await server.close();
		server = await startTestServer({ dataDir, secret });
		const { body } = await api('GET', '/rejected', MEMBER);
		expect(body.total).toEqual({ rejected: 0, violations: 0 });
		const backlog = await api('GET', '/backlog', MEMBER);
		expect(titles(backlog.body.stories)).toEqual(
			[...board.goodStories, ...board.healedStories].sort()
		);
		const fresh = await reader(MEMBER);
		expect(fresh.projection.rejected.size).toBe(0);
		fresh.close();
	});
});
