/**
 * A deployment as the cluster benchmark runs it: N instances of bench/cluster/instance.ts, each
 * its own child process, on one store (a fresh SQLite directory, or a fresh PostgreSQL database
 * from test/helpers/postgres.ts) and, with more than one instance, a private redis-server
 * (test/helpers/redis.ts). Instances share one SCRUMOPS_SECRET made for the run; clients
 * present session tokens signed with it, one per person and board, as people joining do.
 * Everything is removed on stop.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { TokenIssuer } from '../../server/auth/tokens';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/postgres';
import { startTestRedis, type TestRedis } from '../../test/helpers/redis';
import { ProcessMonitor } from '../relay/proc';
import { findListeningPid, startCommandServer, type BenchServer } from '../relay/servers';

export interface Setup {
	/** Column header. */
	name: string;
	instances: number;
	store: 'sqlite' | 'postgres';
	redis: boolean;
}

export interface Deployment {
	setup: Setup;
	instances: BenchServer[];
	monitors: ProcessMonitor[];
	/** Socket URL of `room` on instance `instance`, with a session token for `person`. */
	url(instance: number, room: string, person: string): Promise<string>;
	/** PostgreSQL backends of this deployment's database: pids, and counters. */
	postgres: PostgresProbe | null;
	redis: RedisProbe | null;
	stop(): Promise<void>;
}

export interface PostgresProbe {
	/** Server processes serving the deployment's connections (not this probe's own). */
	backends(): Promise<number[]>;
	/** Transactions committed in the database so far (pg_stat_database, flushed about every second). */
	commits(): Promise<number>;
}

export interface RedisProbe {
	pid: number;
	/** Commands processed and bytes in + out so far (INFO stats). */
	stats(): Promise<{ commands: number; bytes: number }>;
}

/** The pool size each instance is given (DATABASE_POOL_MAX), the production default. */
export const POOL_MAX = 10;

export async function startDeployment(
	setup: Setup,
	log: (line: string) => void
): Promise<Deployment> {
	const cleanup: (() => Promise<unknown>)[] = [];
	const stopAll = async () => {
		for (const step of cleanup.reverse()) await step().catch(() => undefined);
	};
	try {
		const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cluster-bench-'));
		cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
		let database: TestDatabase | null = null;
		if (setup.store === 'postgres') {
			database = await createTestDatabase();
			const created = database;
			cleanup.push(() => created.drop());
		}
		let redis: TestRedis | null = null;
		if (setup.redis) {
			redis = await startTestRedis();
			const started = redis;
			cleanup.push(() => started.close());
		}
		const secret = randomBytes(32).toString('base64url');
		const tokens = new TokenIssuer(new TextEncoder().encode(secret));
		const minted = new Map<string, Promise<string>>();
		const token = (room: string, person: string) => {
			const boardId = room.split('/')[0]!;
			const key = `${boardId}\n${person}`;
			let value = minted.get(key);
			if (!value) {
				value = tokens.issueSession(
					{
						boardId,
						personId: person,
						name: person,
						teams: [],
						roles: ['team-member'],
						admin: false
					},
					24 * 60 * 60
				);
				minted.set(key, value);
			}
			return value;
		};
		const env: Record<string, string | undefined> = {
			PORT: '0',
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			CLUSTER_BENCH_CHILD: '1',
			SCRUMOPS_SECRET: secret,
			DATABASE_URL: database?.url,
			DATABASE_POOL_MAX: String(POOL_MAX),
			REDIS_URL: redis?.url,
			NODE_OPTIONS: undefined
		};
		const start = (index: number) =>
			startCommandServer(
				`instance ${index + 1}`,
				process.execPath,
				['--import', 'tsx', path.join('bench', 'cluster', 'instance.ts')],
				env,
				'ws://127.0.0.1:{port}/sync',
				{
					roomUrl: async (base, room) =>
						`${base}/${room}?token=${encodeURIComponent(await token(room, 'probe'))}`
				}
			);
		const instances: BenchServer[] = [];
		cleanup.push(() => Promise.all(instances.map((instance) => instance.stop())));
		// The first creates the schema; the others start together once it is there.
		instances.push(await start(0));
		const rest = await Promise.allSettled(
			Array.from({ length: setup.instances - 1 }, (_, i) => start(i + 1))
		);
		for (const outcome of rest) if (outcome.status === 'fulfilled') instances.push(outcome.value);
		const failed = rest.find((outcome) => outcome.status === 'rejected');
		if (failed) throw (failed as PromiseRejectedResult).reason;
		log(`  ${setup.name}: ${instances.map((i) => i.url).join(', ')}`);
		const monitors = instances.map((instance) => new ProcessMonitor(instance.pid));
		for (const monitor of monitors) monitor.start();
		cleanup.push(async () => monitors.forEach((monitor) => monitor.stop()));

		let postgres: PostgresProbe | null = null;
		if (database !== null) {
			const client = new pg.Client({ connectionString: database.url });
			await client.connect();
			cleanup.push(() => client.end());
			postgres = {
				async backends() {
					const { rows } = await client.query<{ pid: number }>(
						'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()'
					);
					return rows.map((row) => row.pid);
				},
				async commits() {
					const { rows } = await client.query<{ n: string }>(
						'SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()'
					);
					return Number(rows[0]?.n ?? 0);
				}
			};
		}
		let redisProbe: RedisProbe | null = null;
		if (redis !== null) {
			const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
			await client.connect();
			cleanup.push(() => client.quit().catch(() => client.disconnect()));
			const pid = findListeningPid(process.pid, redis.port);
			redisProbe = {
				pid,
				async stats() {
					const info = await client.info('stats');
					const field = (name: string) =>
						Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? 0);
					return {
						commands: field('total_commands_processed'),
						bytes: field('total_net_input_bytes') + field('total_net_output_bytes')
					};
				}
			};
		}
		return {
			setup,
			instances,
			monitors,
			async url(instance, room, person) {
				const base = instances[instance % instances.length]!.url;
				return `${base}/${room}?token=${encodeURIComponent(await token(room, person))}`;
			},
			postgres,
			redis: redisProbe,
			stop: stopAll
		};
	} catch (error) {
		await stopAll();
		throw error;
	}
}
