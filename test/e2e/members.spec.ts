import { expect, test, type Page, type WebSocketRoute } from '@playwright/test';
import { backlogRow, boardUrl, createBoard, joinByInvite, openView } from './support';

async function addTeam(page: Page, name: string) {
	await openView(page, 'Planning');
	const form = page.getByRole('form', { name: 'Add a team' });
	await form.getByLabel('Name').fill(name);
	await form.getByRole('button', { name: 'Add team' }).click();
	await expect(page.getByLabel('Team', { exact: true })).toHaveValue(/.+/);
}

/** The admin creates an invite link in the members panel and returns it. */
async function invite(page: Page, team: string, role: string): Promise<string> {
	await openView(page, 'Members');
	const form = page.getByRole('form', { name: 'Invite someone' });
	await form.getByLabel('Team', { exact: true }).selectOption({ label: team });
	await form.getByLabel('Role', { exact: true }).selectOption({ label: role });
	await form.getByRole('button', { name: 'Create invite link' }).click();
	const link = form.getByLabel('Invite link');
	await expect(link).toHaveValue(/\/join\/[^?]+\?invite=/);
	return link.inputValue();
}

function member(page: Page, name: string) {
	return page.getByRole('list', { name: 'People on this board' }).getByRole('listitem', { name });
}

test('the admin invites a Scrum Master by link, sees them join, and removes them: their board closes', async ({
	browser
}) => {
	const admin = await createBoard(browser, 'Acme Payments', 'Ada');
	await admin.context.grantPermissions(['clipboard-read', 'clipboard-write']);
	await addTeam(admin.page, 'Payments');

	const link = await invite(admin.page, 'Payments', 'Scrum Master');
	const form = admin.page.getByRole('form', { name: 'Invite someone' });
	await form.getByRole('button', { name: 'Copy link' }).click();
	await expect(form.getByRole('status')).toHaveText('Copied: send it to the person you invite.');
	expect(await admin.page.evaluate(() => navigator.clipboard.readText())).toBe(link);

	const sam = await joinByInvite(browser, link, 'Sam');
	await expect(sam.page.locator('.me')).toContainText('Payments');

	await admin.page.getByRole('button', { name: 'Refresh' }).click();
	await expect(member(admin.page, 'Sam')).toContainText('Payments · Scrum Master');
	await expect(member(admin.page, 'Ada')).toContainText('admin');
	await expect(
		member(admin.page, 'Ada').getByRole('button', { name: /Remove/ }),
		'an admin cannot remove themselves'
	).toHaveCount(0);

	// Sam sees who is on the board, without the admin's controls.
	await openView(sam.page, 'Members');
	await expect(member(sam.page, 'Ada')).toBeVisible();
	await expect(sam.page.getByRole('form', { name: 'Invite someone' })).toHaveCount(0);
	await expect(sam.page.getByRole('button', { name: /^Remove / })).toHaveCount(0);
	await openView(sam.page, 'Backlog');

	// Removing asks first; Cancel keeps Sam, and the keyboard reaches every control.
	await member(admin.page, 'Sam').getByRole('button', { name: 'Remove Sam' }).click();
	await expect(admin.page.getByRole('button', { name: 'Yes, remove Sam' })).toBeFocused();
	await admin.page.keyboard.press('Tab');
	await admin.page.keyboard.press('Enter');
	await expect(admin.page.getByRole('button', { name: 'Remove Sam' })).toBeFocused();
	await admin.page.keyboard.press('Enter');
	await admin.page.keyboard.press('Enter');

	await expect(member(admin.page, 'Sam')).toContainText('removed');
	await expect(sam.page).toHaveURL(/\/join\/[A-Za-z0-9_-]+$/, { timeout: 10_000 });
	await expect(sam.page.getByRole('alert')).toHaveText(
		'You were removed from this board by its admin, so it closed. To come back, ask the admin for a new invite link.'
	);

	await admin.context.close();
	await sam.context.close();
});

test('an invite the server refuses shows its reason next to the form', async ({ browser }) => {
	const admin = await createBoard(browser, 'Acme Refusals', 'Ada');
	await openView(admin.page, 'Members');
	const form = admin.page.getByRole('form', { name: 'Invite someone' });
	await form.getByLabel('Valid for (days)').fill('200');
	await form.getByRole('button', { name: 'Create invite link' }).click();
	await expect(form.getByRole('alert')).toContainText('90');
	await expect(form.getByLabel('Invite link')).toHaveCount(0);
	await admin.context.close();
});

