import { expect, test, type WebSocketRoute } from '@playwright/test';
import { backlogRow, backlogTitles, demoBoard, sessionKey } from './support';

test('while the board document is on its way, the backlog shows the server’s top rows read-only; then it goes live', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const ana = await board.join(browser, 'Ana');
	const titles = await backlogTitles(ana.page);
	const key = sessionKey(board.boardId);
	const session = await ana.page.evaluate((key) => localStorage.getItem(key), key);
	expect(session).not.toBeNull();

	// A second screen of Ana's, whose sync connections are held until we let them through.
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	await context.addInitScript(({ key, stored }) => localStorage.setItem(key, stored), {
		key,
		stored: session!
	});
	let release = false;
	const held: WebSocketRoute[] = [];
	await context.routeWebSocket(/\/sync\//, (ws) => {
		if (release) ws.connectToServer();
		else held.push(ws);
	});
	const page = await context.newPage();
	await page.goto(board.path);

	const count = page.locator('.count');
	await expect(count).toHaveText(
		`Loading the board: the first ${titles.length} of ${titles.length} stories`
	);
	expect(await backlogTitles(page)).toEqual(titles);
	await expect(page.getByRole('button', { name: 'Add story' })).toBeDisabled();
	// A click selects the row; its editor waits for the board.
	await backlogRow(page, titles[0]!).click();
	await expect(page.getByLabel('Title', { exact: true })).toBeHidden();

	// Let the connections through: the held sockets close and the provider reconnects.
	release = true;
	for (const ws of held) await ws.close({ code: 4000, reason: 'let through' });
	await expect(page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible({
		timeout: 10_000
	});
	await expect(count).toHaveText(`${titles.length} of ${titles.length} stories`);
	await expect(page.getByRole('button', { name: 'Add story' })).toBeEnabled();
	await expect(page.getByLabel('Title', { exact: true })).toHaveValue(titles[0]!);
	await context.close();
	await ana.context.close();
});
