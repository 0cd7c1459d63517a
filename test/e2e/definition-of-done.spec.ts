/**
 * The Definition of Done (R16): criteria written in Settings, ticked on a story by a team member,
 * shown unticked next to Accept at the review; the Product Owner accepts anyway and another
 * screen reports the acceptance, naming the criterion left unticked.
 */
import { expect, test } from '@playwright/test';
import { connected, docsScreenshot } from './support';
import { opsBoard } from './incident-board';

test('[R16] a story accepted with a criterion unticked shows the finding on another screen', async ({
	browser
}) => {
	test.slow();
	const board = await opsBoard(browser, 'Acme Done');
	const priya = board.admin;
	const ana = await board.join('Ana', 'web');
	const path = `/board/${board.boardId}`;

	// Priya writes the Definition of Done.
	await priya.page.goto(`${path}/settings`);
	await expect(connected(priya.page)).toBeVisible({ timeout: 10_000 });
	const add = priya.page.getByRole('form', { name: 'Add a criterion' });
	await add.getByRole('button', { name: 'Add criterion' }).click();
	await expect(priya.page.getByRole('alert')).toContainText('say what done means');
	for (const criterion of ['Runbook updated', 'Deployed to production']) {
		await add.getByLabel('New criterion').fill(criterion);
		await add.getByRole('button', { name: 'Add criterion' }).click();
	}
	await add.getByLabel('New criterion').fill('Alerts tuned');
	await add.getByLabel('Applies to').selectOption({ label: 'Ops work' });
	await add.getByRole('button', { name: 'Add criterion' }).click();
	await expect(
		priya.page
			.getByRole('list', { name: 'Criteria of the Definition of Done' })
			.getByRole('listitem')
	).toHaveCount(3);

	// Ana ticks one on the story; the dev story does not list the ops criterion.
	await ana.page.goto(`${path}/backlog?story=${board.stories.checkout}`);
	const done = ana.page
		.getByRole('form', { name: 'Edit story One-click checkout' })
		.getByRole('group', { name: 'Definition of Done' });
	await expect(done.getByRole('checkbox')).toHaveCount(2);
	await done.getByRole('checkbox', { name: 'Runbook updated' }).check();

	// The review shows what is not done next to Accept; Priya accepts anyway.
	await priya.page.goto(`${path}/review?team=${board.teams.web}`);
	const item = priya.page
		.getByRole('list', { name: 'Stories to review' })
		.getByRole('listitem', { name: 'One-click checkout' });
	await expect(item.getByTestId('unticked')).toHaveText('Not done yet: Deployed to production');
	await item.getByRole('button', { name: 'Accept One-click checkout' }).click();

	// Ana's screen reports it, naming the criterion.
	const findings = ana.page.getByRole('region', { name: 'Findings' });
	const r16 = findings.locator('[data-rule="R16"]');
	await expect(r16).toContainText('"Deployed to production"');
	await expect(r16).not.toContainText('Runbook updated');
	await docsScreenshot(done, 'definition-of-done');

	// The Definition of Done changes: the acceptance keeps what it was held to.
	await priya.page.goto(`${path}/settings`);
	await priya.page.getByRole('button', { name: 'Retire “Deployed to production”' }).click();
	await expect(done.getByRole('checkbox')).toHaveCount(2);
	await expect(r16).toContainText('"Deployed to production"');

	// Ticking it clears the finding.
	await done.getByRole('checkbox', { name: 'Deployed to production' }).check();
	await expect(r16).toHaveCount(0);
});
