/**
 * Moving a board in and out: the admin previews a Jira CSV export and imports it into the
 * backlog, a file that cannot be read is refused with its line, the admin downloads the whole
 * board, and someone else imports that file on the start page as a new board of their own and
 * downloads its backlog as CSV.
 */
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { backlogRow, boardUrl, connected, demoBoard, sessionKey } from './support';

const fixture = (name: string) => new URL(`../fixtures/jira/${name}`, import.meta.url).pathname;

test('the admin imports from Jira after a preview, exports the board, and the file becomes a new board', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const origin = new URL(baseURL!).origin;
	const adminContext = await browser.newContext({
		baseURL: origin,
		acceptDownloads: true,
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
	const jira = ada.getByRole('region', { name: 'Import from Jira' });

	// A file cut short is refused with the line where its quoted field starts.
	await jira.getByLabel('Jira CSV file').setInputFiles(fixture('unterminated-quote.csv'));
	await expect(jira.getByRole('alert')).toContainText('line 3: a quoted field');

	// The preview says what will be created and what is skipped, by line; nothing is written yet.
	await jira
		.getByLabel('Team whose estimate the story points become')
		.selectOption({ label: 'Web' });
	await jira.getByLabel('Jira CSV file').setInputFiles(fixture('cloud-all-fields.csv'));
	const creates = jira.getByRole('table', { name: 'What the import creates' });
	await expect(creates.getByRole('row')).toHaveCount(5);
	await expect(creates.getByRole('row', { name: /SHOP-2/ })).toContainText('Pay with a saved card');
	const skips = jira.getByRole('table', { name: 'What the import skips or reads in part' });
	await expect(skips.getByRole('row', { name: /SHOP-4/ })).toContainText(
		'skipped: a Bug is not imported'
	);
	await jira.getByRole('button', { name: 'Import 1 epics and 3 stories' }).click();
	await expect(jira.getByRole('status')).toHaveText(
		'Imported 1 epics and 3 stories from cloud-all-fields.csv.'
	);

	// The whole board as one file.
	const downloading = ada.waitForEvent('download');
	await ada.getByRole('button', { name: 'Export board' }).click();
	const download = await downloading;
	expect(download.suggestedFilename()).toMatch(new RegExp(`^board-${board.boardId}-.*\\.json$`));
	const file = await readFile(await download.path());

	// Someone else imports it on the start page: a new board with the Jira stories in its backlog.
	const rosa = await (await browser.newContext({ baseURL: origin })).newPage();
	await rosa.goto('/');
	await rosa.getByLabel('Board file').setInputFiles({
		name: 'board.json',
		mimeType: 'application/json',
		buffer: file
	});
	await rosa.locator('#import-name').fill('Rosa');
	await rosa.getByRole('button', { name: 'Import the board' }).click();
	await expect(rosa).toHaveURL(boardUrl());
	expect(new URL(rosa.url()).pathname).not.toContain(board.boardId);
	await expect(backlogRow(rosa, 'Guest checkout')).toBeVisible({ timeout: 10_000 });
	await expect(backlogRow(rosa, 'Pay with a saved card')).toBeVisible();

	// Her backlog downloads as CSV, the imported stories last, in the file's order.
	const csvDownload = rosa.waitForEvent('download');
	await rosa.getByRole('button', { name: 'Download CSV of the stories shown' }).click();
	const csv = (await readFile(await (await csvDownload).path())).toString('utf8');
	const lines = csv.trimEnd().split('\r\n');
	expect(lines[0]).toBe('Position,Id,Title,Epic,Teams,Points,Estimates,Duration,Work type,Created');
	expect(lines.slice(-3).map((line) => line.split(',')[2])).toEqual([
		'Pay with a saved card',
		'Store the card token',
		'Guest checkout'
	]);
	expect(lines.at(-3)).toContain('Checkout redesign,Web,5,Web: 5');
});
