/**
 * Our relay as the benchmark runs it: the production server assembly (rooms, SQLite with every
 * update committed before it is relayed, validation of board documents) without the web app,
 * so the benchmark needs no UI build. Logs the production "listening" line.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stopOnSignals } from '../../server/lifecycle';
import { createLogger } from '../../server/log';
import { createScrumOpsServer } from '../../server/server';
import { SqliteStore } from '../../server/store/sqlite';
import { startCommandServer, type BenchServer } from './servers';

/** Starts our relay in a child process with a fresh SQLite data directory. */
export async function startScrumOpsServer(): Promise<BenchServer> {
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'relay-bench-'));
	return startCommandServer(
		'ScrumOps relay',
		process.execPath,
		['--import', 'tsx', path.join('bench', 'relay', 'scrumops-server.ts')],
		// The benchmark's writers exceed the default per-connection rate limit on purpose.
		{ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, RELAY_BENCH_CHILD: '1' },
		'ws://127.0.0.1:{port}/sync',
		{ afterStop: () => rm(dataDir, { recursive: true, force: true }) }
	);
}

if (process.env.RELAY_BENCH_CHILD === '1') {
	const log = createLogger({ level: 'info' });
	const server = createScrumOpsServer({
		port: Number(process.env.PORT ?? 0),
		host: process.env.HOST ?? '127.0.0.1',
		log,
		store: SqliteStore.open(process.env.DATA_DIR!),
		limits: { messagesPerSecond: 1_000_000, messageBurst: 1_000_000 }
	});
	const address = await server.listen();
	log.info('listening', { url: `http://127.0.0.1:${address.port}` });
	stopOnSignals(() => server.close(), log);
}
