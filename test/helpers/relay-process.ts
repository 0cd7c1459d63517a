/**
 * The relay as a child process for crash tests: SQLite in DATA_DIR, a free port on 127.0.0.1,
 * one JSON line `{"port": N}` on stdout once it accepts connections, and the production
 * shutdown on SIGTERM. Tokens are signed with SCRUMOPS_SECRET. With REDIS_URL it is one of
 * several instances (REDIS_HEARTBEAT_MS: its heartbeat).
 */
import { AccessControl } from '../../server/auth/access';
import { loadSecret } from '../../server/auth/secret';
import { TokenIssuer } from '../../server/auth/tokens';
import { RedisFanout } from '../../server/fanout/redis-fanout';
import { stopOnSignals } from '../../server/lifecycle';
import { createLogger } from '../../server/log';
import { createScrumOpsServer } from '../../server/server';
import { SqliteStore } from '../../server/store/sqlite';

const dataDir = process.env.DATA_DIR;
if (!dataDir) throw new Error('DATA_DIR must name the data directory');
const log = createLogger({ level: 'error', write: (line) => process.stderr.write(`${line}\n`) });
const store = SqliteStore.open(dataDir);
// SCRUMOPS_SECRET from the test, so it can mint tokens this process accepts.
const access = new AccessControl({
	tokens: new TokenIssuer(loadSecret(dataDir).key),
	members: store.members()
});
const fanout = process.env.REDIS_URL
	? new RedisFanout({
			url: process.env.REDIS_URL,
			log,
			heartbeatMs: Number(process.env.REDIS_HEARTBEAT_MS ?? 2_000)
		})
	: undefined;
const server = createScrumOpsServer({ port: 0, host: '127.0.0.1', log, store, access, fanout });
const address = await server.listen();
stopOnSignals(() => server.close(), log);
process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
