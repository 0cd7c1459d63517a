/**
 * Our relay as the benchmark runs it: the production server assembly (rooms, SQLite with every
 * update committed before it is relayed, validation of board documents) without the web app,
 * so the benchmark needs no UI build. Logs the production "listening" line.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AccessControl } from '../../server/auth/access';
import { loadSecret } from '../../server/auth/secret';
import { TokenIssuer } from '../../server/auth/tokens';
import { stopOnSignals } from '../../server/lifecycle';
import { createLogger } from '../../server/log';
import { createScrumOpsServer } from '../../server/server';
import { SqliteStore } from '../../server/store/sqlite';
import { startCommandServer, type BenchServer } from './servers';

/**
 * Starts our relay in a child process with a fresh SQLite data directory. Every client presents
 * a session token for its room's board, as in production; the secret is made for this run.
 */
export async function startScrumOpsServer(): Promise<BenchServer> {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'relay-bench-'));
	const secret = randomBytes(32).toString('base64url');
	const tokens = new TokenIssuer(new TextEncoder().encode(secret));
	const byRoom = new Map<string, Promise<string>>();
	const tokenFor = (room: string) => {
		let token = byRoom.get(room);
		if (!token) {
			token = tokens.issueSession(
				{
					boardId: room.split('/')[0]!,
					personId: 'bench',
					name: 'Bench',
					teams: [],
					roles: ['team-member'],
					admin: false
				},
				24 * 60 * 60
			);
			byRoom.set(room, token);
		}
		return token;
	};
	return startCommandServer(
		'ScrumOps relay',
		process.execPath,
		['--import', 'tsx', path.join('bench', 'relay', 'scrumops-server.ts')],
		// The benchmark's writers exceed the default per-connection rate limit on purpose.
		{
			PORT: '0',
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			RELAY_BENCH_CHILD: '1',
			SCRUMOPS_SECRET: secret
		},
		'ws://127.0.0.1:{port}/sync',
		{
			afterStop: () => rm(dataDir, { recursive: true, force: true }),
			roomUrl: async (base, room) => `${base}/${room}?token=${await tokenFor(room)}`
		}
	);
}

if (process.env.RELAY_BENCH_CHILD === '1') {
	const log = createLogger({ level: 'info' });
	const store = SqliteStore.open(process.env.DATA_DIR!);
	const access = new AccessControl({
		tokens: new TokenIssuer(loadSecret(process.env.DATA_DIR!).key),
		members: store.members()
	});
	const server = createScrumOpsServer({
		port: Number(process.env.PORT ?? 0),
		host: process.env.HOST ?? '127.0.0.1',
		log,
		store,
		access,
		limits: { messagesPerSecond: 1_000_000, messageBurst: 1_000_000 }
	});
	const address = await server.listen();
	log.info('listening', { url: `http://127.0.0.1:${address.port}` });
	stopOnSignals(() => server.close(), log);
}
