/** Steps the standup and Scrum of Scrums specs share. */
import { expect, type Page } from '@playwright/test';

export async function openStandup(page: Page, teamName: string) {
	await page.getByRole('button', { name: 'Standup', exact: true }).click();
	await page
		.getByRole('region', { name: 'Daily Standup' })
		.getByLabel('Team', { exact: true })
		.selectOption({ label: teamName });
	await expect(page.getByRole('heading', { name: `Daily Standup · ${teamName}` })).toBeVisible();
}
