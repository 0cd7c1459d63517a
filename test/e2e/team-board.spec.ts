import { expect, test, type Page } from '@playwright/test';
import { demoBoard, openView } from './support';

function column(page: Page, name: string) {
	return page.getByRole('region', { name, exact: true });
}

test('[R11] a task moved by its team shows in the other browser, where another team sees it read-only', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const ana = await board.join(browser, 'Ana', { team: 'web' });
	const fay = await board.join(browser, 'Fay', { team: 'mobile' });
	for (const { page } of [ana, fay]) {
		await openView(page, 'Team board');
		await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Web' });
	}
	await expect(
		column(ana.page, 'To do').getByRole('button', { name: /^Investigate / })
	).toBeVisible();

	await ana.page.getByRole('button', { name: 'Move Investigate to Doing' }).click();

	await expect(column(fay.page, 'Doing').getByRole('button', { name: /^Investigate/ })).toBeVisible(
		{
			timeout: 1_000
		}
	);
	// A card is named by what it shows, its read-only mark included.
	const readOnly = column(fay.page, 'Doing').getByRole('button', {
		name: /^Investigate .*read-only$/
	});
	await expect(readOnly).toHaveAttribute('aria-disabled', 'true');
	await expect(fay.page.getByRole('button', { name: 'Move Investigate to Done' })).toHaveCount(0);
	await expect(
		fay.page.getByText('You are not in Web: its tasks are read-only for you.')
	).toBeVisible();

	// Keyboard: Alt+→ moves the focused task on.
	await column(ana.page, 'Doing')
		.getByRole('button', { name: /^Investigate / })
		.focus();
	await ana.page.keyboard.press('Alt+ArrowRight');
	await expect(column(fay.page, 'Done').getByRole('button', { name: /^Investigate/ })).toBeVisible({
		timeout: 1_000
	});

	await ana.context.close();
	await fay.context.close();
});
