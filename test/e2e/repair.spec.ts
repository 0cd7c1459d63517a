/**
 * A board stored before the relay checked updates, with parts a hostile member wrote (a story
 * whose estimates nest 5,000 levels deep, a plain-JSON story, junk under the findings, unknown
 * root keys). It is written into the suite server's SQLite file before the server ever opens the
 * board, as an older server would have stored it. Its admin opens it: the good part works, the
 * bad parts are listed as rejected with their reasons, and Repair board removes them.
 */
import { expect, test } from '@playwright/test';
import { loadSecret } from '../../server/auth/secret';
import { TokenIssuer } from '../../server/auth/tokens';
import { POISON_ADMIN, poisonedBoard, storePoisonedBoard } from '../helpers/poisoned-board';
import { backlogRow, E2E_DATA_DIR as DATA_DIR } from './support';

test('the admin of a board holding poisoned parts sees them rejected, repairs the board, and it works', async ({
	browser
}) => {
	test.setTimeout(60_000);
	const boardId = `poisoned-${Date.now().toString(36)}`;
	const board = poisonedBoard(boardId, 5_000);
	await storePoisonedBoard(DATA_DIR, board);
	const tokens = new TokenIssuer(loadSecret(DATA_DIR).key);
	const roles = ['product-owner', 'scrum-master'] as const;
	const token = await tokens.issueSession(
		{ boardId, ...POISON_ADMIN, teams: [], roles: [...roles], admin: true },
		3600
	);

	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const session = JSON.stringify({ token, ...POISON_ADMIN, teams: [], roles, admin: true });
	await context.addInitScript(({ key, value }) => localStorage.setItem(key, value), {
		key: `scrumops.session.${boardId}`,
		value: session
	});
	const page = await context.newPage();
	await page.goto(`/board/${boardId}`);
	await expect(page.getByRole('heading', { level: 1, name: 'Acme Poisoned' })).toBeVisible({
		timeout: 10_000
	});

	// The good stories are there; the poisoned ones are listed with what is wrong.
	for (const title of board.goodStories) await expect(backlogRow(page, title)).toBeVisible();
	for (const title of board.healedStories) await expect(backlogRow(page, title)).toHaveCount(0);
	const panel = page.getByRole('region', { name: 'Rejected parts' });
	const rejected = panel.getByRole('list', { name: 'Parts every screen leaves out' });
	for (const [key, reason] of Object.entries(board.rejected)) {
		await expect(rejected.getByRole('listitem', { name: key }).locator('span')).toHaveText(reason);
	}
	const removable = panel.getByRole('list', { name: 'Parts Repair board removes' });
	await expect(removable.getByRole('listitem')).toHaveCount(board.violations.length);
	const deep = board.violations.find((violation) => violation.path.endsWith('/estimates'))!;
	await expect(removable).toContainText(`${deep.path} ${deep.problem}`);

	// Repairing asks first.
	await panel.getByRole('button', { name: 'Repair board' }).click();
	await expect(panel.getByRole('button', { name: 'Yes, repair the board' })).toBeFocused();
	await panel.getByRole('button', { name: 'Cancel' }).click();
	await expect(panel.getByRole('button', { name: 'Repair board' })).toBeFocused();
	await panel.getByRole('button', { name: 'Repair board' }).click();
	await panel.getByRole('button', { name: 'Yes, repair the board' }).click();

	await expect(panel.getByRole('status')).toContainText(
		`Removed ${board.violations.length} parts; everyone's board has them gone`
	);
	await expect(panel.getByTestId('rejected-count')).toHaveText('0', { timeout: 10_000 });
	await expect(rejected).toHaveCount(0);
	await expect(removable).toHaveCount(0);
	for (const title of [...board.goodStories, ...board.healedStories]) {
		await expect(backlogRow(page, title)).toBeVisible();
	}

	// The rest of the board works: a new story is added and shown.
	await page.getByLabel('New story title').fill('Gift cards');
	await page.getByRole('button', { name: 'Add story' }).click();
	await expect(backlogRow(page, 'Gift cards')).toBeVisible();
	await context.close();
});

test("a member's browser that kept the poisoned board offline opens the repaired board afresh", async ({
	browser,
	baseURL
}) => {
	test.setTimeout(90_000);
	const boardId = `stale-${Date.now().toString(36)}`;
	// Deep enough that removing it in one go exhausts a browser's stack.
	const board = poisonedBoard(boardId, 20_000);
	await storePoisonedBoard(DATA_DIR, board);
	const tokens = new TokenIssuer(loadSecret(DATA_DIR).key);
	const member = { personId: 'mia', name: 'Mia' };
	const memberToken = await tokens.issueSession(
		{ boardId, ...member, teams: [], roles: ['team-member'], admin: false },
		3600
	);
	const adminToken = await tokens.issueSession(
		{ boardId, ...POISON_ADMIN, teams: [], roles: ['product-owner'], admin: true },
		3600
	);

	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const session = JSON.stringify({
		token: memberToken,
		...member,
		teams: [],
		roles: ['team-member'],
		admin: false
	});
	await context.addInitScript(({ key, value }) => localStorage.setItem(key, value), {
		key: `scrumops.session.${boardId}`,
		value: session
	});
	const page = await context.newPage();
	const cleared: string[] = [];
	page.on('console', (message) => {
		if (message.text().includes('could not be brought up to date')) cleared.push(message.text());
	});
	await page.goto(`/board/${boardId}`);
	await expect(page.getByRole('region', { name: 'Rejected parts' })).toBeVisible({
		timeout: 15_000
	});
	// This browser's copy now holds the poisoned structure.
	await expect
		.poll(() => page.evaluate(storedBytes, `scrumops/${boardId}`), { timeout: 15_000 })
		.toBeGreaterThan(100_000);
	await page.goto('/');

	// The admin repairs the board while Mia is away.
	const repaired = await fetch(`${baseURL}/api/boards/${boardId}/repair`, {
		method: 'POST',
		headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
		body: '{}'
	});
	expect(repaired.status).toBe(200);

	// Back on the board, her copy cannot take the removal; it is cleared and the board reopens.
	await page.goto(`/board/${boardId}`);
	for (const title of [...board.goodStories, ...board.healedStories]) {
		await expect(backlogRow(page, title)).toBeVisible({ timeout: 20_000 });
	}
	await expect(page.getByRole('region', { name: 'Rejected parts' })).toHaveCount(0);
	expect(cleared).toHaveLength(1);
	await context.close();
});

/** Runs in the page: the bytes of the updates y-indexeddb keeps for one document. */
function storedBytes(name: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const open = indexedDB.open(name);
		open.onerror = () => reject(open.error);
		open.onsuccess = () => {
			const db = open.result;
			if (!db.objectStoreNames.contains('updates')) return resolve(0);
			const all = db.transaction('updates').objectStore('updates').getAll();
			all.onerror = () => reject(all.error);
			all.onsuccess = () => {
				db.close();
				resolve((all.result as Uint8Array[]).reduce((sum, update) => sum + update.byteLength, 0));
			};
		};
	});
}
