/**
 * Alert intake with a real Prometheus Alertmanager (Debian's `prometheus-alertmanager`, which
 * `npm run test:unit` installs when missing), configured with the alertmanager.yml of
 * docs/integrations.md as written: the test fires and resolves alerts through
 * Alertmanager's API, Alertmanager groups them and posts its webhook notifications, with the
 * integration's token, to the board, and the board shows the work: one work package per group,
 * on the routed story, at the mapped severity, updated while it fires, noted when resolved.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { WorkPackage } from '../../src/lib/domain/schema';
import { alertBoard, createIntegration, type AlertBoard } from '../helpers/alert-board';
import { AlertmanagerProcess, freePort, type PostedAlert } from '../helpers/processes';
import { eventually, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
let board: AlertBoard;
let alertmanager: AlertmanagerProcess;

beforeAll(async () => {
	server = await startTestServer();
	board = await alertBoard(server);
	const integration = await createIntegration(server, board, {
		rules: [{ match: { service: 'payments' }, storyId: board.paymentsStoryId }]
	});
	alertmanager = new AlertmanagerProcess(
		await freePort(),
		documentedConfig(`${server.httpUrl}${integration.url}`, integration.token)
	);
	await alertmanager.start();
}, 30_000);

afterAll(async () => {
	await alertmanager?.stop();
	board?.admin.destroy();
	await server?.close();
});

/**
 * The alertmanager.yml of docs/integrations.md as written, with this board's address and token,
 * and group timings short enough for a test (a notification within a second).
 */
function documentedConfig(url: string, token: string): string {
	const doc = readFileSync(new URL('../../docs/integrations.md', import.meta.url), 'utf8');
	const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
	if (!yaml) throw new Error('docs/integrations.md has no yaml block');
	const replacements: [string, string][] = [
		["'https://board.example.org/api/boards/BOARD_ID/alerts'", JSON.stringify(url)],
		["'INTEGRATION_TOKEN'", JSON.stringify(token)],
		['group_wait: 30s', 'group_wait: 200ms'],
		['group_interval: 5m', 'group_interval: 1s']
	];
	return replacements.reduce((config, [from, to]) => {
		expect(config.split(from), `docs/integrations.md has ${from} once`).toHaveLength(2);
		return config.replace(from, to);
	}, yaml);
}

/** Started ten minutes ago, to the millisecond: the SLA clock must start there, not on arrival. */
const startsAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 10 * 60_000).toISOString();

const diskFull: PostedAlert = {
	labels: { alertname: 'DiskFull', service: 'search', severity: 'critical', instance: 'db-1' },
	annotations: { summary: 'Search database disk is 95% full' },
	startsAt,
	generatorURL: 'http://prometheus.example.org:9090/graph?g0.expr=disk_free'
};

const checkout = (instance: string): PostedAlert => ({
	labels: { alertname: 'CheckoutErrors', service: 'payments', severity: 'warning', instance },
	startsAt
});

/** Waits (polling the board) for the one work package titled `title`, matching `check`. */
function workTitled(title: string, check: (wp: WorkPackage) => boolean = () => true) {
	return eventually(
		() => {
			const found = board.workPackages().filter((wp) => wp.title === title);
			expect(found.length).toBeLessThanOrEqual(1);
			return found[0] && check(found[0]) ? found[0] : null;
		},
		{ timeoutMs: 15_000, what: `the work package "${title}"` }
	);
}

describe('a real Alertmanager posting to the board', () => {
	test('[AM1] firing groups open one work package each: routed, severity mapped, SLA from startsAt', async () => {
		await alertmanager.post([diskFull, checkout('web-1'), checkout('web-2')]);

		const disk = await workTitled('Search database disk is 95% full');
		expect(disk).toMatchObject({
			storyId: board.supportStoryId,
			severity: 'SEV1',
			status: 'open',
			createdAt: startsAt,
			alert: { firing: ['DiskFull on db-1'], firingCount: 1, resolvedAt: null }
		});
		expect(disk.alert!.generatorUrl).toBe(diskFull.generatorURL);
		expect(Date.parse(disk.slaDeadline!) - Date.parse(startsAt)).toBe(6 * 60 * 60_000);

		const payments = await workTitled('CheckoutErrors', (wp) => wp.alert?.firingCount === 2);
		expect(payments).toMatchObject({ storyId: board.paymentsStoryId, severity: 'SEV3' });
		expect(payments.alert!.firing.toSorted()).toEqual([
			'CheckoutErrors on web-1',
			'CheckoutErrors on web-2'
		]);
	});

	test('[AM2] the same group notified again updates its work package and never opens a second', async () => {
		const before = await workTitled('CheckoutErrors');
		await alertmanager.post([checkout('web-1'), checkout('web-2'), checkout('web-3')]);
		const after = await workTitled('CheckoutErrors', (wp) => wp.alert?.firingCount === 3);
		expect(after.id).toBe(before.id);
		expect(Date.parse(after.alert!.lastNotifiedAt)).toBeGreaterThan(
			Date.parse(before.alert!.lastNotifiedAt)
		);
		expect(board.workPackages()).toHaveLength(2);
	});

	test('[AM3] a resolved group is noted on its work package, which stays open for a person to complete', async () => {
		const endsAt = new Date(Date.now() - 1000).toISOString();
		await alertmanager.post([{ ...diskFull, endsAt }]);
		const disk = await workTitled(
			'Search database disk is 95% full',
			(wp) => wp.alert?.resolvedAt !== null
		);
		expect(disk.status).toBe('open');
		expect(disk.alert).toMatchObject({ firing: [], firingCount: 0 });
		expect(board.workPackages()).toHaveLength(2);
	});
});
