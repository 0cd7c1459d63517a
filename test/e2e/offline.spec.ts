import { expect, test } from '@playwright/test';
import { backlogRow, demoBoard } from './support';

test('edits made offline survive a reload and merge with the others when the connection returns', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const ana = await board.join(browser, 'Ana');
	const ben = await board.join(browser, 'Ben');
	// The app shell must be cached before the network goes away.
	await expect
		.poll(
			() =>
				ana.page.evaluate(async () => {
					await navigator.serviceWorker.ready;
					return !!(await caches.match(location.href));
				}),
			{ timeout: 10_000 }
		)
		.toBe(true);

	const offlineTitle = 'Written on a train';
	const onlineTitle = 'Written at the office';

	await ana.context.setOffline(true);
	await expect(ana.page.getByRole('status').filter({ hasText: 'Offline' })).toBeVisible();
	await ana.page.getByLabel('New story title').fill(offlineTitle);
	await ana.page.getByRole('button', { name: 'Add story' }).click();
	await expect(backlogRow(ana.page, offlineTitle)).toBeVisible();

	await ana.page.reload();
	await expect(ana.page.getByRole('status').filter({ hasText: 'Offline' })).toBeVisible();
	await expect(backlogRow(ana.page, offlineTitle)).toBeVisible();

	await ben.page.getByLabel('New story title').fill(onlineTitle);
	await ben.page.getByRole('button', { name: 'Add story' }).click();
	await expect(backlogRow(ben.page, onlineTitle)).toBeVisible();
	await expect(backlogRow(ben.page, offlineTitle)).toHaveCount(0);

	await ana.context.setOffline(false);
	await expect(ana.page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible({
		timeout: 10_000
	});
	for (const { page } of [ana, ben]) {
		await expect(backlogRow(page, offlineTitle)).toBeVisible({ timeout: 5_000 });
		await expect(backlogRow(page, onlineTitle)).toBeVisible({ timeout: 5_000 });
	}

	await ana.context.close();
	await ben.context.close();
});
