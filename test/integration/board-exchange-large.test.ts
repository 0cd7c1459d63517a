/**
 * [E1] The 10,000-story benchmark board through the real endpoints: imported from its export file
 * over HTTP, then exported again, it is entity for entity the same. (Its findings are compared in
 * test/unit/exchange/board-file.test.ts, on one clock.)
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { generateBoard } from '../../bench/board-generator';
import { BoardExport, BoardImported } from '../../src/lib/contract/exchange';
import { exportBoard } from '../../src/lib/sync/board-file';
import { startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;

beforeAll(async () => {
	server = await startTestServer({ requestTimeoutMs: 120_000, headersTimeoutMs: 10_000 });
});

afterAll(async () => {
	await server.close();
});

test('[E1] the 10,000-story board imported over HTTP exports again entity for entity', async () => {
	const { docs } = generateBoard({
		teams: 50,
		stories: 10_000,
		tasks: 20_000,
		openWorkPackages: 2_000
	});
	docs.openTeamDocs();
	const file = exportBoard(docs, { exportedBy: null, now: Date.now() });
	const body = JSON.stringify(file);
	const response = await fetch(`${server.httpUrl}/api/boards/import?adminName=Rosa`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body
	});
	expect(response.status).toBe(201);
	const imported = BoardImported.parse(await response.json());
	expect(imported.counts).toMatchObject({ stories: 10_000, tasks: 20_000 });

	const again = await fetch(`${server.httpUrl}/api/boards/${imported.boardId}/export`, {
		headers: { authorization: `Bearer ${imported.token}` }
	});
	expect(again.status).toBe(200);
	const copy = BoardExport.parse(await again.json());
	const { [imported.personId]: importer, ...people } = copy.board.collections.people!;
	expect(importer).toMatchObject({ name: 'Rosa' });
	expect({ ...copy.board.collections, people }).toEqual(file.board.collections);
	expect(copy.teams).toEqual(file.teams);
	expect({ ...copy.board.meta, id: null }).toEqual({ ...file.board.meta, id: null });
	console.log(`board file: ${(body.length / 1024 / 1024).toFixed(1)} MiB`);
}, 120_000);
