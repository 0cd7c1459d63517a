import { expect, test, type Page } from '@playwright/test';
import { demoBoard, openView } from './support';

function column(page: Page, name: string) {
	return page.getByRole('region', { name, exact: true });
}

test('[R18] a task assigned on the team board shows on another screen, and "Assigned to me" keeps only it', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const noor = await board.join(browser, 'Noor', { team: 'web' });
	const kai = await board.join(browser, 'Kai', { team: 'web' });
	for (const { page } of [noor, kai]) {
		await openView(page, 'Team board');
		await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Web' });
	}
	const investigate = (page: Page) =>
		column(page, 'To do').getByRole('combobox', { name: /^Assignee of Investigate/ });
	// Only members of the task's team are offered.
	const offered = investigate(noor.page).getByRole('option');
	await expect(offered.filter({ hasText: 'Noor (me)' })).toHaveCount(1);
	await expect(offered.filter({ hasText: 'Kai' })).toHaveCount(1);
	// Fay is in Mobile, Priya in no team.
	await expect(offered.filter({ hasText: /^(Fay|Priya)/ })).toHaveCount(0);
	await investigate(noor.page).selectOption({ label: 'Kai' });

	await expect(investigate(kai.page)).toHaveValue(kai.session.personId);
	await expect(investigate(kai.page).locator('option:checked')).toHaveText('Kai (me)');

	await kai.page.getByRole('checkbox', { name: 'Assigned to me' }).check();
	await expect(kai.page).toHaveURL(/[?&]mine=1/);
	await expect(column(kai.page, 'To do').getByRole('listitem')).toHaveCount(1);
	await expect(column(kai.page, 'To do').getByRole('listitem')).toContainText('Investigate');
	// The filter is in the address: a reload keeps it.
	await kai.page.reload();
	await expect(kai.page.getByRole('checkbox', { name: 'Assigned to me' })).toBeChecked();
	await expect(column(kai.page, 'To do').getByRole('listitem')).toHaveCount(1);
	await expect(noor.page.getByRole('checkbox', { name: 'Assigned to me' })).not.toBeChecked();

	// A work package assigned on the incident desk: Kai's desk lists it under "Assigned to me".
	await noor.page.goto(`${board.path}/incidents/${board.ids.incident}`);
	const detail = noor.page.getByRole('article', {
		name: 'Work package Checkout returns HTTP 500 for EU cards'
	});
	await detail.getByRole('combobox', { name: 'Assignee', exact: true }).selectOption({
		label: 'Kai'
	});
	await openView(kai.page, 'Incidents');
	const list = kai.page.getByRole('region', { name: 'Work packages' });
	await kai.page.getByRole('checkbox', { name: 'Assigned to me' }).check();
	await expect(kai.page).toHaveURL(/[?&]mine=1/);
	await expect(list.getByRole('link', { name: /Checkout returns HTTP 500/ })).toContainText(
		'Assigned to you'
	);

	await noor.context.close();
	await kai.context.close();
});
