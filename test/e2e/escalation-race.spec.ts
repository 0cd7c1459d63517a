import { expect, test } from '@playwright/test';
import { incident, opsBoard } from './incident-board';
import { openView } from './support';

const TITLE = 'Search index stale';

test('[R7] an escalation made at the same moment the target’s sprint is closed elsewhere yields the R7 finding on every screen', async ({
	browser
}) => {
	test.slow();
	const board = await opsBoard(browser, 'Acme Race');
	const ana = await board.join('Ana', 'web');
	const lee = await board.join('Lee', 'ops', 'scrum-master');

	// Ana opens an ad hoc SEV2 and gets the escalation ready.
	await openView(ana.page, 'Incidents');
	const create = ana.page.getByRole('form', { name: 'Open a work package' });
	await create.getByLabel('Title').fill(TITLE);
	await create.getByLabel('Story').selectOption({ label: 'First-level web support (recurring)' });
	await create.getByLabel('Severity').selectOption({ label: 'SEV2 — major' });
	await create.getByRole('button', { name: 'Open work package' }).click();
	const escalation = incident(ana.page, TITLE).getByRole('form', { name: `Escalate ${TITLE}` });
	await escalation.getByLabel('Second-level production support').check();
	await escalation.getByLabel('Why').fill('Indexer runs on the Ops cluster');

	// Lee gets the close of Ops 1 ready.
	await openView(lee.page, 'Review');
	await lee.page.getByLabel('Team', { exact: true }).selectOption({ label: 'Ops L2' });
	await lee.page.getByRole('button', { name: 'Close Ops 1…' }).click();

	// Both act at once, neither seeing the other's change before acting: their networks drop for
	// the moment of the two clicks, so each action is legal on its own screen, and CRDT merges both.
	await Promise.all([ana.context.setOffline(true), lee.context.setOffline(true)]);
	for (const person of [ana, lee]) {
		await expect(person.page.getByRole('status').filter({ hasText: 'Offline' })).toBeVisible();
	}
	await Promise.all([
		escalation.getByRole('button', { name: 'Escalate' }).click(),
		lee.page.getByRole('button', { name: 'Yes, close Ops 1' }).click()
	]);
	await Promise.all([ana.context.setOffline(false), lee.context.setOffline(false)]);

	for (const person of [ana, lee, board.admin]) {
		const r7 = person.page.getByRole('region', { name: 'Findings' }).locator('[data-rule="R7"]');
		await expect(r7).toContainText(
			'"Second-level production support" is not planned (committed or reserved) in any active sprint',
			{ timeout: 5_000 }
		);
		await expect(r7.getByRole('link', { name: `work package: ${TITLE}` })).toBeVisible();
	}

	// The finding's link opens the work package, where the target is now refused with the reason.
	await ana.page
		.getByRole('region', { name: 'Findings' })
		.locator('[data-rule="R7"]')
		.getByRole('link', { name: `work package: ${TITLE}` })
		.click();
	await expect(
		incident(ana.page, TITLE).getByRole('list', { name: 'Escalation chain' })
	).toContainText('Waiting for Second-level production support');

	for (const person of [board.admin, ana, lee]) await person.context.close();
});
