/**
 * One person per person: joining again, changing team, renaming and asking for a change keep
 * one member per person; the Members view follows every change live in other browsers; and
 * each browser's demo is a sandbox nobody else sees.
 */
import { expect, test, type Page } from '@playwright/test';
import {
	backlogRow,
	boardIdOf,
	boardUrl,
	connected,
	demoBoard,
	joinByInvite,
	openBoardAs,
	openDemo,
	openDemoIn,
	openView
} from './support';

function members(page: Page) {
	return page.getByRole('list', { name: 'People on this board' }).getByRole('listitem');
}

function member(page: Page, name: string) {
	return page.getByRole('list', { name: 'People on this board' }).getByRole('listitem', { name });
}

test('joining twice from the same browser with the same invite link leaves one member', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const link = await board.invite('web');
	const sam = await joinByInvite(browser, link, 'Sam');

	await sam.page.goto(link);
	await sam.page.getByLabel('Your name').fill('Sam');
	await sam.page.getByRole('button', { name: 'Join the board' }).click();
	await expect(sam.page).toHaveURL(boardUrl(board.boardId));
	await expect(connected(sam.page)).toBeVisible({ timeout: 10_000 });

	await openView(sam.page, 'Members');
	await expect(member(sam.page, 'Sam')).toHaveCount(1);
	await expect(member(sam.page, 'Sam')).toContainText('Web · Team member');
	await expect(members(sam.page)).toHaveCount(2);
	await sam.context.close();
});

test('putting yourself on a team in your demo changes your team and adds no member', async ({
	browser
}) => {
	const nina = await openDemo(browser, 'Nina');
	await nina.page.getByLabel('Your team').selectOption({ label: 'Mobile' });
	await nina.page.getByRole('button', { name: 'Join team' }).click();
	await expect(nina.page.locator('.me')).toContainText('Mobile');

	await openView(nina.page, 'Members');
	await expect(members(nina.page)).toHaveCount(1);
	await expect(member(nina.page, 'Nina')).toContainText('Mobile');
	// The team's tasks are hers to change now: the board reconnected with her new team.
	await expect(connected(nina.page)).toBeVisible({ timeout: 10_000 });
	await nina.context.close();
});

test('the Members view shows a join, a rename and a move made in other browsers without a reload', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const admin = await openBoardAs(browser, baseURL!, board.boardId, board.admin);
	await openView(admin.page, 'Members');
	await expect(member(admin.page, 'Ada')).toBeVisible();

	const sam = await joinByInvite(browser, await board.invite('web'), 'Sam');
	await expect(member(admin.page, 'Sam')).toContainText('Web · Team member');

	await openView(sam.page, 'Members');
	const you = sam.page.getByRole('region', { name: 'You on this board' });
	await you.getByLabel('Your name').fill('Samuel');
	await you.getByRole('button', { name: 'Save name' }).click();
	await expect(you.getByRole('status').first()).toHaveText('Saved: everyone sees your new name.');
	await expect(member(admin.page, 'Samuel')).toBeVisible();
	await expect(
		admin.page
			.getByRole('list', { name: 'People on this board' })
			.getByRole('listitem', { name: 'Sam', exact: true })
	).toHaveCount(0);

	// The admin moves Samuel to Ops: his own Members view and his header follow.
	await member(admin.page, 'Samuel')
		.getByRole('button', { name: "Change Samuel's teams and roles" })
		.click();
	const edit = admin.page.getByRole('form', { name: "Samuel's teams and roles" });
	await edit.getByRole('group', { name: 'Teams' }).getByLabel('Web').uncheck();
	await edit.getByRole('group', { name: 'Teams' }).getByLabel('Ops L2').check();
	await edit.getByRole('button', { name: "Save Samuel's teams and roles" }).click();
	await expect(member(admin.page, 'Samuel')).toContainText('Ops L2 · Team member');
	await expect(member(sam.page, 'Samuel')).toContainText('Ops L2 · Team member');
	await expect(sam.page.locator('.me')).toContainText('Ops L2');
	await expect(members(admin.page)).toHaveCount(2);

	await admin.context.close();
	await sam.context.close();
});

test('a member asks to change team; the admin sees it live and approves it, and the member sees the answer', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const admin = await openBoardAs(browser, baseURL!, board.boardId, board.admin);
	await openView(admin.page, 'Members');
	const dan = await board.join(browser, 'Dan', { team: 'web' });
	await openView(dan.page, 'Members');

	const ask = dan.page.getByRole('form', { name: 'Ask to change your team or role' });
	await ask.getByRole('group', { name: 'Teams' }).getByLabel('Web').uncheck();
	await ask.getByRole('group', { name: 'Teams' }).getByLabel('Mobile').check();
	await ask.getByRole('button', { name: 'Ask for this change' }).click();
	await expect(
		dan.page.getByRole('region', { name: 'You on this board' }).getByRole('status').last()
	).toContainText('You asked for Mobile · Team member: waiting');

	const requests = admin.page.getByRole('region', { name: 'Requests to change team or role' });
	const request = requests.getByRole('listitem', { name: 'Dan asks for Mobile · Team member' });
	await expect(request).toContainText('waiting for a decision');
	await request.getByRole('button', { name: "Approve Dan's request" }).click();

	await expect(
		dan.page
			.getByRole('region', { name: 'Requests to change team or role' })
			.getByRole('listitem', { name: 'Dan asks for Mobile · Team member' })
	).toContainText('approved');
	await expect(member(dan.page, 'Dan')).toContainText('Mobile · Team member');
	await expect(dan.page.locator('.me')).toContainText('Mobile');
	await expect(members(admin.page)).toHaveCount(2);

	await admin.context.close();
	await dan.context.close();
});

test("one browser's demo is a sandbox another browser never sees, and the same browser gets it back", async ({
	browser
}) => {
	const nina = await openDemo(browser, 'Nina');
	const omar = await openDemo(browser, 'Omar');
	expect(nina.boardId).not.toBe(omar.boardId);

	await nina.page.getByLabel('New story title').fill("Nina's experiment");
	await nina.page.getByRole('button', { name: 'Add story' }).click();
	await expect(backlogRow(nina.page, "Nina's experiment")).toBeVisible();

	await openView(omar.page, 'Members');
	await expect(members(omar.page)).toHaveCount(1);
	await expect(member(omar.page, 'Nina')).toHaveCount(0);
	await openView(omar.page, 'Backlog');
	await expect(backlogRow(omar.page, 'One-click checkout')).toBeVisible();
	await expect(backlogRow(omar.page, "Nina's experiment")).toHaveCount(0);

	// Nina comes back from the landing page: her own sandbox, with her story, as the same member.
	await openDemoIn(nina.page, 'Nina');
	expect(boardIdOf(nina.page.url())).toBe(nina.boardId);
	await expect(backlogRow(nina.page, "Nina's experiment")).toBeVisible();
	await openView(nina.page, 'Members');
	await expect(members(nina.page)).toHaveCount(1);

	await nina.context.close();
	await omar.context.close();
});
