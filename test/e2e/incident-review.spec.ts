/**
 * The post-incident review of a SEV1: once the incident is completed, two people fill in the
 * review at the same time, on their own screens, starting from the incident's timeline; an
 * action item becomes a backlog story, and the incident commander marks the review done.
 */
import { expect, test, type Page } from '@playwright/test';
import { backlogRow, connected, demoBoard, docsScreenshot } from './support';

const review = (page: Page) => page.getByRole('article', { name: /^Post-incident review of / });

test('two people write the review of a completed SEV1 together; the commander marks it done', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const cleo = await board.join(browser, 'Cleo', { team: 'web' });
	const dev = await board.join(browser, 'Dev', { team: 'web' });
	const incident = `${board.path}/incidents/${board.ids.incident}`;
	await cleo.page.goto(incident);
	await expect(connected(cleo.page)).toBeVisible({ timeout: 10_000 });
	const detail = cleo.page.getByRole('article', { name: /^Work package / });

	// Cleo commands the incident, posts a status update and completes it with its tasks.
	await detail.getByLabel('Incident commander').selectOption({ label: 'Cleo' });
	const post = detail.getByRole('form', { name: 'Post a status update' });
	await post.getByLabel('State').selectOption({ label: 'Identified' });
	await post
		.getByLabel('Update for stakeholders')
		.fill('EU card BIN ranges rejected by the gateway');
	await post.getByRole('button', { name: 'Post update' }).click();
	await expect(detail.getByRole('region', { name: /^Status of / })).toContainText(
		'EU card BIN ranges rejected by the gateway'
	);
	await detail.getByRole('button', { name: 'Complete work package' }).click();
	await detail.getByRole('button', { name: 'Complete them' }).click();
	await expect(detail.getByRole('button', { name: 'Reopen' })).toBeVisible();

	// A SEV1 needs a review: Cleo starts it from the incident, Dev opens it from the desk.
	const section = detail.getByRole('region', { name: 'Post-incident review' });
	await expect(section.getByTestId('review-state')).toHaveText(/^Review due in 5 days$/);
	await section.getByRole('link', { name: 'Start the review' }).click();
	await review(cleo.page).getByRole('button', { name: 'Start the review' }).click();
	await dev.page.goto(`${board.path}/incidents`);
	await expect(connected(dev.page)).toBeVisible({ timeout: 10_000 });
	await dev.page
		.getByRole('region', { name: 'Post-incident reviews' })
		.getByRole('link', { name: /Checkout returns HTTP 500 for EU cards/ })
		.click();

	// The timeline starts from the incident's: the status update is there, on both screens.
	const rowsOf = (page: Page) =>
		review(page)
			.getByLabel(/^What happened at /)
			.evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
	for (const page of [cleo.page, dev.page]) {
		await expect
			.poll(() => rowsOf(page))
			.toContain('Cleo posted an update: Identified: EU card BIN ranges rejected by the gateway');
	}
	await expect(
		review(dev.page)
			.getByLabel(/^What happened at /)
			.last()
	).toHaveValue(/^Cleo completed it/);

	// Both type into the summary at once, then each into a field of their own.
	const summary = (page: Page) => review(page).getByLabel('Summary: what happened');
	await summary(cleo.page).click();
	await summary(dev.page).click();
	await Promise.all([
		summary(cleo.page).pressSequentially('Cards failed. ', { delay: 15 }),
		summary(dev.page).pressSequentially('Gateway rejected EU BINs.', { delay: 15 })
	]);
	for (const page of [cleo.page, dev.page]) {
		await expect(summary(page)).toHaveValue(/Cards failed\. /);
		await expect(summary(page)).toHaveValue(/Gateway rejected EU BINs\./);
	}
	const [hers, his] = [await summary(cleo.page).inputValue(), await summary(dev.page).inputValue()];
	expect(hers).toBe(his);
	await Promise.all([
		review(cleo.page)
			.getByLabel('Impact: who and what was affected, for how long')
			.pressSequentially('EU customers could not pay for 40 minutes', { delay: 10 }),
		review(dev.page)
			.getByLabel('Contributing factors')
			.pressSequentially('No alert on card rejections', { delay: 10 })
	]);
	await expect(
		review(dev.page).getByLabel('Impact: who and what was affected, for how long')
	).toHaveValue('EU customers could not pay for 40 minutes');
	await expect(review(cleo.page).getByLabel('Contributing factors')).toHaveValue(
		'No alert on card rejections'
	);

	// Dev adds an action item and makes it a story; both see the link to it.
	const items = (page: Page) => review(page).getByRole('region', { name: 'Action items' });
	await items(dev.page)
		.getByLabel('What should be done so this does not happen again')
		.fill('Alert on card rejection spikes');
	await items(dev.page).getByRole('button', { name: 'Add action item' }).click();
	await items(dev.page).getByRole('button', { name: 'Create story' }).click();
	for (const page of [cleo.page, dev.page]) {
		await expect(
			items(page).getByRole('link', { name: 'Story: Alert on card rejection spikes' })
		).toBeVisible();
	}

	await docsScreenshot(dev.page, 'incident-review', { fullPage: true });

	// Only the commander may mark it done; Dev sees it done.
	await expect(review(dev.page).getByRole('button', { name: 'Mark review done' })).toHaveCount(0);
	await review(cleo.page).getByRole('button', { name: 'Mark review done' }).click();
	await expect(review(dev.page).getByTestId('review-done')).toContainText('Done · marked by Cleo');
	await expect(review(dev.page).getByTestId('review-state')).toHaveText('Review done');
	await expect(review(dev.page).getByLabel('Summary: what happened')).toBeDisabled();

	// The story is in the product backlog.
	await items(dev.page)
		.getByRole('link', { name: 'Story: Alert on card rejection spikes' })
		.click();
	await expect(backlogRow(dev.page, 'Alert on card rejection spikes')).toBeVisible();
});

