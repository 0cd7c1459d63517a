import { expect, test } from '@playwright/test';
import { opsBoard } from './incident-board';
import { openView } from './support';

test('[R10] sprint close with carry-over: the PO reviews, closing moves open recurring work to the next sprint and unaccepted stories back to the backlog', async ({
	browser
}) => {
	test.slow();
	const board = await opsBoard(browser, 'Acme Review');
	const priya = board.admin;
	const ana = await board.join('Ana', 'web');

	// Open support work: the recurring story has unfinished business at the close.
	await openView(ana.page, 'Incidents');
	const create = ana.page.getByRole('form', { name: 'Open a work package' });
	await create.getByLabel('Title').fill('Password reset mails delayed');
	await create.getByLabel('Story').selectOption({ label: 'First-level web support (recurring)' });
	await create.getByLabel('Severity').selectOption({ label: 'SEV3 — minor' });
	await create.getByLabel('Points').fill('2');
	await create.getByRole('button', { name: 'Open work package' }).click();
	await expect(
		ana.page.getByRole('article', { name: 'Work package Password reset mails delayed' })
	).toContainText('2 points');

	// Planning shows the reservation it burns.
	await openView(ana.page, 'Planning');
	await ana.page.getByLabel('Team', { exact: true }).selectOption({ label: 'Web' });
	await expect(
		ana.page
			.getByRole('list', { name: 'Committed stories' })
			.getByRole('listitem')
			.filter({ hasText: 'First-level web support' })
			.getByTestId('reserved-budget')
	).toHaveText('unknown work: 2 used, 8 left');

	// A team member sees the outcome but does not review; they may propose one.
	await openView(ana.page, 'Review');
	await expect(
		ana.page.getByText("A story's Product Owner (or the Chief Product Owner) accepts or rejects it")
	).toBeVisible();
	await expect(ana.page.getByRole('button', { name: /^Accept / })).toHaveCount(0);

	await openView(priya.page, 'Review');
	await priya.page.getByLabel('Team', { exact: true }).selectOption({ label: 'Web' });
	const stories = priya.page.getByRole('list', { name: 'Stories to review' });
	await priya.page.getByRole('button', { name: 'Accept One-click checkout' }).click();
	await stories
		.getByRole('listitem', { name: 'Search suggestions' })
		.getByLabel('Note')
		.fill('Suggestions lag on slow phones');
	await priya.page.getByRole('button', { name: 'Reject Search suggestions' }).click();
	await stories
		.getByRole('listitem', { name: 'First-level web support' })
		.getByLabel('Periodic review note')
		.fill('Two requests, both within SLA');
	await stories
		.getByRole('listitem', { name: 'First-level web support' })
		.getByRole('button', { name: 'Record note' })
		.click();
	const anaStories = ana.page.getByRole('list', { name: 'Stories to review' });
	await expect(anaStories.getByRole('listitem', { name: 'One-click checkout' })).toContainText(
		'Accepted'
	);
	await expect(anaStories.getByRole('listitem', { name: 'Search suggestions' })).toContainText(
		'Rejected: Suggestions lag on slow phones'
	);
	await expect(anaStories.getByRole('listitem', { name: 'First-level web support' })).toContainText(
		'Reviewed: Two requests, both within SLA'
	);

	// Keyboard: the close asks first, and Cancel keeps the sprint open.
	await priya.page.getByRole('button', { name: 'Close Web 1…' }).focus();
	await priya.page.keyboard.press('Enter');
	await priya.page.getByRole('button', { name: 'Cancel' }).focus();
	await priya.page.keyboard.press('Enter');
	await priya.page.getByRole('button', { name: 'Close Web 1…' }).click();
	await priya.page.getByRole('button', { name: 'Yes, close Web 1' }).click();

	const moved = priya.page.getByRole('region', { name: 'What moved' });
	await expect(moved).toContainText('Web 1 is closed. What moved:');
	await expect(moved).toContainText(
		'First-level web support: unfinished recurring work carried to Web 2'
	);
	await expect(moved).toContainText('Search suggestions: back to the backlog');
	await expect(moved).not.toContainText('One-click checkout');

	// Everyone sees the sprint closed and the next one holding the recurring work.
	await expect(ana.page.getByLabel('Sprint', { exact: true })).toContainText('Web 1 (closed)');
	await openView(ana.page, 'Planning');
	await ana.page.getByLabel('Sprint', { exact: true }).selectOption({ label: 'Web 2 (planned)' });
	const next = ana.page.getByRole('list', { name: 'Committed stories' });
	await expect(next).toContainText('First-level web support');
	// Beside its reservation, a reserve suggested by what the closed sprint used.
	await expect(
		next
			.getByRole('listitem')
			.filter({ hasText: 'First-level web support' })
			.getByTestId('suggested-reserve')
	).toHaveText('suggested reserve 2, from the last 1 closed sprint');
	await expect(next).not.toContainText('Search suggestions');
	await expect(
		ana.page.getByRole('list', { name: 'Stories to plan' }).getByText('Search suggestions')
	).toBeVisible();

	for (const person of [priya, ana]) await person.context.close();
});
