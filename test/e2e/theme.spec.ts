import { expect, test, type Page } from '@playwright/test';
import { demoBoard } from './support';

const background = (page: Page) =>
	page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const LIGHT = 'rgb(247, 248, 250)';
const DARK = 'rgb(13, 17, 23)';

test('the theme follows the system until the person picks light or dark, which this browser keeps', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const ana = await board.join(browser, 'Ana');
	const { page } = ana;
	await page.emulateMedia({ colorScheme: 'light' });
	const toggle = page.getByLabel('Theme');
	await expect(toggle).toHaveValue('system');
	expect(await background(page)).toBe(LIGHT);
	await page.emulateMedia({ colorScheme: 'dark' });
	await expect.poll(() => background(page)).toBe(DARK);

	// A manual choice wins over the system setting and survives a reload.
	await toggle.selectOption({ label: 'Light' });
	await expect.poll(() => background(page)).toBe(LIGHT);
	await page.reload();
	await expect(page.getByLabel('Theme')).toHaveValue('light');
	await expect.poll(() => background(page)).toBe(LIGHT);

	await page.getByLabel('Theme').selectOption({ label: 'Dark' });
	await page.emulateMedia({ colorScheme: 'light' });
	await expect.poll(() => background(page)).toBe(DARK);

	// Back to System: the system setting decides again.
	await page.getByLabel('Theme').selectOption({ label: 'System' });
	await expect.poll(() => background(page)).toBe(LIGHT);
	await ana.context.close();
});
