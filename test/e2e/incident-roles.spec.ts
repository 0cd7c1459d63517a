/**
 * An incident run by roles: the swarm names its commander and communications lead, the
 * commander posts status updates, and a stakeholder, who changes nothing, reads them first.
 */
import { expect, test } from '@playwright/test';
import { connected, demoBoard, docsScreenshot } from './support';

test('a commander and a comms lead run the incident; a stakeholder reads the status updates first', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const cleo = await board.join(browser, 'Cleo', { team: 'web' });
	const dev = await board.join(browser, 'Dev', { team: 'web' });
	const sue = await board.join(browser, 'Sue', { role: 'stakeholder' });
	const path = `${board.path}/incidents/${board.ids.incident}`;
	for (const person of [cleo, dev, sue]) {
		await person.page.goto(path);
		await expect(connected(person.page)).toBeVisible({ timeout: 10_000 });
	}
	const detail = (page: typeof cleo.page) => page.getByRole('article', { name: /^Work package / });

	// Cleo takes command and makes Dev the communications lead; everyone sees the roles.
	await detail(cleo.page).getByLabel('Incident commander').selectOption({ label: 'Cleo' });
	await detail(cleo.page).getByLabel('Communications lead').selectOption({ label: 'Dev' });
	for (const page of [cleo.page, dev.page, sue.page]) {
		const roster = detail(page).getByRole('list', { name: 'People on the swarm' });
		await expect(roster.getByRole('listitem').filter({ hasText: 'Cleo' })).toContainText(
			'commander'
		);
		await expect(roster.getByRole('listitem').filter({ hasText: 'Dev' })).toContainText(
			'communications lead'
		);
	}
	// The stakeholder can change none of it, nor post.
	await expect(detail(sue.page).getByLabel('Incident commander')).toBeDisabled();
	await expect(detail(sue.page).getByRole('form', { name: 'Post a status update' })).toHaveCount(0);

	// The commander posts; the stakeholder reads it first thing on the incident, and on the timeline.
	const post = detail(cleo.page).getByRole('form', { name: 'Post a status update' });
	await post.getByLabel('State').selectOption({ label: 'Identified' });
	await post
		.getByLabel('Update for stakeholders')
		.fill('EU card BIN ranges rejected by the gateway');
	await post.getByRole('button', { name: 'Post update' }).click();
	const status = detail(sue.page).getByRole('region', { name: /^Status of / });
	await expect(status).toContainText('Identified EU card BIN ranges rejected by the gateway');
	const regions = await detail(sue.page)
		.getByRole('region')
		.evaluateAll((all) => all.map((r) => r.getAttribute('aria-label')));
	expect(regions[0]).toMatch(/^Status of /);
	await expect(detail(sue.page).getByRole('region', { name: 'Timeline' })).toContainText(
		'posted an update: Identified: EU card BIN ranges rejected by the gateway'
	);

	// The communications lead speaks for the swarm too.
	const theirs = detail(dev.page).getByRole('form', { name: 'Post a status update' });
	await theirs.getByLabel('State').selectOption({ label: 'Monitoring' });
	await theirs.getByLabel('Update for stakeholders').fill('Fix deployed; watching the error rate');
	await theirs.getByRole('button', { name: 'Post update' }).click();
	await expect(status).toContainText('Monitoring Fix deployed; watching the error rate');
	await expect(status.getByText('Earlier updates (1)')).toBeVisible();
	await docsScreenshot(sue.page, 'incident-status');

	// The incident desk's list says who runs it and where it stands, for everyone.
	await expect(
		sue.page.getByRole('link', { name: /Checkout returns HTTP 500 for EU cards/ })
	).toContainText('Commander: Cleo · Comms: Dev · Monitoring');
});
