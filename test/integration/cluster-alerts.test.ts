/**
 * Alert intake in a deployment of several instances on one PostgreSQL database: Alertmanager's
 * notifications of one group reach different instances at the same time (a load balancer, an
 * Alertmanager cluster whose peers each notify), and the board still gets one work package.
 */
import { afterEach, expect, test } from 'vitest';
import { AlertsAccepted } from '../../src/lib/contract';
import { PostgresStore } from '../../server/store/postgres';
import { alertBoard, createIntegration } from '../helpers/alert-board';
import { PROBE_FAILURE } from '../helpers/alertmanager-payloads';
import { callApi } from '../helpers/api';
import { startTestCluster } from '../helpers/cluster';
import { createTestDatabase } from '../helpers/postgres';
import { startTestRedis } from '../helpers/redis';
import { eventually } from '../helpers/server';

const cleanups: (() => Promise<unknown> | unknown)[] = [];

afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

test('[AI24] one group notified to three instances at once opens one work package', async () => {
	const redis = await startTestRedis();
	cleanups.push(() => redis.close());
	const database = await createTestDatabase();
	cleanups.push(() => database.drop());
	const cluster = await startTestCluster({
		count: 3,
		redisUrl: redis.url,
		store: await PostgresStore.open(database.url)
	});
	cleanups.push(() => cluster.close());
	const [first, ...others] = cluster.instances;
	const board = await alertBoard(first!);
	cleanups.push(() => board.admin.destroy());
	const { token, url } = await createIntegration(first!, board);

	const answers = await Promise.all(
		[first!, ...others, first!, ...others].map((instance) =>
			callApi(instance.httpUrl, 'POST', url, { token, body: PROBE_FAILURE })
		)
	);
	expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(200));
	const accepted = answers.map((answer) => AlertsAccepted.parse(answer.body));
	expect(new Set(accepted.map((a) => a.workPackageId)).size).toBe(1);
	await eventually(() => board.workPackages().length === 1, {
		what: 'the work package on the board'
	});
	// Every instance's later notification updates that one.
	const later = AlertsAccepted.parse(
		(await callApi(others[1]!.httpUrl, 'POST', url, { token, body: PROBE_FAILURE })).body
	);
	expect(later).toEqual({ outcome: 'updated', workPackageId: accepted[0]!.workPackageId });
	expect(board.workPackages()).toHaveLength(1);
});
