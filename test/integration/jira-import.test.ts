/**
 * POST /api/boards/:id/import/jira over real HTTP: the admin previews a Jira Cloud CSV export,
 * then imports it into the backlog in one go; a file that cannot be read is refused with its line
 * and nothing is written.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { BoardExport, JiraImportAnswer, JiraRefusal } from '../../src/lib/contract/exchange';
import { DEMO_BOARD_ID, ensureDemoBoard } from '../../server/server';
import { startTestServer, type As, type TestServer } from '../helpers/server';

let server: TestServer;

const fixture = (name: string) =>
	readFileSync(new URL(`../fixtures/jira/${name}`, import.meta.url), 'utf8');

beforeEach(async () => {
	server = await startTestServer();
	await ensureDemoBoard(server.server.registry, server.access, '2026-11-23');
});

afterEach(async () => {
	await server.close();
});

async function importJira(
	body: { csv: string; teamId: string | null },
	{ dryRun = false, as }: { dryRun?: boolean; as?: As } = {}
): Promise<{ status: number; body: unknown }> {
	const response = await fetch(
		`${server.httpUrl}/api/boards/${DEMO_BOARD_ID}/import/jira${dryRun ? '?dryRun=1' : ''}`,
		{
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				authorization: `Bearer ${await server.token(DEMO_BOARD_ID, as)}`
			},
			body: JSON.stringify(body)
		}
	);
	return { status: response.status, body: await response.json() };
}

async function board(): Promise<BoardExport> {
	const response = await fetch(`${server.httpUrl}/api/boards/${DEMO_BOARD_ID}/export`, {
		headers: { authorization: `Bearer ${await server.token(DEMO_BOARD_ID)}` }
	});
	return BoardExport.parse(await response.json());
}

function backlogTitles(file: BoardExport): string[] {
	return Object.values(file.board.collections.stories!)
		.sort((a, b) => ((a.rank as string) < (b.rank as string) ? -1 : 1))
		.map((story) => story.title as string);
}

function teamNamed(file: BoardExport, name: string): string {
	return Object.values(file.board.collections.teams!).find((t) => t.name === name)!.id as string;
}

describe('Jira CSV import', () => {
	test('the preview says what would be created and skipped, by line, and writes nothing', async () => {
		const before = await board();
		const web = teamNamed(before, 'Web');
		const { status, body } = await importJira(
			{ csv: fixture('cloud-all-fields.csv'), teamId: web },
			{ dryRun: true }
		);
		expect(status).toBe(200);
		const answer = JiraImportAnswer.parse(body);
		expect(answer.written).toBeNull();
		expect(answer.plan.epics.map((e) => e.key)).toEqual(['SHOP-1']);
		expect(answer.plan.stories.map((s) => s.key)).toEqual(['SHOP-2', 'SHOP-3', 'SHOP-7']);
		expect(answer.plan.skipped.map((s) => s.line)).toEqual([9, 10, 11]);
		expect(backlogTitles(await board())).toEqual(backlogTitles(before));
	});

	test('the import writes epics and stories after the backlog, in file order, with the team’s estimate and Jira’s creation time', async () => {
		const before = await board();
		const web = teamNamed(before, 'Web');
		const { status, body } = await importJira({
			csv: fixture('cloud-all-fields.csv'),
			teamId: web
		});
		expect(status).toBe(201);
		const { written } = JiraImportAnswer.parse(body);
		expect(written!.stories).toHaveLength(3);

		const after = await board();
		expect(backlogTitles(after)).toEqual([
			...backlogTitles(before),
			'Pay with a saved card',
			'Store the card token',
			'Guest checkout'
		]);
		const [epicId] = written!.epics;
		expect(after.board.collections.epics![epicId!]).toMatchObject({ title: 'Checkout redesign' });
		const [card, token, guest] = written!.stories.map(
			(id) => after.board.collections.stories![id]!
		);
		expect(card).toMatchObject({
			epicId,
			teamIds: [web],
			estimates: { [web]: 5 },
			createdAt: '2026-11-22T14:05:00.000Z'
		});
		expect(card!.iWant).toContain('I want to pay with a card I saved');
		expect(token).toMatchObject({ epicId, estimates: { [web]: 3 } });
		expect(guest).toMatchObject({ epicId: null, estimates: {} });
	});

	test('a file with an unterminated quote is refused with its line, and nothing is written', async () => {
		const before = await board();
		const { status, body } = await importJira({
			csv: fixture('unterminated-quote.csv'),
			teamId: null
		});
		expect(status).toBe(400);
		const refusal = JiraRefusal.parse(body);
		expect(refusal.line).toBe(3);
		expect(refusal.error).toMatch(
			/^The file cannot be imported: line 3: a quoted field .* never closed/
		);
		expect(backlogTitles(await board())).toEqual(backlogTitles(before));
	});

	test('only the admin imports; a team the board lacks is refused', async () => {
		const refused = await importJira(
			{ csv: fixture('semicolon-epic-link.csv'), teamId: null },
			{ as: { personId: 'ana', admin: false } }
		);
		expect(refused.status).toBe(403);
		const noTeam = await importJira({ csv: fixture('semicolon-epic-link.csv'), teamId: 'nope' });
		expect(noTeam.status).toBe(400);
		expect((noTeam.body as { error: string }).error).toMatch(/no team "nope"/);
	});
});
