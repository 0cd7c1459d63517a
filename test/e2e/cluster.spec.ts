/**
 * Several instances behind a real load balancer: HAProxy spreads every request and WebSocket
 * round-robin over two instances on one PostgreSQL database, joined by Redis. Two people work on
 * one board; the instance serving some of their connections is killed; both stay live, without a
 * reload, and converge.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import {
	addStory,
	freePort,
	freshDatabase,
	HaproxyProcess,
	markPage,
	neverReloaded,
	RedisProcess,
	ServerProcess
} from './processes';
import { backlogRow, demoBoard, type Person } from './support';

const SECRET = 'e2e-cluster-secret-0123456789abcdefghijklmnop';

test('two people on one board through HAProxy: an instance is killed, both stay live and converge', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const dataDir = await mkdtemp(path.join(tmpdir(), 'scrumops-cluster-'));
	const database = await freshDatabase();
	const redis = new RedisProcess(await freePort());
	const balancer = new HaproxyProcess(await freePort(), [await freePort(), await freePort()]);
	const instances = balancer.backends.map(
		(port, i) =>
			new ServerProcess(port, path.join(dataDir, `instance-${i + 1}`), {
				DATABASE_URL: database.url,
				REDIS_URL: redis.url,
				SCRUMOPS_SECRET: SECRET,
				// Pages reach the instances through the balancer, at its address.
				ORIGIN: balancer.url
			})
	);
	const people: Person[] = [];
	try {
		await redis.start();
		for (const instance of instances) await instance.start();
		await balancer.start();

		const board = await demoBoard(balancer.url, { secret: SECRET });
		const ana = await board.join(browser, 'Ana');
		const ben = await board.join(browser, 'Ben');
		people.push(ana, ben);
		for (const { page } of people) await markPage(page);
		await addStory(ana.page, 'Before the crash');
		await expect(backlogRow(ben.page, 'Before the crash')).toBeVisible({ timeout: 5_000 });

		// Round-robin spread each page's connections over both instances: killing one cuts some
		// of each person's connections, which come back through the balancer to the other.
		await instances[0]!.stop('SIGKILL');
		await addStory(ana.page, 'After the crash, by Ana');
		await addStory(ben.page, 'After the crash, by Ben');
		for (const { page } of people) {
			await expect(page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible({
				timeout: 20_000
			});
			for (const title of [
				'Before the crash',
				'After the crash, by Ana',
				'After the crash, by Ben'
			]) {
				await expect(backlogRow(page, title)).toBeVisible({ timeout: 10_000 });
			}
			expect(await neverReloaded(page)).toBe(true);
		}
	} finally {
		for (const { context } of people) await context.close();
		await balancer.stop();
		for (const instance of instances) await instance.stop();
		await redis.stop();
		database.drop();
		await rm(dataDir, { recursive: true, force: true });
	}
});
