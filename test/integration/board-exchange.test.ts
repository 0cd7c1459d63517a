/**
 * [E1] GET /api/boards/:id/export and POST /api/boards/import over real HTTP: the admin downloads
 * the whole board as one file, and importing it makes a new board, entity for entity the same,
 * with the same findings, whose importer is its admin.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { BoardExport, BoardImported } from '../../src/lib/contract/exchange';
import type { Finding } from '../../src/lib/domain/findings';
import { DEMO_BOARD_ID, ensureDemoBoard } from '../../server/server';
import { eventually, startTestServer, type As, type TestServer } from '../helpers/server';

let server: TestServer;

beforeEach(async () => {
	server = await startTestServer({ validationDebounceMs: 5 });
	await ensureDemoBoard(
		server.server.registry,
		server.access,
		new Date().toISOString().slice(0, 10)
	);
});

afterEach(async () => {
	await server.close();
});

async function exportOf(boardId: string, bearer: string): Promise<Response> {
	return fetch(`${server.httpUrl}/api/boards/${boardId}/export`, {
		headers: { authorization: `Bearer ${bearer}` }
	});
}

async function importFile(file: unknown, query = ''): Promise<Response> {
	return fetch(`${server.httpUrl}/api/boards/import${query}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: typeof file === 'string' ? file : JSON.stringify(file)
	});
}

async function findingsOf(boardId: string, bearer: string): Promise<Finding[]> {
	const response = await fetch(`${server.httpUrl}/api/boards/${boardId}/findings`, {
		headers: { authorization: `Bearer ${bearer}` }
	});
	return (await response.json()) as Finding[];
}

/** The demo board's file, exported by its Product Owner (an admin of the board). */
async function demoFile(): Promise<{ file: BoardExport; bearer: string }> {
	const first = BoardExport.parse(
		await (await exportOf(DEMO_BOARD_ID, await server.token(DEMO_BOARD_ID))).json()
	);
	const priya = Object.values(first.board.collections.people!).find(
		(p) => p.name === 'Priya (PO)'
	)!;
	const as: As = { personId: priya.id as string, name: 'Priya (PO)' };
	const bearer = await server.token(DEMO_BOARD_ID, as);
	const response = await exportOf(DEMO_BOARD_ID, bearer);
	expect(response.status).toBe(200);
	expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="board-demo-/);
	return { file: BoardExport.parse(await response.json()), bearer };
}

describe('[E1] board export and import over HTTP', () => {
	test('the demo board exported and imported is a new board, entity for entity, with the same findings', async () => {
		const { file, bearer } = await demoFile();
		const response = await importFile(file);
		expect(response.status).toBe(201);
		const imported = BoardImported.parse(await response.json());
		expect(imported.boardId).not.toBe(DEMO_BOARD_ID);
		expect(imported.personId).toBe(file.exportedBy);
		expect(imported.counts.stories).toBe(Object.keys(file.board.collections.stories!).length);

		// The importer is the new board's admin: they may export it in turn.
		const again = await exportOf(imported.boardId, imported.token);
		expect(again.status).toBe(200);
		const copy = BoardExport.parse(await again.json());
		expect(copy.board.collections).toEqual(file.board.collections);
		expect(copy.teams).toEqual(file.teams);
		expect(copy.board.authorship).toEqual(file.board.authorship);
		expect({ ...copy.board.meta, id: null }).toEqual({ ...file.board.meta, id: null });
		expect(copy.board.meta.id).toBe(imported.boardId);

		const original = await findingsOf(DEMO_BOARD_ID, bearer);
		expect(original.length).toBeGreaterThan(0);
		await eventually(
			async () => {
				expect(await findingsOf(imported.boardId, imported.token)).toEqual(original);
				return true;
			},
			{ what: 'the same findings on the imported board' }
		);
	});

	test('a file whose exporter is not one of its people needs the importer’s name, and adds them', async () => {
		const bearer = await server.token(DEMO_BOARD_ID); // "tester", admin but not a person of the demo
		const file = BoardExport.parse(await (await exportOf(DEMO_BOARD_ID, bearer)).json());
		const nameless = await importFile(file);
		expect(nameless.status).toBe(400);
		expect(((await nameless.json()) as { error: string }).error).toMatch(/\?adminName=/);

		const named = await importFile(file, '?adminName=Rosa');
		expect(named.status).toBe(201);
		const imported = BoardImported.parse(await named.json());
		const copy = BoardExport.parse(await (await exportOf(imported.boardId, imported.token)).json());
		const people = Object.keys(file.board.collections.people!);
		expect(Object.keys(copy.board.collections.people!).sort()).toEqual(
			[...people, imported.personId].sort()
		);
		expect(copy.board.collections.people![imported.personId]).toMatchObject({
			name: 'Rosa',
			roles: ['product-owner', 'scrum-master']
		});
	});

	test('only the admin exports; an unknown board is a 404', async () => {
		const member = await server.token(DEMO_BOARD_ID, { personId: 'ana', admin: false });
		const refused = await exportOf(DEMO_BOARD_ID, member);
		expect(refused.status).toBe(403);
		expect(((await refused.json()) as { code: string }).code).toBe('not-admin');
		expect((await exportOf('nowhere', await server.token('nowhere'))).status).toBe(404);
	});

	test('a bad file is refused with what is wrong and where, and no board is made', async () => {
		const { file } = await demoFile();
		const before = (await server.access.members.members(DEMO_BOARD_ID)).length;
		const cases: [unknown, RegExp][] = [
			['{"format": ', /not valid JSON/],
			[{ ...file, format: 'trello' }, /format.*"scrumops-board-export"/],
			[{ ...file, version: 7 }, /version: this server reads board export files of version 1/],
			[
				{
					...file,
					board: { ...file.board, collections: { ...file.board.collections, gadgets: {} } }
				},
				/board\/gadgets: this server has no collection "gadgets"/
			]
		];
		for (const [body, message] of cases) {
			const response = await importFile(body);
			expect(response.status).toBe(400);
			const refusal = (await response.json()) as { error: string };
			expect(refusal.error).toMatch(message);
		}
		expect((await server.access.members.members(DEMO_BOARD_ID)).length).toBe(before);
	});

	test('a file over the import bound is refused before it is read', async () => {
		await server.close();
		server = await startTestServer({ importMaxBytes: 1024 });
		await ensureDemoBoard(
			server.server.registry,
			server.access,
			new Date().toISOString().slice(0, 10)
		);
		const file = BoardExport.parse(
			await (await exportOf(DEMO_BOARD_ID, await server.token(DEMO_BOARD_ID))).json()
		);
		const response = await importFile(file, '?adminName=Rosa');
		expect(response.status).toBe(413);
	});
});