test('an action item becomes a template change that the template editor applies; the review shows it applied', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const cleo = await board.join(browser, 'Cleo', { team: 'web' });
	const dev = await board.join(browser, 'Dev', { team: 'web' });
	// An optional review: the demo's incident, still open, needs none yet but may have one.
	await cleo.page.goto(`${board.path}/incidents/${board.ids.incident}/review`);
	await expect(connected(cleo.page)).toBeVisible({ timeout: 10_000 });
	await review(cleo.page).getByRole('button', { name: 'Start the review' }).click();
	const items = review(cleo.page).getByRole('region', { name: 'Action items' });
	await items
		.getByLabel('What should be done so this does not happen again')
		.fill('Check the card gateway status page first');
	await items.getByRole('button', { name: 'Add action item' }).click();
	await items.getByRole('button', { name: 'Propose template change' }).click();
	await expect(items.getByTestId('change-request')).toHaveText(
		'Template change on SEV1 incident: open'
	);

	// Dev, on the incident desk, finds it under the template and applies it.
	await dev.page.goto(`${board.path}/incidents`);
	await expect(connected(dev.page)).toBeVisible({ timeout: 10_000 });
	const templates = dev.page.getByRole('region', { name: 'Templates' });
	await templates.getByText(/^SEV1 incident \(1 open change request\)/).click();
	const requests = templates.getByRole('region', { name: 'Change requests for SEV1 incident' });
	await expect(requests).toContainText('Check the card gateway status page first');
	await requests.getByRole('button', { name: 'Apply' }).click();
	await expect(requests).toContainText('Applied');
	await expect(
		templates.getByRole('form', { name: 'Edit template SEV1 incident' }).getByLabel(/^Tasks/)
	).toHaveValue(/\nCheck the card gateway status page first$/);

	// Cleo's review says so.
	await expect(items.getByTestId('change-request')).toHaveText(
		'Template change on SEV1 incident: applied'
	);
});
