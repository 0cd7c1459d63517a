import { expect, test } from '@playwright/test';
import { openStandup } from './standup-support';
import { demoBoard, docsScreenshot, openView } from './support';

/** POSTs JSON to the server's API as `token`, expecting `status`; the answer's body. */
async function post(baseURL: string, path: string, body: unknown, token?: string, status = 201) {
	const response = await fetch(new URL(path, baseURL), {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			...(token ? { authorization: `Bearer ${token}` } : {})
		},
		body: JSON.stringify(body)
	});
	const text = await response.text();
	expect(response.status, text).toBe(status);
	return JSON.parse(text) as Record<string, string>;
}

test('an absent member’s update gets a turn, absent members without one do not, and whoever missed the standup reads its summary', async ({
	browser,
	baseURL
}) => {
	test.setTimeout(90_000);
	const board = await demoBoard(baseURL!);
	const day = new Date().toISOString().slice(0, 10);

	// Pia is on Web but at the dentist: she joins and leaves her update from a script, and never
	// opens the board.
	const invite = new URL(await board.invite('web'), baseURL).searchParams.get('invite');
	const pia = await post(baseURL!, `/api/boards/${board.boardId}/join`, { name: 'Pia', invite });
	const update = await post(
		baseURL!,
		`/api/boards/${board.boardId}/standup-updates`,
		{
			teamId: board.ids.teams.web,
			done: 'Reviewed the checkout PR',
			next: 'Dentist, back tomorrow',
			impediments: 'Waiting for the payment sandbox'
		},
		pia.token
	);
	expect(update.round).toBeNull();

	const rita = await board.join(browser, 'Rita', { team: 'web', role: 'scrum-master' });
	const omar = await board.join(browser, 'Omar', { team: 'web' });
	for (const page of [rita.page, omar.page]) await openStandup(page, 'Web');
	// The update reached the board before the standup: Rita sees it waiting.
	const said = rita.page.getByRole('region', { name: 'Said in this standup' });
	await expect(said).toContainText('Reviewed the checkout PR');
	await expect(said).toContainText('Left an update before the standup');

	await rita.page.getByRole('button', { name: 'Start standup' }).click();
	for (const page of [rita.page, omar.page]) {
		await expect(page.getByText('Facilitator: Rita')).toBeVisible({ timeout: 5_000 });
	}
	// The incidents, then everyone here, then Pia's update. Ana swarms on the incident but is
	// away without an update: like the other absent members she takes no turn, and is listed.
	const order = omar.page.getByRole('region', { name: 'Speaking order' }).getByRole('listitem');
	await expect(order).toHaveCount(4);
	await expect(order.nth(0)).toHaveText('Open incidents');
	await expect(order.nth(1)).toContainText('Omar');
	await expect(order.nth(2)).toContainText('Rita');
	await expect(order.nth(3)).toContainText('Pia');
	await expect(order.nth(3)).toContainText('left an update');
	await expect(omar.page.getByTestId('round-absent')).toHaveText(
		'Absent: Ana, Ben, Chen, Dana, Eli, Sam (SM)'
	);
	// The timebox counts those three and the incidents: 4 × 1:30.
	await expect(rita.page.getByTestId('round-timer')).toHaveText(/^(6:00|5:5\d) left$/);

	await rita.page.getByRole('button', { name: 'Next: Omar' }).click();
	await expect(omar.page.getByTestId('standup-now')).toHaveText('Now speaking: Omar');
	const form = omar.page.getByRole('form', { name: 'Standup of Omar' });
	await form.getByLabel('Done since the last standup').fill('Card form validation');
	await form.getByLabel('Next until the next standup').fill('Saved cards');
	await form.getByLabel('Impediments (one per line)').fill('No test cards for Amex');
	await form.getByRole('button', { name: 'Save for Omar' }).click();
	await expect(form.getByRole('status')).toHaveText('Saved for Omar, with 1 impediment raised.');

	// Nobody here is skipped: Rita's own turn comes, then Pia's update is read out.
	await rita.page.getByRole('button', { name: 'Next: Rita' }).click();
	await expect(omar.page.getByTestId('standup-now')).toHaveText('Now speaking: Rita');
	await rita.page.getByRole('button', { name: 'Next: Pia (left an update)' }).click();
	for (const page of [rita.page, omar.page]) {
		await expect(page.getByTestId('standup-now')).toHaveText('Now speaking: Pia', {
			timeout: 5_000
		});
		const turn = page.getByRole('region', { name: 'Update of Pia' });
		await expect(turn).toContainText('Pia: left an update before the standup');
		await expect(turn).toContainText('Done: Reviewed the checkout PR');
		await expect(turn).toContainText('Impediment: Waiting for the payment sandbox');
	}
	await expect(rita.page.getByRole('button', { name: 'Finish the round' })).toBeVisible();
	await rita.page.getByRole('button', { name: 'End standup' }).click();
	await expect(
		rita.page.getByRole('link', { name: 'Read the summary of this standup' })
	).toBeVisible({ timeout: 5_000 });
	await omar.context.close();
	await rita.context.close();

	// Fay, on Mobile, missed it: the Scrum of Scrums links Web's last standup.
	const fay = await board.join(browser, 'Fay', { team: 'mobile' });
	await fay.context.grantPermissions(['clipboard-read', 'clipboard-write']);
	await openView(fay.page, 'Scrum of Scrums');
	const standups = fay.page.getByRole('region', { name: 'Last Daily Standup of each team' });
	await standups.getByRole('link', { name: `Standup of ${day} of Web` }).click();
	const summary = fay.page.getByRole('region', { name: 'Standup summary' });
	await expect(
		summary.getByRole('heading', { name: `Daily Standup · Web · ${day}` })
	).toBeVisible();
	const parts = summary.getByRole('region', { name: 'What was said' }).getByRole('listitem');
	await expect(parts).toHaveCount(2);
	await expect(parts.nth(0)).toContainText('Omar');
	await expect(parts.nth(0)).toContainText('Impediment: No test cards for Amex');
	await expect(parts.nth(1)).toContainText('Pia');
	await expect(parts.nth(1)).toContainText('Left an update before the standup');
	await expect(summary.getByText('Nothing recorded: Rita')).toBeVisible();
	await expect(summary.getByTestId('summary-absent')).toHaveText(
		'Absent: Ana, Ben, Chen, Dana, Eli, Sam (SM)'
	);
	await expect(
		summary.getByRole('link', { name: 'Checkout returns HTTP 500 for EU cards' })
	).toBeVisible();

	await docsScreenshot(fay.page, 'standup-summary', { fullPage: true });
	await summary.getByRole('button', { name: 'Copy as text' }).click();
	await expect(summary.getByRole('status')).toHaveText(
		'Copied: paste it wherever the team reads it.'
	);
	const copied = await fay.page.evaluate(() => navigator.clipboard.readText());
	expect(copied.split('\n').slice(0, 1)).toEqual([`Daily Standup · Web · ${day}`]);
	expect(copied).toContain(
		[
			'Omar',
			'Done: Card form validation',
			'Next: Saved cards',
			'Impediment: No test cards for Amex',
			'',
			'Pia (left an update before the standup)',
			'Done: Reviewed the checkout PR',
			'Next: Dentist, back tomorrow',
			'Impediment: Waiting for the payment sandbox'
		].join('\n')
	);
	expect(copied).toContain('Absent: Ana, Ben, Chen, Dana, Eli, Sam (SM)');
	await fay.context.close();
});
