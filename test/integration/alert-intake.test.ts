/**
 * Alert intake over real HTTP with a real server and store: the admin creates, lists and revokes
 * integrations; Alertmanager's documented notifications open one work package per group, update
 * it, note its resolution; and wrong tokens, malformed bodies and bursts are refused with a
 * reason, writing nothing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { AlertsAccepted, ErrorBody, Integrations } from '../../src/lib/contract';
import * as op from '../../src/lib/sync/operations';
import { alertBoard, createIntegration, type AlertBoard } from '../helpers/alert-board';
import { PROBE_FAILURE, TEST_ALERT, resolved } from '../helpers/alertmanager-payloads';
import { callApi } from '../helpers/api';
import { BoardClient } from '../helpers/board-client';
import { eventually, roundTrip, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
const boards: AlertBoard[] = [];

beforeAll(async () => {
	server = await startTestServer({ alertLimit: { perMinute: 600, burst: 100 } });
});

afterAll(() => server.close());

afterEach(() => {
	for (const board of boards.splice(0)) board.admin.destroy();
});

async function board(): Promise<AlertBoard> {
	const made = await alertBoard(server);
	boards.push(made);
	return made;
}

const post = (url: string, token: string | undefined, body: unknown) =>
	callApi(server.httpUrl, 'POST', url, { token, body });

describe('integrations, as the board admin manages them', () => {
	test('[AI10] created with a token shown once, listed without it, revoked once', async () => {
		const acme = await board();
		const created = await createIntegration(server, acme);
		expect(created.url).toBe(`/api/boards/${acme.boardId}/alerts`);
		expect(created.token.startsWith(`${created.id}.`)).toBe(true);

		const listed = await callApi(
			server.httpUrl,
			'GET',
			`/api/boards/${acme.boardId}/integrations`,
			{ token: acme.adminToken }
		);
		expect(listed.status).toBe(200);
		const integrations = Integrations.parse(listed.body);
		expect(integrations).toMatchObject([
			{
				id: created.id,
				name: 'Prometheus production',
				createdBy: 'Alice',
				routing: { defaultStoryId: acme.supportStoryId, onResolved: 'record' }
			}
		]);
		expect(JSON.stringify(listed.body)).not.toContain(created.token.split('.')[1]);

		const revoke = () =>
			callApi(server.httpUrl, 'DELETE', `/api/boards/${acme.boardId}/integrations/${created.id}`, {
				token: acme.adminToken
			});
		expect((await revoke()).status).toBe(204);
		expect((await revoke()).status).toBe(404);
		const after = await callApi(server.httpUrl, 'GET', `/api/boards/${acme.boardId}/integrations`, {
			token: acme.adminToken
		});
		expect(after.body).toEqual([]);
	});

	test('[AI11] only the admin creates one, and only for stories the board has', async () => {
		const acme = await board();
		const member = await server.token(acme.boardId, { personId: 'dan', admin: false });
		const url = `/api/boards/${acme.boardId}/integrations`;
		const body = { name: 'Prometheus', defaultStoryId: acme.supportStoryId };
		expect((await post(url, member, body)).status).toBe(403);
		const unknown = await post(url, acme.adminToken, { ...body, defaultStoryId: 'nope' });
		expect(unknown.status).toBe(400);
		expect(ErrorBody.parse(unknown.body).error).toMatch(
			/defaultStoryId: the board has no story "nope"/
		);
		const badRule = await post(url, acme.adminToken, {
			...body,
			rules: [{ match: { service: 'payments' }, storyId: 'gone' }]
		});
		expect(ErrorBody.parse(badRule.body).error).toMatch(/^rules\.0\.storyId: /);
	});
});

describe('notifications from Alertmanager', () => {
	test('[AI12] a firing group opens one work package from its severity’s template, SLA from startsAt', async () => {
		const acme = await board();
		const { token, url } = await createIntegration(server, acme);
		const answer = await post(url, token, PROBE_FAILURE);
		expect(answer.status).toBe(200);
		const accepted = AlertsAccepted.parse(answer.body);
		expect(accepted.outcome).toBe('opened');
		const wp = await eventually(() =>
			acme.workPackages().find((w) => w.id === accepted.workPackageId)
		);
		expect(wp).toMatchObject({
			title: 'BlackBox Probe Failure: https://server.example.org',
			storyId: acme.supportStoryId,
			severity: 'SEV1',
			category: 'incident',
			status: 'open',
			createdAt: '2023-02-06T13:08:45.828Z',
			// SEV1 within 6 hours by the board's default policy, counted from the alert's start.
			slaDeadline: '2023-02-06T19:08:45.828Z',
			alert: {
				firing: ['ProbeFailure on https://server.example.org'],
				firingCount: 1,
				resolvedAt: null
			}
		});
		expect(wp.alert!.generatorUrl).toMatch(/^http:\/\/prometheus\.example\.org:9090\/graph/);
		expect(wp.templateId).not.toBeNull();
		// The template's five steps, owned by the story's team.
		const tasks = await eventually(() => {
			const found = [...acme.admin.projection.state.tasks.values()].filter(
				(task) => task.workPackageId === wp.id
			);
			return found.length === 5 ? found : null;
		});
		expect(tasks.map((task) => task.owningTeamId)).toEqual(Array(5).fill(acme.teamId));
	});

	test('[AI13] the same group again updates that work package; resolved is noted, not completed', async () => {
		const acme = await board();
		const { token, url } = await createIntegration(server, acme);
		const first = AlertsAccepted.parse((await post(url, token, PROBE_FAILURE)).body);
		const two = structuredClone(PROBE_FAILURE);
		two.alerts.push({
			...two.alerts[0]!,
			labels: { ...two.alerts[0]!.labels, instance: 'https://api.example.org' },
			fingerprint: '2b41cb82ddb3a32e'
		});
		const again = AlertsAccepted.parse((await post(url, token, two)).body);
		expect(again).toEqual({ outcome: 'updated', workPackageId: first.workPackageId });
		await eventually(() => acme.workPackages().find((w) => w.alert?.firingCount === 2));
		expect(acme.workPackages()).toHaveLength(1);

		const done = AlertsAccepted.parse((await post(url, token, resolved(PROBE_FAILURE))).body);
		expect(done).toEqual({ outcome: 'resolved', workPackageId: first.workPackageId });
		const wp = await eventually(() => acme.workPackages().find((w) => w.alert?.resolvedAt));
		expect(wp.status).toBe('open');
		expect(wp.alert).toMatchObject({ firing: [], firingCount: 0 });
		expect(acme.workPackages()).toHaveLength(1);
	});

	test('[AI14] rules route by label and the severity label maps; unknown severities take the default', async () => {
		const acme = await board();
		const { token, url } = await createIntegration(server, acme, {
			rules: [{ match: { service: 'payments' }, storyId: acme.paymentsStoryId }]
		});
		const payments = {
			...PROBE_FAILURE,
			groupKey: '{}:{service="payments"}',
			commonLabels: { ...PROBE_FAILURE.commonLabels, service: 'payments', severity: 'warning' },
			alerts: PROBE_FAILURE.alerts.map((alert) => ({
				...alert,
				labels: { ...alert.labels, service: 'payments', severity: 'warning' }
			}))
		};
		const routed = AlertsAccepted.parse((await post(url, token, payments)).body);
		const other = AlertsAccepted.parse((await post(url, token, TEST_ALERT)).body);
		const byId = async (id: string | null) =>
			eventually(() => acme.workPackages().find((w) => w.id === id));
		expect(await byId(routed.workPackageId)).toMatchObject({
			storyId: acme.paymentsStoryId,
			severity: 'SEV3'
		});
		expect(await byId(other.workPackageId)).toMatchObject({
			storyId: acme.supportStoryId,
			severity: 'SEV3',
			title: 'Test',
			createdAt: '2018-08-03T07:52:26.739Z'
		});
	});

	test('[AI15] notifications of one group arriving at once open one work package', async () => {
		const acme = await board();
		const { token, url } = await createIntegration(server, acme);
		const answers = await Promise.all(
			Array.from({ length: 8 }, () => post(url, token, PROBE_FAILURE))
		);
		const accepted = answers.map((answer) => AlertsAccepted.parse(answer.body));
		expect(new Set(accepted.map((a) => a.workPackageId)).size).toBe(1);
		expect(accepted.filter((a) => a.outcome === 'opened')).toHaveLength(1);
		await eventually(() => acme.workPackages().length === 1);
	});

	test('[AI16] once a person completed the work, the group firing again opens new work', async () => {
		const acme = await board();
		const { token, url } = await createIntegration(server, acme);
		const first = AlertsAccepted.parse((await post(url, token, PROBE_FAILURE)).body);
		await eventually(() => acme.workPackages().find((w) => w.id === first.workPackageId));
		// Someone of the Ops team, which owns the template's tasks, completes it with them.
		const ops = await BoardClient.open(server, acme.boardId, { teams: [acme.teamId] });
		try {
			await ops.synced();
			await eventually(() => ops.projection.state.tasks.size === 5);
			op.completeWorkPackage(ops.docs, op.liveContext('tester'), first.workPackageId!, {
				openTasks: 'complete',
				teamIds: [acme.teamId]
			});
			await Promise.all(ops.providers.map((provider) => roundTrip(provider)));
		} finally {
			ops.destroy();
		}
		await eventually(async () => {
			const answer = AlertsAccepted.parse((await post(url, token, PROBE_FAILURE)).body);
			return answer.workPackageId !== first.workPackageId ? answer : null;
		});
		await eventually(() => acme.workPackages().filter((w) => w.status === 'open').length === 1);
		expect(acme.workPackages()).toHaveLength(2);
	});

	test('[AI17] an integration set to complete on resolution completes the work with its tasks', async () => {
		const acme = await board();
		const { token, url } = await createIntegration(server, acme, { onResolved: 'complete' });
		await post(url, token, PROBE_FAILURE);
		const done = AlertsAccepted.parse((await post(url, token, resolved(PROBE_FAILURE))).body);
		expect(done.outcome).toBe('resolved');
		const wp = await eventually(() =>
			acme.workPackages().find((w) => w.id === done.workPackageId && w.status === 'done')
		);
		expect(wp.alert?.resolvedAt).not.toBeNull();
	});

	test('[AI18] a resolved group with no open work opens nothing', async () => {
		const acme = await board();
		const { token, url } = await createIntegration(server, acme);
		const answer = AlertsAccepted.parse((await post(url, token, resolved(TEST_ALERT))).body);
		expect(answer).toEqual({ outcome: 'ignored', workPackageId: null });
		expect(acme.workPackages()).toEqual([]);
	});
});

describe('refusals', () => {
	test('[AI19] no token, a wrong one, another board’s or a revoked one: 401, nothing written', async () => {
		const acme = await board();
		const other = await board();
		const { id, token, url } = await createIntegration(server, acme);
		const theirs = await createIntegration(server, other);
		const refused = async (given: string | undefined) => {
			const answer = await post(url, given, PROBE_FAILURE);
			expect(answer.status).toBe(401);
			expect(ErrorBody.parse(answer.body).code).toBe('integration-invalid');
			return ErrorBody.parse(answer.body).error;
		};
		expect(await refused(undefined)).toMatch(/Authorization: Bearer/);
		expect(await refused(`${id}.${'A'.repeat(43)}`)).toMatch(/revoked/);
		expect(await refused(theirs.token)).toMatch(/not one of this board's/);
		expect(await refused(acme.adminToken)).toMatch(/not one of this board's/);
		await callApi(server.httpUrl, 'DELETE', `/api/boards/${acme.boardId}/integrations/${id}`, {
			token: acme.adminToken
		});
		await refused(token);
		expect(acme.workPackages()).toEqual([]);
	});

	test('[AI20] a malformed notification: 400 saying what is wrong, nothing written', async () => {
		const acme = await board();
		const { token, url } = await createIntegration(server, acme);
		const wrongVersion = await post(url, token, { ...PROBE_FAILURE, version: '3' });
		expect(wrongVersion.status).toBe(400);
		expect(ErrorBody.parse(wrongVersion.body).error).toMatch(/^version: .*"4"/);
		const raw = await fetch(`${server.httpUrl}${url}`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: '{"version": "4", "alerts": ['
		});
		expect(raw.status).toBe(400);
		expect(acme.workPackages()).toEqual([]);
	});

	test('[AI25] a route to a story the board no longer has: 400 saying so, nothing written', async () => {
		const acme = await board();
		const { token, url } = await createIntegration(server, acme);
		acme.admin.docs.collection('stories').delete(acme.supportStoryId);
		await roundTrip(acme.admin.providers[0]!);
		const answer = await post(url, token, PROBE_FAILURE);
		expect(answer.status).toBe(400);
		expect(ErrorBody.parse(answer.body).error).toMatch(
			/^The board could not take this alert: No story with id ".+" on this board\..*check the integration "Prometheus production"/
		);
		expect(acme.workPackages()).toEqual([]);
	});
});

describe('bursts', () => {
	test('[AI21] over the limit of one integration: 429 with Retry-After; another integration still posts', async () => {
		const limited = await startTestServer({ alertLimit: { perMinute: 6, burst: 2 } });
		try {
			const acme = await alertBoard(limited);
			boards.push(acme);
			const noisy = await createIntegration(limited, acme);
			const quiet = await createIntegration(limited, acme, { name: 'Staging' });
			const send = (integration: { token: string; url: string }) =>
				fetch(`${limited.httpUrl}${integration.url}`, {
					method: 'POST',
					headers: {
						authorization: `Bearer ${integration.token}`,
						'content-type': 'application/json'
					},
					body: JSON.stringify(PROBE_FAILURE)
				});
			expect((await send(noisy)).status).toBe(200);
			expect((await send(noisy)).status).toBe(200);
			const refused = await send(noisy);
			expect(refused.status).toBe(429);
			expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
			expect(ErrorBody.parse(await refused.json()).code).toBe('rate-limited');
			expect((await send(quiet)).status).toBe(200);
		} finally {
			await limited.close();
		}
	});
});
