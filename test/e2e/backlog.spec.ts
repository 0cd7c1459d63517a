import { expect, test } from '@playwright/test';
import { backlogRow, backlogTitles, demoBoard } from './support';

test('two people edit one backlog: a story created in one shows in the other within 1 s', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const ana = await board.join(browser, 'Ana');
	const ben = await board.join(browser, 'Ben');
	const title = 'Gift cards';

	await ana.page.getByLabel('New story title').fill(title);
	await ana.page.getByRole('button', { name: 'Add story' }).click();

	await expect(backlogRow(ana.page, title)).toBeVisible();
	await expect(backlogRow(ben.page, title)).toBeVisible({ timeout: 1_000 });

	await ana.context.close();
	await ben.context.close();
});

test('a story reordered by keyboard in one browser moves in the other within 1 s', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	// The Chief Product Owner orders the whole backlog (A1).
	const ana = await board.join(browser, 'Ana', { role: 'chief-product-owner' });
	const ben = await board.join(browser, 'Ben');
	const before = await backlogTitles(ben.page);
	const second = before[1]!;
	const first = before[0]!;

	await backlogRow(ana.page, second).focus();
	await ana.page.keyboard.press('Alt+ArrowUp');

	await expect
		.poll(() => backlogTitles(ana.page), { timeout: 1_000 })
		.toEqual(expect.arrayContaining([second]));
	await expect
		.poll(async () => (await backlogTitles(ben.page)).slice(0, 2), { timeout: 1_000 })
		.toEqual([second, first]);
	await expect(backlogRow(ana.page, second)).toBeFocused();

	await ana.context.close();
	await ben.context.close();
});

test('an invalid title is refused with a message next to the field and nothing is written', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const ana = await board.join(browser, 'Ana');
	const row = backlogRow(ana.page, 'One-click checkout');
	await row.click();
	const title = ana.page.getByLabel('Title', { exact: true });
	await title.fill('   ');
	await title.press('Enter');
	await expect(ana.page.getByRole('alert')).toContainText('title');
	await expect(title).toHaveValue('One-click checkout');
	await ana.context.close();
});

test('a new epic made from a story shows in the other browser and filters the backlog there', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const ana = await board.join(browser, 'Ana');
	const ben = await board.join(browser, 'Ben');
	const epic = 'Payments';

	await backlogRow(ana.page, 'Search suggestions').click();
	await ana.page.getByLabel('New epic').fill(epic);
	await ana.page.getByRole('button', { name: 'Add epic' }).click();
	await expect(ana.page.getByLabel('Epic', { exact: true })).toHaveValue(/.+/);
	await expect(ana.page.getByLabel('New epic')).toHaveValue('');

	await ben.page.getByLabel('Filter by epic').selectOption({ label: epic });
	await expect.poll(() => backlogTitles(ben.page)).toEqual(['Search suggestions']);

	// An empty title is refused next to the field, and no epic is made.
	await ana.page.getByRole('button', { name: 'Add epic' }).click();
	await expect(ana.page.getByRole('alert')).toContainText(/title/i);

	await ana.context.close();
	await ben.context.close();
});
