import { expect, test } from '@playwright/test';
import { incident, openIncident, opsBoard } from './incident-board';
import { docsScreenshot, openView } from './support';

const TITLE = 'Checkout returns HTTP 500 for EU cards';

test('[R13][R14] a SEV1 swarm: 3 people join, split tasks; one escalates to a second team, whose member resolves; the originating context gets the notification and completes the work package', async ({
	browser
}) => {
	test.slow();
	const board = await opsBoard(browser, 'Acme Swarm');
	const ana = await board.join('Ana', 'web');
	const ben = await board.join('Ben', 'web');
	const chen = await board.join('Chen', 'web');
	const ivan = await board.join('Ivan', 'ops');

	// Ana opens a SEV1 from the template: sized by its tasks, on the support story's reservation.
	await openView(ana.page, 'Incidents');
	const create = ana.page.getByRole('form', { name: 'Open a work package' });
	await create.getByLabel('Title').fill(TITLE);
	await create.getByLabel('Story').selectOption({ label: 'First-level web support (recurring)' });
	await create.getByLabel('Template').selectOption({ label: 'SEV1 incident (5 tasks)' });
	await create.getByRole('button', { name: 'Open work package' }).click();
	const mine = incident(ana.page, TITLE);
	await expect(mine.getByTestId('sla')).toContainText(/SLA on track: 5 h 5\d min/);
	await expect(mine.getByTestId('sla').locator('[data-sla-state]')).toHaveAttribute(
		'data-sla-state',
		'on-track'
	);
	await expect(mine.getByTestId('budget')).toContainText('7 of 10 points used, 3 left in Web 1');
	await expect(mine.getByRole('list', { name: 'Tasks' }).getByRole('listitem')).toHaveCount(5);

	// Three people join the swarm; everyone sees the roster, and who is here now.
	for (const person of [ana, ben, chen]) {
		if (person !== ana) await openIncident(person.page, TITLE);
		await incident(person.page, TITLE).getByRole('button', { name: 'Join the swarm' }).click();
	}
	for (const person of [ana, ben, chen]) {
		const roster = incident(person.page, TITLE).getByRole('list', { name: 'People on the swarm' });
		await expect(roster.getByRole('listitem')).toHaveCount(3);
		for (const name of ['Ana', 'Ben', 'Chen']) {
			await expect(roster.getByRole('listitem').filter({ hasText: name })).toContainText(
				'here now'
			);
		}
	}

	// Ben and Chen split tasks off at the same time; both land, owned by Web.
	await Promise.all([
		incident(ben.page, TITLE)
			.getByLabel(/New task for/)
			.fill('Roll back the payment gateway'),
		incident(chen.page, TITLE)
			.getByLabel(/New task for/)
			.fill('Check EU card BIN ranges')
	]);
	await Promise.all([
		incident(ben.page, TITLE).getByRole('button', { name: 'Add task' }).click(),
		incident(chen.page, TITLE).getByRole('button', { name: 'Add task' }).click()
	]);
	for (const person of [ana, ben, chen]) {
		const tasks = incident(person.page, TITLE).getByRole('list', { name: 'Tasks' });
		await expect(tasks.getByRole('listitem')).toHaveCount(7);
		await expect(tasks).toContainText('Roll back the payment gateway');
		await expect(tasks).toContainText('Check EU card BIN ranges');
	}
	await expect(incident(ana.page, TITLE).getByRole('region', { name: 'Timeline' })).toContainText(
		'Ben added tasks: Roll back the payment gateway'
	);

	// Ana escalates to the Ops team's second-level story, the one legal target.
	const escalation = incident(ana.page, TITLE).getByRole('form', { name: `Escalate ${TITLE}` });
	await escalation.getByLabel('Second-level production support').check();
	await escalation.getByLabel('Why').fill('Database locks on the payments cluster');
	await escalation.getByRole('button', { name: 'Escalate' }).click();
	await expect(
		incident(ana.page, TITLE).getByRole('list', { name: 'Escalation chain' })
	).toContainText('Waiting for Second-level production support');
	await expect(incident(ana.page, TITLE).getByLabel('Severity')).toBeDisabled();

	// Completing now asks about the open tasks first, then is refused with R14's sentence, and
	// nothing changes.
	await incident(ana.page, TITLE).getByRole('button', { name: 'Complete work package' }).click();
	const openTasks = incident(ana.page, TITLE).getByRole('group', { name: /still open/ });
	await expect(incident(ana.page, TITLE).locator('header')).not.toContainText('done');
	await openTasks.getByRole('button', { name: 'Complete them' }).click();
	await expect(incident(ana.page, TITLE).getByRole('alert')).toContainText(
		'is still escalated to another team; it can be completed once they resolve it.'
	);

	// Ivan (Ops L2) adds his team's task and resolves his part.
	await openIncident(ivan.page, TITLE);
	const ops = incident(ivan.page, TITLE);
	await ops.getByLabel('New task for Ops L2').fill('Release the database locks');
	await ops.getByRole('button', { name: 'Add task' }).click();
	await expect(ops.getByRole('list', { name: 'Tasks' })).toContainText('Ops L2');
	// He finishes it right there, in the incident view, before sending the work back.
	await ops.getByLabel('Status of Release the database locks').selectOption({ label: 'Done' });
	await ops.getByRole('button', { name: 'Resolve our part and send it back' }).click();

	// Ana, present, gets the toast; the list keeps it; she completes the work package.
	const toast = ana.page.getByLabel('Escalation resolved');
	await expect(toast).toContainText(
		`Second-level production support resolved its part of "${TITLE}" (Ivan)`,
		{ timeout: 5_000 }
	);
	await expect(incident(ana.page, TITLE).getByRole('alert')).toHaveCount(0);
	await incident(ana.page, TITLE).getByRole('heading', { name: TITLE }).scrollIntoViewIfNeeded();
	await docsScreenshot(ana.page, 'incident');
	await toast.getByRole('link', { name: 'Open work package' }).click();
	await expect(toast).toHaveCount(0);
	await ana.page.getByRole('button', { name: 'Notifications' }).click();
	await expect(ana.page.getByRole('region', { name: 'Notifications' })).toContainText(
		`Second-level production support resolved "${TITLE}"`
	);
	await ana.page.getByRole('button', { name: 'Notifications' }).click();
	// Ben was not the one who escalated, but his team was: he is notified too; Ivan's team is not.
	await expect(ben.page.getByLabel('Escalation resolved')).toBeVisible();
	await expect(ivan.page.getByLabel('Escalation resolved')).toHaveCount(0);
	await incident(ana.page, TITLE).getByRole('button', { name: 'Complete work package' }).click();
	// Tasks are still open: completing asks what becomes of them first.
	await expect(incident(ana.page, TITLE).locator('header')).not.toContainText('done');
	await openTasks.getByRole('button', { name: 'Complete them' }).click();
	for (const person of [ana, ben, ivan]) {
		await expect(incident(person.page, TITLE).locator('header')).toContainText('done');
		await expect(incident(person.page, TITLE).getByTestId('sla')).toContainText('SLA met with');
	}
	// Once the work package is done the notice asks for nothing: Ben's toast goes, his list keeps it.
	await expect(ben.page.getByLabel('Escalation resolved')).toHaveCount(0);
	await ben.page.getByRole('button', { name: 'Notifications' }).click();
	await expect(ben.page.getByRole('region', { name: 'Notifications' })).toContainText(
		`Second-level production support resolved "${TITLE}"`
	);
	await ben.page.getByRole('button', { name: 'Notifications' }).click();

	// A phone-sized screen shows the incident with its controls.
	await chen.page.setViewportSize({ width: 390, height: 800 });
	await expect(incident(chen.page, TITLE).getByRole('button', { name: 'Reopen' })).toBeVisible();

	for (const person of [board.admin, ana, ben, chen, ivan]) await person.context.close();
});
