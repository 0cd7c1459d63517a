/** Steps the standup and Scrum of Scrums specs share. */
import { expect, type Browser, type Page } from '@playwright/test';
import { joinDemo, type Person } from './support';

/**
 * A person who joins the demo board as the Scrum Master of a team: the open demo board takes a
 * role when joining (POST /api/boards/demo/join), which the landing page does not offer.
 */
export async function joinDemoAsScrumMaster(
	browser: Browser,
	name: string,
	teamName: string
): Promise<Person> {
	const person = await joinDemo(browser, name);
	const teamId = await person.page
		.getByLabel('Your team')
		.locator('option', { hasText: teamName })
		.getAttribute('value');
	await person.page.evaluate(
		async ({ name, teamId }) => {
			const response = await fetch('/api/boards/demo/join', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ name, teamId, role: 'scrum-master' })
			});
			const joined = (await response.json()) as {
				token: string;
				personId: string;
				teams: string[];
				roles: string[];
			};
			localStorage.setItem(
				'scrumops.session.demo',
				JSON.stringify({ ...joined, name, admin: false })
			);
		},
		{ name, teamId }
	);
	await person.page.reload();
	await expect(person.page.locator('.me')).toContainText(teamName, { timeout: 10_000 });
	await expect(person.page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible({
		timeout: 10_000
	});
	return person;
}

export async function openStandup(page: Page, teamName: string) {
	await page.getByRole('button', { name: 'Standup', exact: true }).click();
	await page
		.getByRole('region', { name: 'Daily Standup' })
		.getByLabel('Team', { exact: true })
		.selectOption({ label: teamName });
	await expect(page.getByRole('heading', { name: `Daily Standup · ${teamName}` })).toBeVisible();
}
