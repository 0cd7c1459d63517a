/**
 * Experiments and the review's numbers: the Product Owner turns a story into an experiment with
 * a hypothesis, the backlog filters experiments, the sprint review shows the sprint's figures
 * and the accepted points move with the acceptance; the verdict recorded afterwards reaches the
 * dashboard's ability to innovate on another screen.
 */
import { expect, test, type Locator } from '@playwright/test';
import { backlogRow, connected, docsScreenshot } from './support';
import { opsBoard } from './incident-board';

/** The cells of a table's rows as text, header row first. */
function tableRows(table: Locator): Promise<string[][]> {
	return table.evaluate((element) =>
		[...(element as HTMLTableElement).rows].map((row) =>
			[...row.cells].map((cell) => cell.textContent?.trim() ?? '')
		)
	);
}

test('an experiment with a hypothesis is accepted at a review that shows its numbers, gets its verdict, and the dashboard counts it', async ({
	browser
}) => {
	test.slow();
	const board = await opsBoard(browser, 'Acme Experiments');
	const priya = board.admin;
	const ana = await board.join('Ana', 'web');
	const path = `/board/${board.boardId}`;

	await ana.page.goto(`${path}/dashboard`);
	await expect(connected(ana.page)).toBeVisible({ timeout: 10_000 });
	const experiments = ana.page.getByRole('table', { name: 'Experiments', exact: true });
	await expect
		.poll(async () => (await tableRows(experiments))[1])
		.toEqual(['0', '0', '0', '0', '0', '0']);

	// The story becomes an experiment.
	await priya.page.goto(`${path}/backlog?story=${board.stories.checkout}`);
	const editor = priya.page.getByRole('form', { name: 'Edit story One-click checkout' });
	const experiment = editor.getByRole('group', { name: 'Experiment' });
	await experiment.getByLabel('This story is an experiment').check();
	await experiment
		.getByLabel('Hypothesis')
		.fill('We believe one-click checkout will lift conversion; we will know when it reads 4 %.');
	await experiment.getByLabel('Hypothesis').press('Tab');
	await expect(experiment).toContainText('Once its sprint review accepts it');
	await expect.poll(async () => (await tableRows(experiments))[1]![0]).toBe('1');

	// The backlog shows experiments only when asked.
	await editor.getByRole('button', { name: 'Close' }).click();
	await priya.page.getByLabel('Experiments').check();
	await expect(backlogRow(priya.page, 'One-click checkout')).toBeVisible();
	await expect(backlogRow(priya.page, 'Search suggestions')).toHaveCount(0);

	// The review shows the sprint's figures, which move with the acceptance.
	await priya.page.goto(`${path}/review?team=${board.teams.web}`);
	await expect(priya.page.getByTestId('review-accepted')).toHaveText('0 of 11 points');
	await expect(priya.page.getByTestId('review-unknown')).toHaveText('0 of 10 points reserved');
	await expect(priya.page.getByTestId('review-sla')).toHaveText('nothing resolved');
	await priya.page.getByRole('button', { name: 'Accept One-click checkout' }).click();
	await expect(priya.page.getByTestId('review-accepted')).toHaveText('8 of 11 points');
	await docsScreenshot(priya.page.getByRole('article', { name: /^Review of / }), 'sprint-review');

	// The verdict, with its evidence.
	await priya.page.goto(`${path}/backlog?story=${board.stories.checkout}`);
	await experiment.getByRole('button', { name: 'Record verdict' }).click();
	await experiment.getByLabel('Verdict').selectOption({ label: 'Validated' });
	await experiment.getByRole('button', { name: 'Record verdict' }).click();
	await expect(experiment.getByRole('alert')).toContainText('Say what the evidence was');
	await experiment.getByLabel('Evidence').fill('Conversion read 4.3 % in the first week.');
	await experiment.getByRole('button', { name: 'Record verdict' }).click();
	await expect(experiment.getByRole('alert')).toHaveCount(0);
	await docsScreenshot(experiment, 'experiment');

	// Ana's dashboard: accepted and validated, nothing running.
	await expect
		.poll(async () => (await tableRows(experiments))[1])
		.toEqual(['0', '1', '1', '0', '0', '0']);
});
