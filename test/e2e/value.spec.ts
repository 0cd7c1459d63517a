/**
 * A story's value, from its editor to the dashboard: the Product Owner gives "One-click
 * checkout" a target and a value estimate, accepts it at the review and records what its
 * measure read; another person's dashboard follows each step without a reload.
 */
import { expect, test, type Page } from '@playwright/test';
import { connected, openView } from './support';
import { opsBoard } from './incident-board';

const CURRENT = 'Current value: done stories against their targets';

const valueOf = (page: Page, id: string) => page.getByTestId(id);

test('a target and an estimate in the story, an observation after acceptance: the dashboard’s value follows live', async ({
	browser
}) => {
	test.slow();
	const board = await opsBoard(browser, 'Acme Value');
	const priya = board.admin;
	const ana = await board.join('Ana', 'web');

	const boardPath = `/board/${board.boardId}`;
	await ana.page.goto(`${boardPath}/dashboard`);
	await expect(connected(ana.page)).toBeVisible({ timeout: 10_000 });
	await expect(valueOf(ana.page, 'value-unrealized')).toHaveText('0');
	await expect(ana.page.getByRole('table', { name: CURRENT, exact: true })).toContainText(
		'No done story in this period has a success target.'
	);

	// The Product Owner writes the target and the estimate in the story.
	await priya.page.goto(`${boardPath}/backlog?story=${board.stories.checkout}`);
	const editor = priya.page.getByRole('form', { name: 'Edit story One-click checkout' });
	const value = editor.getByRole('group', { name: 'Value' });
	await value.getByLabel('Target value').fill('4');
	await value.getByLabel('Target value').press('Tab');
	await value.getByLabel('Unit').fill('%');
	await value.getByLabel('Unit').press('Tab');
	await value.getByLabel('Value estimate (value points)').fill('-3');
	await value.getByLabel('Value estimate (value points)').press('Tab');
	// Refused next to the field, nothing written.
	await expect(value.getByRole('alert')).toHaveText(/a value estimate is not negative/);
	await value.getByLabel('Value estimate (value points)').fill('40');
	await value.getByLabel('Value estimate (value points)').press('Tab');
	await expect(value.getByRole('alert')).toHaveCount(0);
	await expect(valueOf(ana.page, 'value-unrealized')).toHaveText('40');

	// Accepted at the review: done, so measured but not yet observed.
	await openView(priya.page, 'Review');
	await priya.page.getByLabel('Team', { exact: true }).selectOption({ label: 'Web' });
	await priya.page.getByRole('button', { name: 'Accept One-click checkout' }).click();
	await expect(valueOf(ana.page, 'value-unrealized')).toHaveText('0');
	const current = ana.page.getByRole('table', { name: CURRENT, exact: true });
	const checkout = current.getByRole('row', { name: /One-click checkout/ });
	await expect(checkout).toContainText('≥ 4 %');
	await expect(checkout).toContainText('not observed');

	// A reading below the target, then one above it.
	await priya.page.goto(`${boardPath}/backlog?story=${board.stories.checkout}`);
	const observations = editor.getByRole('group', { name: 'Value' });
	await observations.getByRole('button', { name: 'Record' }).click();
	await expect(observations.getByRole('alert')).toHaveText(/a number is needed/);
	await observations.getByLabel('Observed value').fill('3.2');
	await observations.getByLabel('Observation note').fill('first week');
	await observations.getByRole('button', { name: 'Record' }).click();
	await expect(observations.getByRole('listitem')).toHaveCount(1);
	await expect(observations.getByRole('listitem')).toContainText('below target');
	await expect(checkout).toContainText('not met');
	await expect(valueOf(ana.page, 'value-meeting')).toHaveText('0');

	await observations.getByLabel('Observed value').fill('4.5');
	await observations.getByRole('button', { name: 'Record' }).click();
	await expect(observations.getByRole('listitem')).toHaveCount(2);
	await expect(checkout).toContainText('4.5 %');
	await expect(checkout.getByRole('cell', { name: 'met', exact: true })).toBeVisible();
	await expect(valueOf(ana.page, 'value-meeting')).toHaveText('1');
	await expect(ana.page.locator('dd[data-figure="value.current.meetingTarget"]')).toContainText(
		'latest observation reaches the target'
	);
});
