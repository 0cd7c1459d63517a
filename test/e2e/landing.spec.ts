import { expect, test } from '@playwright/test';

test('the landing page shows the ScrumOps Board heading', async ({ page }) => {
	await page.goto('/');

	await expect(page).toHaveTitle('ScrumOps Board');
	await expect(page.getByRole('heading', { level: 1, name: 'ScrumOps Board' })).toBeVisible();
});

test('the landing page lists all 15 rules, starting with R1 Over-commitment', async ({ page }) => {
	await page.goto('/');

	const rules = page.getByRole('region', { name: 'Rules' }).getByRole('listitem');
	await expect(rules).toHaveCount(15);
	await expect(rules.first()).toContainText('R1');
	await expect(rules.first()).toContainText('Over-commitment');
	await expect(rules.last()).toContainText('R15');
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
