/**
 * Findings in a deployment of several instances: three instances on one PostgreSQL database,
 * joined by Redis, each validating the board with the same engine. People on different
 * instances over-commit a sprint together and then fix it; whichever instance a request reaches,
 * `GET /api/boards/:id/findings` answers the same findings, and the board document every
 * person holds shows them too.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { TokenIssuer } from '../../server/auth/tokens';
import { PostgresStore } from '../../server/store/postgres';
import type { Finding } from '../../src/lib/domain/findings';
import * as op from '../../src/lib/sync/operations';
import { callApi } from '../helpers/api';
import { BoardClient } from '../helpers/board-client';
import { startTestCluster, type TestCluster } from '../helpers/cluster';
import { fixedContext } from '../helpers/op-context';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { startTestRedis } from '../helpers/redis';
import { eventually, mintToken } from '../helpers/server';

const BOARD = 'acme';
const cleanups: (() => Promise<unknown> | unknown)[] = [];

afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startCluster(): Promise<TestCluster> {
	const redis = await startTestRedis();
	cleanups.push(() => redis.close());
	const database: TestDatabase = await createTestDatabase();
	cleanups.push(() => database.drop());
	const cluster = await startTestCluster({
		count: 3,
		redisUrl: redis.url,
		store: await PostgresStore.open(database.url)
	});
	cleanups.push(() => cluster.close());
	await eventually(
		() => cluster.instances.every((instance) => instance.fanout.instances.length >= 2),
		{ timeoutMs: 15_000, what: 'every instance to hear from the others' }
	);
	return cluster;
}

describe('findings with several instances', () => {
	test('[R1] people on three instances over-commit a sprint and fix it; every instance answers the same findings', async () => {
		const cluster = await startCluster();
		const token = await mintToken(new TokenIssuer(cluster.secret), BOARD);
		const open = async (instance: number) => {
			const client = BoardClient.withToken(cluster.instances[instance]!, BOARD, token);
			cleanups.push(() => client.destroy());
			await client.synced();
			return client;
		};
		const [sm, po, dev] = [await open(0), await open(1), await open(2)];

		/** The findings each instance answers, in instance order. */
		const answers = () =>
			Promise.all(
				cluster.instances.map(async (instance) => {
					const { status, body } = await callApi(
						instance.httpUrl,
						'GET',
						`/api/boards/${BOARD}/findings`,
						{ token }
					);
					expect(status).toBe(200);
					return body as Finding[];
				})
			);
		/** Polls until all three instances answer the same findings and `check` holds of them. */
		const agreed = (check: (findings: Finding[]) => boolean, what: string) =>
			eventually(
				async () => {
					const [first, ...rest] = await answers();
					const same = rest.every((other) => JSON.stringify(other) === JSON.stringify(first));
					return same && check(first!) ? first : null;
				},
				{ timeoutMs: 15_000, intervalMs: 50, what }
			);

		// The Scrum Master, on instance 1, sets the board up.
		const smCtx = fixedContext('sm');
		op.createBoard(sm.docs, smCtx, { name: 'Acme' });
		const team = op.createTeam(sm.docs, smCtx, { name: 'Ops', velocity: 30 });
		const incidents = op.createStory(sm.docs, smCtx, {
			title: 'Incidents',
			duration: 'recurring',
			teamIds: [team.id]
		});
		const upgrade = op.createStory(sm.docs, smCtx, { title: 'Upgrade', teamIds: [team.id] });
		const sprint = op.planSprint(sm.docs, smCtx, {
			teamId: team.id,
			name: 'Sprint 12',
			start: '2026-11-23',
			end: '2026-12-06'
		});
		await eventually(
			() =>
				[po, dev].every(
					(client) =>
						client.projection.state.sprints.has(sprint.id) &&
						client.projection.state.stories.has(upgrade.id)
				),
			{ what: 'the sprint on instances 2 and 3' }
		);

		// At the same time, on two other instances: 10 points reserved, 21 committed.
		op.reserveUnknownWork(po.docs, fixedContext('po'), sprint.id, incidents.id, 10);
		op.commitStory(dev.docs, fixedContext('dev'), sprint.id, upgrade.id, 21);
		const over = await agreed(
			(findings) => findings.some((f) => f.rule === 'R1'),
			'R1 answered alike by every instance'
		);
		const r1 = over.find((f) => f.rule === 'R1')!;
		expect(r1.severity).toBe('error');
		expect(r1.message).toContain('31 points');
		expect(r1.refs).toContainEqual({ kind: 'sprint', id: sprint.id });
		// Every person's board shows what the instances answer.
		await eventually(
			() =>
				[sm, po, dev].every(
					(client) => JSON.stringify(client.publishedFindings()) === JSON.stringify(over)
				),
			{ what: 'the findings in every person’s board document' }
		);

		// Back under velocity, from the third instance: the finding is gone on all of them.
		op.commitStory(dev.docs, fixedContext('dev2'), sprint.id, upgrade.id, 20);
		const fixed = await agreed(
			(findings) => !findings.some((f) => f.rule === 'R1'),
			'R1 gone from every instance'
		);
		expect(fixed).toEqual(over.filter((f) => f.rule !== 'R1'));
		await eventually(
			() =>
				[sm, po, dev].every(
					(client) => JSON.stringify(client.publishedFindings()) === JSON.stringify(fixed)
				),
			{ what: 'R1 gone from every person’s board document' }
		);
	});
});
