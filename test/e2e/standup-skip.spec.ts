import { expect, test } from '@playwright/test';
import { openStandup } from './standup-support';
import { demoBoard } from './support';

test('a member leaves an update on the board before the standup; the facilitator skips one speaker, who speaks at the end, and marks another absent today', async ({
	browser,
	baseURL
}) => {
	test.setTimeout(90_000);
	const board = await demoBoard(baseURL!);

	// Noa will miss the standup: she writes her part on the board beforehand, then leaves.
	const noa = await board.join(browser, 'Noa', { team: 'web' });
	await openStandup(noa.page, 'Web');
	const ahead = noa.page.getByRole('form', { name: "Leave an update for today's standup" });
	await ahead.getByLabel('Done since the last standup').fill('Fixed the coupon rounding');
	await ahead.getByLabel('Next until the next standup').fill('Off until Thursday');
	await ahead.getByRole('button', { name: 'Leave update' }).click();
	await expect(ahead.getByRole('status')).toBeVisible();
	await noa.context.close();

	const rita = await board.join(browser, 'Rita', { team: 'web', role: 'scrum-master' });
	const omar = await board.join(browser, 'Omar', { team: 'web' });
	for (const page of [rita.page, omar.page]) await openStandup(page, 'Web');
	await rita.page.getByRole('button', { name: 'Start standup' }).click();
	const order = omar.page.getByRole('region', { name: 'Speaking order' }).getByRole('listitem');
	await expect(order).toHaveCount(4);
	await expect(order.nth(1)).toContainText('Omar');
	await expect(order.nth(2)).toContainText('Rita');
	await expect(order.nth(3)).toContainText('Noa');
	await expect(order.nth(3)).toContainText('left an update');

	// Omar is not ready: skipped, he comes back at the end of the round.
	await rita.page.getByRole('button', { name: 'Next: Omar' }).click();
	await expect(omar.page.getByTestId('standup-now')).toHaveText('Now speaking: Omar');
	await rita.page.getByRole('button', { name: 'Skip Omar' }).click();
	for (const page of [rita.page, omar.page]) {
		await expect(page.getByTestId('standup-now')).toHaveText('Now speaking: Rita');
	}
	await expect(order.last()).toContainText('Omar');

	// Noa's update is read out in her turn; then she is marked absent today after all.
	await rita.page.getByRole('button', { name: 'Next: Noa (left an update)' }).click();
	await expect(
		omar.page.getByRole('region', { name: 'Update of Noa' }).getByText('Fixed the coupon rounding')
	).toBeVisible();
	await rita.page.getByRole('button', { name: 'Absent today: Noa' }).click();
	for (const page of [rita.page, omar.page]) {
		await expect(page.getByTestId('standup-now')).toHaveText('Now speaking: Omar');
	}
	await expect(omar.page.getByTestId('round-absent')).toContainText('Noa');

	const form = omar.page.getByRole('form', { name: 'Standup of Omar' });
	await form.getByLabel('Done since the last standup').fill('Saved cards');
	await form.getByRole('button', { name: 'Save for Omar' }).click();
	await expect(form.getByRole('status')).toBeVisible();
	await rita.page.getByRole('button', { name: 'End standup' }).click();
	await rita.page.getByRole('link', { name: 'Read the summary of this standup' }).click();
	const summary = rita.page.getByRole('region', { name: 'Standup summary' });
	await expect(summary).toContainText('Skipped: Omar (spoke at the end)');
	await expect(summary.getByTestId('summary-absent')).toContainText('Noa');
	for (const person of [rita, omar]) await person.context.close();
});
