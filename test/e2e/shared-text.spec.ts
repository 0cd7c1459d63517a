/**
 * Text people write together (docs/schema.md, D17): two people typing into the same field at
 * the same time both keep their words, on both screens, and each sees where the other's caret is.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { connected, demoBoard } from './support';

const CRITERIA = 'Acceptance criteria (one per line)';

/** Una and Vic, of team Web, each with the checkout story open on a board of their own. */
async function twoOnTheStory(browser: Browser, baseURL: string) {
	const board = await demoBoard(baseURL);
	const una = await board.join(browser, 'Una', { team: 'web' });
	const vic = await board.join(browser, 'Vic', { team: 'web' });
	const story = board.ids.stories.checkout;
	const criteria = {
		hers: await openStory(una.page, board.path, story),
		his: await openStory(vic.page, board.path, story)
	};
	return { board, una, vic, criteria };
}

async function openStory(page: Page, path: string, storyId: string) {
	await page.goto(`${path}/backlog?story=${storyId}`);
	await expect(connected(page)).toBeVisible({ timeout: 10_000 });
	const field = page.getByLabel(CRITERIA);
	await expect(field).toHaveValue(/Saved card is used/);
	return field;
}

test('two people type into the same field at once: both texts survive on both screens', async ({
	browser,
	baseURL
}) => {
	const { una, criteria } = await twoOnTheStory(browser, baseURL!);
	const { hers, his } = criteria;

	// Una writes at the end of the criteria while Vic writes at the start, keystroke by keystroke.
	await hers.click();
	await hers.press('Control+End');
	await his.click();
	await his.press('Control+Home');
	await Promise.all([
		hers.pressSequentially('\nRefund is shown', { delay: 15 }),
		his.pressSequentially('Card can be removed\n', { delay: 15 })
	]);
	// Una leaves the field: that used to replace Vic's box with her text.
	await hers.press('Tab');

	const merged = 'Card can be removed\nSaved card is used\nReceipt is e-mailed\nRefund is shown';
	await expect(hers).toHaveValue(merged);
	await expect(his).toHaveValue(merged);
	// The reload reads what the server stored, not what the page kept.
	await una.page.reload();
	await expect(una.page.getByLabel(CRITERIA)).toHaveValue(merged);
});

test("each sees the other's caret in the field, in the other's colour and name", async ({
	browser,
	baseURL
}) => {
	const { vic, criteria } = await twoOnTheStory(browser, baseURL!);
	const { hers } = criteria;

	await hers.click();
	await hers.press('Control+End');
	await hers.pressSequentially(' today');
	const inField = (label: string) =>
		vic.page
			.locator('.shared-text', { has: vic.page.getByLabel(label) })
			.locator('[data-caret-of="Una"]');
	const caret = inField(CRITERIA);
	await expect(caret).toHaveCount(1);
	await expect(caret.locator('.caret')).toContainText('Una');
	// Moving on to the next field takes her caret there on the other screen.
	await hers.press('Tab');
	await expect(caret).toHaveCount(0);
	await expect(inField('Success measure')).toHaveCount(1);
});

test('Ctrl+Z in a field written together undoes only one’s own typing, on both screens', async ({
	browser,
	baseURL
}) => {
	const { una, vic } = await twoOnTheStory(browser, baseURL!);
	const hers = una.page.getByLabel('so that');
	const his = vic.page.getByLabel('so that');
	const original = await hers.inputValue();

	await hers.click();
	await hers.press('End');
	await hers.pressSequentially(' for sure');
	await expect(his).toHaveValue(`${original} for sure`);
	await his.click();
	await his.press('Home');
	await his.pressSequentially('So ');
	await expect(hers).toHaveValue(`So ${original} for sure`);

	// Una's undo takes back her words only; Vic's stay, on both screens.
	await hers.press('ControlOrMeta+z');
	await expect(hers).toHaveValue(`So ${original}`);
	await expect(his).toHaveValue(`So ${original}`);
	// …and redo brings them back.
	await hers.press('ControlOrMeta+Shift+z');
	await expect(his).toHaveValue(`So ${original} for sure`);
});
