/**
 * The board on a phone (390×844, touch): the title bar and the views' navigation leave the screen
 * to the work, a story opens where the thumb can reach it, touch gets no drag or Alt-key hints,
 * and a skip link leads past the navigation.
 */
import { devices, expect, test } from '@playwright/test';
import { connected, demoBoard, sessionKey } from './support';

const PHONE = { width: 390, height: 844 };
const SLUGS = [
	'backlog',
	'planning',
	'team',
	'standup',
	'scrum-of-scrums',
	'incidents',
	'review',
	'dashboard',
	'members',
	'settings'
];

test('on a phone the header and navigation take at most 15 % of the screen on every view', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const ana = await board.join(browser, 'Ana', { team: 'web' });
	const session = await ana.page.evaluate(
		(key) => localStorage.getItem(key),
		sessionKey(board.boardId)
	);
	const phone = await browser.newContext({
		...devices['Pixel 7'],
		viewport: PHONE,
		baseURL,
		storageState: {
			cookies: [],
			origins: [
				{
					origin: new URL(baseURL!).origin,
					localStorage: [{ name: sessionKey(board.boardId), value: session! }]
				}
			]
		}
	});
	const page = await phone.newPage();
	for (const slug of SLUGS) {
		await page.goto(`${board.path}/${slug}`);
		const nav = page.getByRole('navigation', { name: 'Board views' });
		await expect(nav.getByRole('link', { name: /./ }).first()).toBeVisible();
		// The sticky part of the page: the title bar with the views' navigation under it.
		const bottom = await nav.evaluate((element) => element.getBoundingClientRect().bottom);
		expect(bottom, `${slug}: header and navigation end ${bottom} px down`).toBeLessThanOrEqual(
			PHONE.height * 0.15
		);
		// One row: every view is reachable by scrolling it sideways, none wraps below.
		const rows = await nav
			.getByRole('link')
			.evaluateAll((links) => new Set(links.map((l) => l.getBoundingClientRect().top)).size);
		expect(rows).toBe(1);
	}

	// The dashboard fits the width: charts shrink to it, wide tables scroll inside their box.
	await page.goto(`${board.path}/dashboard`);
	await expect(page.getByRole('region', { name: 'Dashboard', exact: true })).toBeVisible();
	await expect(page.locator('figure.measure-chart').first()).toBeVisible();
	const widths = await page.evaluate(() => ({
		page: document.documentElement.scrollWidth,
		charts: [...document.querySelectorAll('figure.measure-chart')].map(
			(chart) => chart.getBoundingClientRect().right
		)
	}));
	expect(widths.page).toBeLessThanOrEqual(PHONE.width);
	for (const right of widths.charts) expect(right).toBeLessThanOrEqual(PHONE.width);

	await page.goto(`${board.path}/backlog`);
	await expect(page.getByText('Tap a story to open it.')).toBeVisible();
	await expect(page.getByText(/press Alt\+↑/)).toBeHidden();
	await page.getByRole('option', { name: /Hire a site reliability engineer/ }).tap();
	const editor = page.getByRole('form', { name: 'Edit story Hire a site reliability engineer' });
	await expect(editor).toBeInViewport();
	await expect(editor.getByLabel('Title')).toBeInViewport();

	await page.goto(`${board.path}/team`);
	await expect(page.getByText(/press Alt\+←/)).toBeHidden();
	await phone.close();
	await ana.context.close();
});

test('a skip link leads past the navigation to the view', async ({ browser, baseURL }) => {
	const board = await demoBoard(baseURL!);
	const { page, context } = await board.join(browser, 'Ana', { team: 'web' });
	await page.goto(`${board.path}/planning`);
	await expect(connected(page)).toBeVisible({ timeout: 10_000 });
	await page.keyboard.press('Tab');
	const skip = page.getByRole('link', { name: 'Skip to the planning' });
	await expect(skip).toBeFocused();
	await expect(skip).toBeInViewport();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('main')).toBeFocused();
	// The next Tab goes into the view, not back through the navigation.
	await page.keyboard.press('Tab');
	const focusedInMain = await page.evaluate(
		() => document.querySelector('main')?.contains(document.activeElement) ?? false
	);
	expect(focusedInMain).toBe(true);
	await context.close();
});
