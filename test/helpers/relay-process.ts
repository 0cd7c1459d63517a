/**
 * The relay as a child process for crash tests: SQLite in DATA_DIR, a free port on 127.0.0.1,
 * and one JSON line `{"port": N}` on stdout once it accepts connections.
 */
import { createLogger } from '../../server/log';
import { createScrumOpsServer } from '../../server/server';
import { SqliteStore } from '../../server/store/sqlite';

const dataDir = process.env.DATA_DIR;
if (!dataDir) throw new Error('DATA_DIR must name the data directory');
const server = createScrumOpsServer({
	port: 0,
	host: '127.0.0.1',
	log: createLogger({ level: 'error', write: (line) => process.stderr.write(`${line}\n`) }),
	store: SqliteStore.open(dataDir)
});
const address = await server.listen();
process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
