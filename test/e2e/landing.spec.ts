import { expect, test } from '@playwright/test';
import { RULE_CATALOG } from '../../src/lib/domain/rule-catalog';
import { boardIdOf, boardUrl, connected } from './support';

test('the landing page shows the ScrumOps Board heading and the ways in', async ({ page }) => {
	await page.goto('/');

	await expect(page).toHaveTitle('ScrumOps Board');
	await expect(page.getByRole('heading', { level: 1, name: 'ScrumOps Board' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Open the demo board' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Create a board' })).toBeVisible();
});

test('joining without a name is refused with a message next to the field', async ({ page }) => {
	await page.goto('/');
	await page.getByRole('button', { name: 'Open the demo board' }).click();
	await expect(page.getByRole('alert')).toHaveText(
		'Enter your name so the team knows who is on the board.'
	);
	await expect(page).toHaveURL('/');
});

test('a board link without a session asks the person to join first', async ({ page }) => {
	await page.goto('/board/demo');
	await expect(page).toHaveURL(/\/join\/demo$/);
	await expect(page.getByRole('heading', { name: 'Join the board' })).toBeVisible();
});

test('the demo button opens a demo board of your own, where a newcomer picks their team', async ({
	page
}) => {
	await page.goto('/');
	await page.getByLabel('Your name').first().fill('Nina');
	await page.getByRole('button', { name: 'Open the demo board' }).click();
	await expect(page).toHaveURL(boardUrl());
	expect(boardIdOf(page.url())).not.toBe('demo');
	await expect(page.getByRole('heading', { level: 1, name: 'Acme Shop' })).toBeVisible();
	await expect(connected(page)).toBeVisible({ timeout: 10_000 });

	// In their demo a person picks a team; an invite decides it elsewhere.
	// Choosing a team in the list joins nothing yet; the button joins the one chosen.
	await page.getByLabel('Your team').selectOption({ label: 'Mobile' });
	await page.getByRole('button', { name: 'Join team' }).click();
	await expect(page.locator('.me')).toContainText('Mobile', { timeout: 10_000 });
	await expect(connected(page)).toBeVisible({ timeout: 10_000 });
	await expect(page.getByLabel('Your team')).toHaveCount(0);
});

test('the landing page lists every rule of the catalog, R1 Over-commitment first', async ({
	page
}) => {
	await page.goto('/');

	const rules = page.getByRole('region', { name: 'Rules' }).getByRole('listitem');
	await expect(rules).toHaveCount(RULE_CATALOG.length);
	await expect(rules.first()).toContainText('R1');
	await expect(rules.first()).toContainText('Over-commitment');
	await expect(rules.filter({ hasText: 'R15' })).toContainText('Team size');
	await expect(rules.last()).toContainText(RULE_CATALOG.at(-1)!.id);
});

test('the browser validates the demo board and shows its findings by severity', async ({
	page
}) => {
	await page.goto('/');

	const demo = page.getByRole('region', { name: 'Demo board findings' });
	await expect(demo.getByText('2 findings')).toBeVisible();
	await expect(demo.getByRole('heading', { name: 'warning (1)' })).toBeVisible();
	await expect(demo.getByRole('listitem').filter({ hasText: 'R13' })).toContainText(
		'has 1 person swarming'
	);
	await expect(demo.getByRole('listitem').filter({ hasText: 'R15' })).toContainText(
		'Mobile has 4 members'
	);
});

test('the health check reports the server is ok', async ({ request }) => {
	const response = await request.get('/healthz');

	expect(response.status()).toBe(200);
	expect(response.headers()['content-type']).toContain('application/json');
	expect(await response.json()).toMatchObject({
		status: 'ok',
		store: { ok: true, kind: 'sqlite' }
	});
});
