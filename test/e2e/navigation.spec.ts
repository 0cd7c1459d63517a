/**
 * Every view of a board has a URL: a link opens it, a reload keeps it, Back and Forward walk the
 * views and selections visited, and a finding's link opens what it names in a new tab.
 */
import { expect, test, type Page } from '@playwright/test';
import { backlogRow, connected, demoBoard, openView, type ViewName } from './support';

/** Each view, its path under the board, and the region that shows it is on screen. */
const VIEWS: readonly { name: ViewName; slug: string; region: string }[] = [
	{ name: 'Backlog', slug: 'backlog', region: 'Backlog' },
	{ name: 'Planning', slug: 'planning', region: 'Sprint planning' },
	{ name: 'Team board', slug: 'team', region: 'Team board' },
	{ name: 'Standup', slug: 'standup', region: 'Daily Standup' },
	{ name: 'Scrum of Scrums', slug: 'scrum-of-scrums', region: 'Scrum of Scrums' },
	{ name: 'Incidents', slug: 'incidents', region: 'Work packages' },
	{ name: 'Review', slug: 'review', region: 'Sprint review' },
	{ name: 'Retro', slug: 'retro', region: 'Retrospective' },
	{ name: 'Dashboard', slug: 'dashboard', region: 'Dashboard' },
	{ name: 'Members', slug: 'members', region: 'Members' },
	{ name: 'Settings', slug: 'settings', region: 'Board settings' }
];

async function expectOn(page: Page, view: (typeof VIEWS)[number]) {
	await expect(
		page.getByRole('navigation', { name: 'Board views' }).getByRole('link', { name: view.name })
	).toHaveAttribute('aria-current', 'page');
	await expect(page.getByRole('region', { name: view.region, exact: true })).toBeVisible();
}

test('a board’s address answers with its backlog’s, keeping the query', async ({
	request,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const response = await request.get(`${board.path}?story=${board.ids.stories.search}`, {
		maxRedirects: 0
	});
	expect(response.status()).toBe(307);
	expect(response.headers().location).toBe(
		`${board.path}/backlog?story=${board.ids.stories.search}`
	);
});

test('every view opens from its own link and stays on reload', async ({ browser, baseURL }) => {
	const board = await demoBoard(baseURL!);
	const { page, context } = await board.join(browser, 'Ana', { team: 'web' });
	for (const view of VIEWS) {
		await page.goto(`${board.path}/${view.slug}`);
		await expectOn(page, view);
		await page.reload();
		await expect(connected(page)).toBeVisible({ timeout: 10_000 });
		await expect(page).toHaveURL(new RegExp(`${board.path}/${view.slug}$`));
		await expectOn(page, view);
	}
	await page.goto(board.path);
	await expect(page).toHaveURL(new RegExp(`${board.path}/backlog$`));
	await expectOn(page, VIEWS[0]!);
	await context.close();
});

test('Back and Forward walk the views and the selections visited', async ({ browser, baseURL }) => {
	const board = await demoBoard(baseURL!);
	const { page, context } = await board.join(browser, 'Ana', { team: 'web' });
	await openView(page, 'Planning');
	await page
		.getByRole('region', { name: 'Sprint planning' })
		.getByLabel('Team', { exact: true })
		.selectOption({
			label: 'Mobile'
		});
	await expect(page).toHaveURL(new RegExp(`/planning\\?team=${board.ids.teams.mobile}$`));
	await openView(page, 'Incidents');
	await page
		.getByRole('region', { name: 'Work packages' })
		.getByRole('link', { name: /Checkout returns HTTP 500/ })
		.click();
	await expect(page).toHaveURL(new RegExp(`/incidents/${board.ids.incident}$`));

	await page.goBack();
	await expect(page).toHaveURL(new RegExp(`/incidents$`));
	await page.goBack();
	await expect(page).toHaveURL(new RegExp(`/planning\\?team=${board.ids.teams.mobile}$`));
	await expect(
		page.getByRole('region', { name: 'Sprint planning' }).getByLabel('Team', { exact: true })
	).toHaveValue(board.ids.teams.mobile);
	await page.goBack();
	await expect(page).toHaveURL(new RegExp(`/planning$`));
	await page.goForward();
	await page.goForward();
	await expect(page).toHaveURL(new RegExp(`/incidents$`));
	await expectOn(page, VIEWS[5]!);
	await context.close();
});

test('a story opens from its link, and Escape closes its editor', async ({ browser, baseURL }) => {
	const board = await demoBoard(baseURL!);
	const { page, context } = await board.join(browser, 'Ana', { team: 'web' });
	await page.goto(`${board.path}/backlog?story=${board.ids.stories.checkout}`);
	const editor = page.getByRole('form', { name: 'Edit story One-click checkout' });
	await expect(editor).toBeVisible();
	await expect(backlogRow(page, 'One-click checkout')).toHaveAttribute('aria-selected', 'true');

	await editor.getByLabel('Title').focus();
	await page.keyboard.press('Escape');
	await expect(editor).toBeHidden();
	await expect(page).toHaveURL(new RegExp(`${board.path}/backlog$`));
	await page.goBack();
	await expect(editor).toBeVisible();
	await context.close();
});

test("a finding's link opens what it names in a new tab", async ({ browser, baseURL }) => {
	const board = await demoBoard(baseURL!);
	const { page, context } = await board.join(browser, 'Ana', { team: 'web' });
	const findings = page.getByRole('complementary', { name: 'Board findings' });
	const link = findings
		.getByRole('link', { name: /work package: Checkout returns HTTP 500/ })
		.first();
	await expect(link).toHaveAttribute('href', `${board.path}/incidents/${board.ids.incident}`);

	const opened = context.waitForEvent('page');
	await link.click({ modifiers: ['ControlOrMeta'] });
	const tab = await opened;
	await expect(tab).toHaveURL(new RegExp(`/incidents/${board.ids.incident}$`));
	await expect(connected(tab)).toBeVisible({ timeout: 10_000 });
	await expect(
		tab.getByRole('heading', { name: 'Checkout returns HTTP 500 for EU cards' })
	).toBeVisible();
	// The first tab stayed where it was.
	await expect(page).toHaveURL(new RegExp(`${board.path}/backlog$`));
	await context.close();
});
