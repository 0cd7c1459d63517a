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

test('the health check reports the server is ok', async ({ request }) => {
	const response = await request.get('/healthz');

	expect(response.status()).toBe(200);
	expect(response.headers()['content-type']).toContain('application/json');
	expect(await response.json()).toEqual({ status: 'ok' });
});