test('the admin revokes an invite link: it leaves the open links, and whoever opens it is told why', async ({
	browser
}) => {
	const admin = await createBoard(browser, 'Acme Revocations', 'Ada');
	await addTeam(admin.page, 'Ops');
	const link = await invite(admin.page, 'Ops', 'Team member');

	const open = admin.page.getByRole('region', { name: 'Open invite links' });
	const listed = open.getByRole('listitem', { name: 'Ops · Team member' });
	await expect(listed).toContainText('made by Ada');
	await listed.getByRole('button', { name: 'Revoke the Ops · Team member link' }).click();
	await expect(open.getByRole('status')).toContainText(
		'Revoked the Ops · Team member link: nobody else can join with it.'
	);
	await expect(open).toContainText('No invite link is open.');
	await expect(
		admin.page.getByLabel('Invite link', { exact: true }),
		'the revoked link is no longer offered for copying'
	).toHaveCount(0);

	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto(link);
	await page.getByLabel('Your name').fill('Eve');
	await page.getByRole('button', { name: 'Join the board' }).click();
	await expect(page.getByRole('alert')).toHaveText(
		"The board's admin revoked this invite link; ask them for a new one."
	);
	await expect(page).toHaveURL(/\/join\//);
	await admin.page.getByRole('button', { name: 'Refresh' }).click();
	await expect(member(admin.page, 'Eve')).toHaveCount(0);

	await context.close();
	await admin.context.close();
});

test('a stakeholder sees the whole board live and read-only, with a note saying so', async ({
	browser
}) => {
	const admin = await createBoard(browser, 'Acme Insight', 'Ada');
	await addTeam(admin.page, 'Insight');
	const link = await invite(admin.page, 'No team', 'Stakeholder (reads only)');
	const kim = await joinByInvite(browser, link, 'Kim');

	await expect(kim.page.getByRole('note')).toHaveText(
		'Read-only: as a stakeholder you see the whole board live but cannot change it.'
	);
	await expect(kim.page.getByRole('button', { name: 'Add story' })).toBeHidden();

	await openView(admin.page, 'Backlog');
	for (const title of ['Quarterly revenue report', 'Churn dashboard']) {
		await admin.page.getByLabel('New story title').fill(title);
		await admin.page.getByRole('button', { name: 'Add story' }).click();
		await expect(backlogRow(admin.page, title)).toBeVisible();
	}
	await expect(backlogRow(kim.page, 'Quarterly revenue report')).toBeVisible({ timeout: 5_000 });

	// The story opens with every field shown and none editable.
	await backlogRow(kim.page, 'Quarterly revenue report').click();
	const editor = kim.page.getByRole('form', { name: 'Edit story Quarterly revenue report' });
	await expect(editor.getByLabel('Title')).toHaveValue('Quarterly revenue report');
	await expect(editor.getByLabel('Title')).toBeDisabled();
	await expect(editor.getByText('read-only')).toBeVisible();

	// Reordering with the keyboard is refused with the reason.
	await backlogRow(kim.page, 'Quarterly revenue report').focus();
	await kim.page.keyboard.press('Alt+ArrowDown');
	await expect(kim.page.getByRole('alert').first()).toContainText('You can only read this board');
	await expect(backlogRow(kim.page, 'Quarterly revenue report')).toHaveAccessibleName(
		/^1\. Quarterly revenue report/
	);

	await openView(kim.page, 'Planning');
	await expect(kim.page.getByText('Insight has no sprint yet.')).toBeVisible();
	await expect(kim.page.getByRole('button', { name: 'Plan sprint' })).toHaveCount(0);
	await expect(kim.page.getByRole('button', { name: 'Add team' })).toHaveCount(0);
	await expect(kim.page.getByRole('spinbutton', { name: 'Velocity' })).toHaveCount(0);

	await admin.context.close();
	await kim.context.close();
});

test('someone removed while their computer could not reach the board is told so, instead of retrying forever', async ({
	browser
}) => {
	const admin = await createBoard(browser, 'Acme Travel', 'Ada');
	await addTeam(admin.page, 'Travel');
	const link = await invite(admin.page, 'Travel', 'Team member');
	const sam = await joinByInvite(browser, link, 'Sam');

	// Sam's board again, its connections passing through a switch we control.
	let reachable = true;
	const open: WebSocketRoute[] = [];
	await sam.context.routeWebSocket(/\/sync\//, (ws) => {
		if (!reachable) return void ws.close({ code: 4000, reason: 'unreachable' });
		ws.connectToServer();
		open.push(ws);
	});
	// Its requests too: every connection attempt first asks for a ticket over HTTP.
	await sam.context.route(/\/api\//, (route) =>
		reachable ? route.continue() : route.abort('internetdisconnected')
	);
	const page = await sam.context.newPage();
	await page.goto(sam.page.url());
	await sam.page.close();
	await expect(page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();

	// The connections drop and cannot come back; the session is still good, so Sam waits.
	reachable = false;
	for (const ws of open.splice(0)) await ws.close({ code: 4000, reason: 'unreachable' });
	await expect(page.getByRole('status').filter({ hasText: 'Offline' })).toBeVisible();

	await admin.page.getByRole('button', { name: 'Refresh' }).click();
	await member(admin.page, 'Sam').getByRole('button', { name: 'Remove Sam' }).click();
	await admin.page.getByRole('button', { name: 'Yes, remove Sam' }).click();
	await expect(member(admin.page, 'Sam')).toContainText('removed');
	await expect(page).toHaveURL(boardUrl());

	// Reachable again: the server refuses the connection at the upgrade, and the page asks why.
	reachable = true;
	await expect(page).toHaveURL(/\/join\/[A-Za-z0-9_-]+$/, { timeout: 20_000 });
	await expect(page.getByRole('alert')).toHaveText(
		'You were removed from this board by its admin, so it closed. To come back, ask the admin for a new invite link.'
	);

	await admin.context.close();
	await sam.context.close();
});
