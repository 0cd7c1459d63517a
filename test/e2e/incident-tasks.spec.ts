/**
 * A swarm moves its tasks on from the incident itself: a task's status is changed in the incident
 * view, and everyone, on the incident or on the team board, sees it at once.
 */
import { expect, test } from '@playwright/test';
import { connected, demoBoard } from './support';

test('a task’s status is changed in the incident view and shows on the other screens', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const ana = await board.join(browser, 'Ana', { team: 'web' });
	const ben = await board.join(browser, 'Ben', { team: 'web' });
	const stakeholder = await board.join(browser, 'Sue', { role: 'stakeholder' });
	const path = `${board.path}/incidents/${board.ids.incident}`;
	for (const person of [ana, ben, stakeholder]) {
		await person.page.goto(path);
		await expect(connected(person.page)).toBeVisible({ timeout: 10_000 });
	}
	const tasks = (page: typeof ana.page) => page.getByRole('region', { name: /^Tasks of / });
	await expect(tasks(ana.page).getByRole('heading')).toContainText('(0/5 done)');

	const first = tasks(ana.page)
		.getByRole('combobox', { name: /^Status of / })
		.first();
	const name = await first.getAttribute('aria-label');
	await first.selectOption({ label: 'Doing' });
	await expect(tasks(ben.page).getByRole('combobox', { name: name! })).toHaveValue('doing');
	await first.selectOption({ label: 'Done' });
	for (const page of [ana.page, ben.page, stakeholder.page]) {
		await expect(tasks(page).getByRole('heading')).toContainText('(1/5 done)');
	}
	// A stakeholder reads the status; nothing to change it with.
	await expect(tasks(stakeholder.page).getByRole('combobox', { name: /^Status of / })).toHaveCount(
		0
	);

	// The team board shows it in Done.
	await ben.page.goto(`${board.path}/team`);
	const done = ben.page.getByRole('region', { name: 'Done', exact: true });
	await expect(done.getByText(name!.replace(/^Status of /, ''), { exact: true })).toBeVisible();
});

test('completing a work package with open tasks asks first; a follow-up takes them, seen by all', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const ana = await board.join(browser, 'Ana', { team: 'web' });
	const ben = await board.join(browser, 'Ben', { team: 'web' });
	const path = `${board.path}/incidents/${board.ids.incident}`;
	for (const person of [ana, ben]) {
		await person.page.goto(path);
		await expect(connected(person.page)).toBeVisible({ timeout: 10_000 });
	}
	const detail = ana.page.getByRole('article', { name: /^Work package / });
	await detail.getByRole('button', { name: 'Complete work package' }).click();
	const decide = detail.getByRole('group', {
		name: '5 tasks are still open. What becomes of them?'
	});
	await expect(decide).toBeVisible();
	// Keep working: nothing changed, for anyone.
	await decide.getByRole('button', { name: 'Keep working' }).click();
	await expect(decide).toHaveCount(0);
	await expect(
		ben.page.getByRole('article', { name: /^Work package / }).locator('header')
	).toContainText('open');

	await detail.getByRole('button', { name: 'Complete work package' }).click();
	await decide.getByRole('button', { name: 'Move them to a follow-up' }).click();
	const follow = 'Follow-up: Checkout returns HTTP 500 for EU cards';
	await expect(
		ben.page.getByRole('article', { name: /^Work package / }).locator('header')
	).toContainText('done');
	await expect(ben.page.getByRole('link', { name: follow })).toBeVisible();
	await ben.page.getByRole('link', { name: follow }).click();
	await expect(
		ben.page.getByRole('region', { name: `Tasks of ${follow}` }).getByRole('heading')
	).toContainText('(0/5 done)');
});
