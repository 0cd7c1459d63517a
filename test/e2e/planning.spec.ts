import { expect, test, type Page } from '@playwright/test';
import { demoBoard, openView } from './support';

async function openWebSprint(page: Page) {
	await openView(page, 'Planning');
	await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Web' });
	await expect(page.getByRole('heading', { name: 'Web 14' })).toBeVisible();
}

function committed(page: Page, title: string) {
	return page
		.getByRole('list', { name: 'Committed stories' })
		.getByRole('listitem')
		.filter({ hasText: title });
}

test('[R1] two Scrum Masters over-commit one sprint concurrently: both see the finding and the red bar', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const sam = await board.join(browser, 'Sam');
	const lee = await board.join(browser, 'Lee');
	await openWebSprint(sam.page);
	await openWebSprint(lee.page);
	for (const { page } of [sam, lee]) {
		await expect(page.getByTestId('capacity')).toContainText('27 / 30 points');
		await expect(page.getByTestId('capacity')).not.toHaveClass(/over/);
	}

	// Each takes 2 of the last 3 points: fine alone, 31 together.
	await Promise.all([
		committed(sam.page, 'One-click checkout').getByLabel('Points').fill('15'),
		committed(lee.page, 'First-level web support')
			.getByLabel('Reserved for unknown work')
			.fill('11')
	]);
	await Promise.all([
		committed(sam.page, 'One-click checkout').getByLabel('Points').press('Enter'),
		committed(lee.page, 'First-level web support')
			.getByLabel('Reserved for unknown work')
			.press('Enter')
	]);

	for (const { page } of [sam, lee]) {
		const capacity = page.getByTestId('capacity');
		await expect(capacity).toHaveClass(/over/, { timeout: 2_000 });
		await expect(capacity).toContainText('31 / 30 points');
		await expect(capacity).toContainText(
			'Web committed 31 points to Web 14 against velocity 30: 20 known + 11 reserved for unknown work.'
		);
		await expect(
			page.getByRole('region', { name: 'Findings' }).locator('[data-rule="R1"]')
		).toContainText('Web committed 31 points to Web 14');
	}

	// Sam gives the points back: the bar turns back for both.
	await committed(sam.page, 'One-click checkout').getByLabel('Points').fill('13');
	await committed(sam.page, 'One-click checkout').getByLabel('Points').press('Enter');
	await committed(sam.page, 'First-level web support')
		.getByLabel('Reserved for unknown work')
		.fill('9');
	await committed(sam.page, 'First-level web support')
		.getByLabel('Reserved for unknown work')
		.press('Enter');
	for (const { page } of [sam, lee]) {
		await expect(page.getByTestId('capacity')).not.toHaveClass(/over/, { timeout: 2_000 });
		await expect(page.getByTestId('capacity')).toContainText('27 / 30 points');
	}

	await sam.context.close();
	await lee.context.close();
});

test('a refused commitment shows the reason next to the story and writes nothing', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const sam = await board.join(browser, 'Sam');
	await openWebSprint(sam.page);
	const points = committed(sam.page, 'One-click checkout').getByLabel('Points');
	await points.fill('-4');
	await points.press('Enter');
	await expect(committed(sam.page, 'One-click checkout').getByRole('alert')).toContainText(
		'points'
	);
	await expect(sam.page.getByTestId('capacity')).toContainText('27 / 30 points');
	await sam.context.close();
});

test('a Scrum Master moves a sprint and rewords its goal: refused dates explain themselves, the change shows live', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const sam = await board.join(browser, 'Sam');
	const lee = await board.join(browser, 'Lee');
	// Web 15, the demo's next sprint: planned, so its dates and goal may change.
	for (const { page } of [sam, lee]) {
		await openWebSprint(page);
		await page.getByLabel('Sprint', { exact: true }).selectOption({ label: 'Web 15 (planned)' });
	}
	const header = (page: Page) =>
		page.getByRole('article', { name: 'Sprint Web 15' }).locator('header');

	await sam.page.getByText('Edit name, dates and goal').click();
	const form = sam.page.getByRole('form', { name: 'Edit sprint Web 15' });
	const start = await form.getByLabel('Start').inputValue();
	await form.getByLabel('End').fill('2020-01-01');
	await form.getByRole('button', { name: 'Save sprint' }).click();
	await expect(form.getByRole('alert')).toContainText(
		`it would end (2020-01-01) before it starts (${start}); pick an end day on or after the start.`
	);
	await expect(header(lee.page)).not.toContainText('2020-01-01');

	await form.getByLabel('End').fill('2099-12-31');
	await form.getByLabel('Goal').fill('Checkout in one click');
	await form.getByLabel('Goal').press('Enter');
	await expect(form.getByRole('alert')).toHaveCount(0);
	for (const { page } of [sam, lee]) {
		await expect(header(page)).toContainText(`${start} → 2099-12-31`, { timeout: 2_000 });
		await expect(header(page)).toContainText('Goal: Checkout in one click');
	}

	await sam.context.close();
	await lee.context.close();
});
