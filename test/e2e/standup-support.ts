/** Steps the standup and Scrum of Scrums specs share. */
import { expect, type Page } from '@playwright/test';
import { openView } from './support';

export async function openStandup(page: Page, teamName: string) {
	await openView(page, 'Standup');
	await page
		.getByRole('region', { name: 'Daily Standup' })
		.getByLabel('Team', { exact: true })
		.selectOption({ label: teamName });
	await expect(page.getByRole('heading', { name: `Daily Standup · ${teamName}` })).toBeVisible();
}
