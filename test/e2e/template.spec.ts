import { expect, test } from '@playwright/test';
import { incident, opsBoard } from './incident-board';
import { openView } from './support';

test('templates: create one, edit it (a bad estimate is refused with the reason), apply it to open a work package sized by its tasks', async ({
	browser
}) => {
	test.slow();
	const board = await opsBoard(browser, 'Acme Templates');
	const ana = await board.join('Ana', 'web');
	const page = ana.page;
	await openView(page, 'Incidents');
	const templates = page.getByRole('region', { name: 'Templates' });

	await templates.getByText('New template').click();
	const form = templates.getByRole('form', { name: 'New template' });
	await form.getByLabel('Name').fill('Certificate expiry');
	await form.getByLabel('Default severity').selectOption({ label: 'SEV2 — major' });
	await form.getByLabel(/^Tasks/).fill('Renew the certificate | 1\nRoll it out | 2');
	await form.getByRole('button', { name: 'Create template' }).click();
	await expect(templates.getByText('Certificate expiry')).toBeVisible();

	await templates.getByText('Certificate expiry').click();
	const edit = templates.getByRole('form', { name: 'Edit template Certificate expiry' });
	await edit.getByLabel(/^Tasks/).fill('Renew the certificate | lots');
	await edit.getByRole('button', { name: 'Save template' }).click();
	await expect(edit.getByRole('alert')).toContainText('estimate');
	await edit
		.getByLabel(/^Tasks/)
		.fill('Renew the certificate | 1\nRoll it out | 2\nAdd expiry monitoring | 3');
	await edit.getByRole('button', { name: 'Save template' }).click();
	await expect(edit.getByRole('alert')).toHaveCount(0);
	await expect(templates).toContainText('Add expiry monitoring');

	const create = page.getByRole('form', { name: 'Open a work package' });
	await create.getByLabel('Story').selectOption({ label: 'First-level web support (recurring)' });
	await create.getByLabel('Template').selectOption({ label: 'Certificate expiry (3 tasks)' });
	await expect(create).toContainText('Sized by its tasks: 6 points');
	await create.getByRole('button', { name: 'Open work package' }).click();
	const opened = incident(page, 'Certificate expiry');
	await expect(opened.getByLabel('Severity')).toHaveValue('SEV2');
	await expect(opened.getByRole('list', { name: 'Tasks' }).getByRole('listitem')).toHaveCount(3);
	await expect(opened.getByTestId('budget')).toContainText('6 of 10 points used, 4 left');

	// The severity can change until it is escalated; the deadline follows it.
	await opened.getByLabel('Severity').selectOption('SEV1');
	await expect(opened.getByTestId('sla')).toContainText(/5 h 5\d min left/);

	// Dark theme at phone width: the incident still reads.
	await page.emulateMedia({ colorScheme: 'dark' });
	await page.setViewportSize({ width: 390, height: 800 });
	await expect(opened.getByRole('button', { name: 'Join the swarm' })).toBeVisible();

	for (const person of [board.admin, ana]) await person.context.close();
});
