/** Shared steps of the board specs: one browser context per person, joined through the UI. */
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';

export interface Person {
	context: BrowserContext;
	page: Page;
}

/**
 * A new person (own context) who opens the demo board from the landing page; `baseURL` points
 * at another server than the suite's.
 */
export async function joinDemo(
	browser: Browser,
	name: string,
	teamName?: string,
	baseURL?: string
): Promise<Person> {
	const context = await browser.newContext({
		viewport: { width: 1280, height: 800 },
		...(baseURL ? { baseURL } : {})
	});
	const page = await context.newPage();
	await page.goto('/');
	await page.getByLabel('Your name').first().fill(name);
	await page.getByRole('button', { name: 'Open the demo board' }).click();
	await expect(page).toHaveURL(/\/board\/demo$/);
	await expect(page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible({
		timeout: 10_000
	});
	if (teamName) {
		await page.getByLabel('Your team').selectOption({ label: teamName });
		await expect(page.locator('.me')).toContainText(teamName, { timeout: 10_000 });
		await expect(page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible({
			timeout: 10_000
		});
	}
	return { context, page };
}

/** A new person who opens a board by id, with a session stored for it already. */
export async function openBoard(browser: Browser, boardUrl: string, name: string): Promise<Person> {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await context.newPage();
	await page.goto(boardUrl);
	await expect(page).toHaveURL(/\/join\//);
	await page.getByLabel('Your name').fill(name);
	await page.getByRole('button', { name: 'Join the board' }).click();
	await expect(page).toHaveURL(/\/board\//);
	return { context, page };
}

export function backlogRow(page: Page, title: string) {
	return page.getByRole('option', { name: new RegExp(`^\\d+\\. ${escape(title)}$`) });
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
): Promise<Person & { boardUrl: string }> {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await context.newPage();
	await page.goto('/');
	await page.getByLabel('Board name').fill(boardName);
	await page.getByLabel('Your name').nth(1).fill(adminName);
	await page.getByRole('button', { name: 'Create a board' }).click();
	await expect(page).toHaveURL(/\/board\/[A-Za-z0-9_-]+$/);
	await expect(page.getByRole('heading', { level: 1, name: boardName })).toBeVisible({
		timeout: 10_000
	});
	return { context, page, boardUrl: page.url() };
}

/** A new person (own context) who follows an invite link and joins with their name. */
export async function joinByInvite(browser: Browser, link: string, name: string): Promise<Person> {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await context.newPage();
	await page.goto(link);
	await page.getByLabel('Your name').fill(name);
	await page.getByRole('button', { name: 'Join the board' }).click();
	await expect(page).toHaveURL(/\/board\/[A-Za-z0-9_-]+$/);
	await expect(page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible({
		timeout: 10_000
	});
	return { context, page };
}
