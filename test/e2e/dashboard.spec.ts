/**
 * The Dashboard: the board's measures over a period, live. Another person completing a work
 * package changes the SLA figures on screen without a reload; the tables hold the numbers the
 * server's measures give for the same period and team; a table's CSV holds exactly its rows.
 */
import { readFile } from 'node:fs/promises';
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { Measures } from '../../src/lib/contract/measures';
import { connected, demoBoard, docsScreenshot, sessionKey } from './support';
import { incident, openIncident } from './incident-board';

const TITLE = 'Checkout returns HTTP 500 for EU cards';

/** The cells of a table's rows as text, header row first. */
function tableRows(table: Locator): Promise<string[][]> {
	return table.evaluate((element) =>
		[...(element as HTMLTableElement).rows].map((row) =>
			[...row.cells].map((cell) => cell.textContent?.trim() ?? '')
		)
	);
}

const table = (page: Page, caption: string) =>
	page.getByRole('table', { name: caption, exact: true });

/** The measures the server computes for the board, as the person on `page` may read them. */
async function serverMeasures(page: Page, boardId: string, query: string): Promise<Measures> {
	const session = JSON.parse(
		(await page.evaluate((key) => localStorage.getItem(key), sessionKey(boardId)))!
	) as { token: string };
	const response = await page.request.get(`/api/boards/${boardId}/measures?${query}`, {
		headers: { authorization: `Bearer ${session.token}` }
	});
	expect(response.status()).toBe(200);
	return (await response.json()) as Measures;
}

const text = (value: number | null) => (value === null ? '' : String(value));
const percent = (share: number | null) =>
	share === null ? '' : String(Math.round(share * 1000) / 10);

test('the dashboard follows another person’s work live, its tables hold the measures, and a table downloads as CSV', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const ana = await board.join(browser, 'Ana', { team: 'web' });
	const ben = await board.join(browser, 'Ben', { team: 'web' });

	await ana.page.goto(`${board.path}/dashboard`);
	await expect(connected(ana.page)).toBeVisible({ timeout: 10_000 });
	const dashboard = ana.page.getByRole('region', { name: 'Dashboard', exact: true });
	await expect(dashboard).toBeVisible();
	const sla = table(ana.page, 'SLA per severity');
	const sev1 = sla.getByRole('row', { name: /^SEV1\b/ });
	await expect(sev1).toBeVisible();
	// The SEV1 incident of the demo is open: nothing resolved yet, so compliance is empty.
	expect((await tableRows(sla))[1]!.slice(0, 5)).toEqual(['SEV1', '0', '0', '0', '']);
	// Every figure shows its definition.
	await expect(dashboard.locator('dd[data-figure="sla.*.compliance"]')).toHaveText(
		'Met divided by resolved; empty when none was resolved.'
	);

	// A mark on the page: gone if the page reloads.
	await ana.page.evaluate(() => ((window as unknown as { mark: number }).mark = 1));

	// Ben completes the incident on his screen.
	await openIncident(ben.page, TITLE);
	const detail = incident(ben.page, TITLE);
	await detail.getByRole('button', { name: 'Complete work package' }).click();
	const completeTasks = detail.getByRole('button', { name: 'Complete them' });
	if (await completeTasks.isVisible()) await completeTasks.click();
	await expect(detail.locator('header')).toContainText('done');

	// Ana's dashboard counts it, without a reload.
	await expect
		.poll(async () => (await tableRows(sla))[1]!.slice(0, 5))
		.toEqual(['SEV1', '1', '1', '0', '100']);
	expect(await ana.page.evaluate(() => (window as unknown as { mark?: number }).mark)).toBe(1);
	await docsScreenshot(ana.page, 'dashboard');

	// The tables hold the numbers of the server's measures for the same period.
	const period = await ana.page.getByTestId('dashboard-period').textContent();
	const [, from, to] = /(\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2})/.exec(period!)!;
	const measures = await serverMeasures(ana.page, board.boardId, `from=${from}&to=${to}`);
	const slaRows = (await tableRows(sla)).slice(1);
	expect(slaRows).toEqual(
		Object.entries(measures.sla).map(([severity, s]) => [
			severity,
			String(s.resolved),
			String(s.met),
			String(s.missed),
			percent(s.compliance),
			text(s.timeToResolveMinutes.mean),
			text(s.timeToResolveMinutes.median),
			text(s.timeToResolveMinutes.p90),
			String(s.openBreached)
		])
	);
	const delivery = table(ana.page, 'Delivery per sprint');
	const deliveryRows = (await tableRows(delivery)).slice(1);
	expect(deliveryRows.map((row) => row.slice(4).map(Number))).toEqual(
		measures.sprints.map((s) => [
			s.committedPoints,
			s.reservedPoints,
			s.acceptedPoints,
			s.unknownWorkPoints,
			s.incidents
		])
	);
	// The chart beside the table draws one bar per sprint and series (committed, reserved,
	// accepted, unknown work), for the same sprints.
	const chart = dashboard.getByRole('figure', { name: 'Points per sprint' });
	const labels = await chart.locator('.lc-axis-tick-label').allTextContents();
	for (const row of deliveryRows) expect(labels).toContain(row[0]);

	// One team: the URL keeps it, and the figures are the team's.
	await dashboard.getByLabel('Team', { exact: true }).selectOption({ label: 'Mobile' });
	await expect(ana.page).toHaveURL(new RegExp(`/dashboard\\?team=${board.ids.teams.mobile}$`));
	const mobile = await serverMeasures(
		ana.page,
		board.boardId,
		`from=${from}&to=${to}&team=${board.ids.teams.mobile}`
	);
	await expect
		.poll(async () => (await tableRows(delivery)).slice(1).map((row) => row[0]))
		.toEqual(mobile.sprints.map((s) => s.name));
	await dashboard.getByLabel('Team', { exact: true }).selectOption({ label: 'All teams' });

	// The CSV holds exactly the table's rows, header first.
	const [download] = await Promise.all([
		ana.page.waitForEvent('download'),
		dashboard.getByRole('button', { name: 'Download CSV of Delivery per sprint' }).click()
	]);
	expect(download.suggestedFilename()).toMatch(/^delivery_.*\.csv$/);
	const csv = await readFile((await download.path())!, 'utf8');
	const quote = (cell: string) =>
		/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
	expect(csv).toBe(
		(await tableRows(delivery)).map((row) => row.map(quote).join(',') + '\r\n').join('')
	);

	await ana.context.close();
	await ben.context.close();
});
