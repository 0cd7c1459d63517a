/**
 * The board's settings: the admin changes the ops share R2 aims for and the board's time zone,
 * everyone sees them live, a zone the board cannot take is refused with the reason, and
 * someone who is not the admin sees the settings without a way to change them.
 */
import { expect, test } from '@playwright/test';
import { connected, demoBoard, sessionKey } from './support';

test('the admin changes the board settings; everyone sees them live; others only read them', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const origin = new URL(baseURL!).origin;
	const adminContext = await browser.newContext({
		baseURL: origin,
		storageState: {
			cookies: [],
			origins: [
				{
					origin,
					localStorage: [{ name: sessionKey(board.boardId), value: JSON.stringify(board.admin) }]
				}
			]
		}
	});
	const ada = await adminContext.newPage();
	await ada.goto(`${board.path}/settings`);
	await expect(connected(ada)).toBeVisible({ timeout: 10_000 });
	const ana = await board.join(browser, 'Ana', { team: 'web' });
	await ana.page.goto(`${board.path}/settings`);
	const theirs = ana.page.getByRole('region', { name: 'Board settings' });
	await expect(theirs.getByRole('note')).toHaveText(
		"Only the board's admin changes these settings."
	);
	await expect(theirs.getByLabel('Target, %')).toBeDisabled();
	await expect(theirs.getByRole('button', { name: 'Save settings' })).toHaveCount(0);

	const mine = ada.getByRole('region', { name: 'Board settings' });
	await expect(theirs.getByLabel('Target, %')).toHaveValue('30');
	await mine.getByLabel('Target, %').fill('45');
	await mine.getByLabel('Tolerance, ± percentage points').fill('10');
	await mine.getByLabel("Time zone (the board's calendar days)").fill('Australia/Sydney');
	await mine.getByRole('button', { name: 'Save settings' }).click();
	await expect(mine.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
	await expect(theirs.getByLabel('Target, %')).toHaveValue('45');
	await expect(theirs.getByLabel('Tolerance, ± percentage points')).toHaveValue('10');
	await expect(theirs.getByLabel("Time zone (the board's calendar days)")).toHaveValue(
		'Australia/Sydney'
	);

	// A zone nobody knows is refused with the reason, and nothing changes for anyone.
	await mine.getByLabel("Time zone (the board's calendar days)").fill('Mars/Olympus');
	await mine.getByLabel('Target, %').fill('50');
	await mine.getByRole('button', { name: 'Save settings' }).click();
	await expect(mine.getByRole('alert')).toContainText(/time zone/i);
	await expect(theirs.getByLabel('Target, %')).toHaveValue('45');
	await expect(theirs.getByLabel("Time zone (the board's calendar days)")).toHaveValue(
		'Australia/Sydney'
	);
	await adminContext.close();
	await ana.context.close();
});
