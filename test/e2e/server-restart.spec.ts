/**
 * The server restarts mid-session: people keep their board open, see it go offline and come
 * back, and keep editing together without reloading. This spec runs its own server (the suite's
 * one cannot be killed), from the production entry on a free port with its own data directory
 * and a fixed signing secret, so the sessions issued before the restart stay valid after it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { addStory, freePort, markPage, neverReloaded, ServerProcess } from './processes';
import { backlogRow, demoBoard, type Person } from './support';

const SECRET = 'e2e-restart-secret-0123456789abcdefghijklmnop';

function status(page: Page, text: string) {
	return page.getByRole('status').filter({ hasText: text });
}

for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
	test(`after a ${signal} and a restart, both people reconnect and keep editing without a reload`, async ({
		browser
	}) => {
		test.setTimeout(90_000);
		const dataDir = await mkdtemp(path.join(tmpdir(), 'scrumops-restart-'));
		const server = new ServerProcess(await freePort(), dataDir, { SCRUMOPS_SECRET: SECRET });
		const people: Person[] = [];
		try {
			await server.start();
			const board = await demoBoard(server.url, { secret: SECRET });
			const ana = await board.join(browser, 'Ana');
			const ben = await board.join(browser, 'Ben');
			people.push(ana, ben);
			for (const { page } of people) await markPage(page);

			const before = `Before the restart ${signal}`;
			await addStory(ana.page, before);
			await expect(backlogRow(ben.page, before)).toBeVisible({ timeout: 5_000 });

			await server.stop(signal);
			for (const { page } of people) {
				await expect(status(page, 'Offline: reconnecting to the server')).toBeVisible({
					timeout: 10_000
				});
				await expect(page.getByRole('status')).toHaveAttribute('data-status', 'offline');
			}

			// Ana keeps working while the server is down; her edit waits in her browser.
			const during = `Written while the server was down ${signal}`;
			await addStory(ana.page, during);

			await server.start();
			for (const { page } of people) {
				await expect(status(page, 'Connected')).toBeVisible({ timeout: 15_000 });
			}
			await expect(backlogRow(ben.page, during)).toBeVisible({ timeout: 5_000 });

			const after = `After the restart ${signal}`;
			await addStory(ben.page, after);
			await expect(backlogRow(ana.page, after)).toBeVisible({ timeout: 5_000 });
			await expect(backlogRow(ana.page, before)).toBeVisible();

			for (const { page } of people) expect(await neverReloaded(page)).toBe(true);
		} finally {
			for (const { context } of people) await context.close();
			await server.stop('SIGTERM');
			await rm(dataDir, { recursive: true, force: true });
		}
	});
}
