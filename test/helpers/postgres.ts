/**
 * Fresh PostgreSQL databases for tests, on the server every developer and CI machine runs
 * (127.0.0.1:5432, trust auth). `TEST_POSTGRES_URL` points elsewhere: a URL of the maintenance
 * database, e.g. postgres://postgres@db:5432/postgres. PostgreSQL missing is a failure with a
 * sentence saying so, never a skipped test.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';

/** Roles tried in order when no URL is given: the machine's `root`, then the usual superuser. */
const ROLES = ['root', 'postgres'];

export interface TestDatabase {
	/** postgres://… of the new, empty database. */
	url: string;
	name: string;
	/** Drops it, closing whatever connections are left. */
	drop(): Promise<void>;
}

let maintenanceUrl: Promise<string> | null = null;

/** The URL of the maintenance database `postgres`, as the first role that may connect. */
function findMaintenanceUrl(): Promise<string> {
	maintenanceUrl ??= (async () => {
		const given = process.env.TEST_POSTGRES_URL?.trim();
		const candidates = given
			? [given]
			: ROLES.map((role) => `postgres://${role}@127.0.0.1:5432/postgres`);
		const failures: string[] = [];
		for (const url of candidates) {
			const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
			try {
				await client.connect();
				await client.end();
				return url;
			} catch (error) {
				failures.push(`${url}: ${(error as Error).message}`);
				await client.end().catch(() => undefined);
			}
		}
		throw new Error(
			`PostgreSQL is not reachable, and the PostgreSQL store's tests need it (${failures.join('; ')}). ` +
				`Start it (e.g. \`service postgresql start\`), or set TEST_POSTGRES_URL to the URL of a ` +
				`maintenance database whose role may create databases.`
		);
	})();
	return maintenanceUrl;
}

/** A new, empty database `scrumops_test_<random>`. */
export async function createTestDatabase(): Promise<TestDatabase> {
	const admin = await findMaintenanceUrl();
	const name = `scrumops_test_${randomBytes(6).toString('hex')}`;
	await onMaintenance(admin, (client) => client.query(`CREATE DATABASE ${name}`));
	const url = new URL(admin);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		name,
		async drop() {
			await onMaintenance(admin, (client) =>
				client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
			);
		}
	};
}

/** Terminates every connection to `database`: what a PostgreSQL restart does to its clients. */
export async function terminateConnections(database: string): Promise<number> {
	const admin = await findMaintenanceUrl();
	return onMaintenance(admin, async (client) => {
		const { rows } = await client.query<{ terminated: boolean }>(
			`SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
			WHERE datname = $1 AND pid <> pg_backend_pid()`,
			[database]
		);
		return rows.filter((row) => row.terminated).length;
	});
}

async function onMaintenance<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
	await client.connect();
	try {
		return await work(client);
	} finally {
		await client.end();
	}
}

/**
 * A TCP proxy in front of PostgreSQL, standing for the network between a server and its
 * database: `cut()` breaks every connection through it and refuses new ones, as a PostgreSQL
 * going down would; `stall()` silently stops carrying bytes either way and accepts connections
 * it never carries, as a dead network does; `restore()` lets new connections through again.
 */
export interface DatabaseLink {
	/** `url` with its host and port replaced by the proxy's. */
	url: string;
	cut(): void;
	stall(): void;
	restore(): void;
	close(): Promise<void>;
}

export async function startDatabaseLink(url: string): Promise<DatabaseLink> {
	const target = new URL(url);
	const sockets = new Set<net.Socket>();
	/** Connections being carried, client side first. */
	const pairs = new Set<[net.Socket, net.Socket]>();
	let state: 'open' | 'cut' | 'stalled' = 'open';
	const server = net.createServer((incoming) => {
		if (state === 'cut') {
			incoming.destroy();
			return;
		}
		if (state === 'stalled') {
			// Accepted, never answered: the client's connect timeout is what ends it.
			sockets.add(incoming);
			incoming.on('close', () => sockets.delete(incoming));
			incoming.on('error', () => incoming.destroy());
			incoming.pause();
			return;
		}
		const outgoing = net.connect(Number(target.port || 5432), target.hostname);
		for (const socket of [incoming, outgoing]) {
			sockets.add(socket);
			socket.on('close', () => sockets.delete(socket));
			socket.on('error', () => {
				incoming.destroy();
				outgoing.destroy();
			});
		}
		incoming.pipe(outgoing).pipe(incoming);
		const pair: [net.Socket, net.Socket] = [incoming, outgoing];
		pairs.add(pair);
		incoming.on('close', () => pairs.delete(pair));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	const proxied = new URL(url);
	proxied.hostname = '127.0.0.1';
	proxied.port = String(port);
	return {
		url: proxied.toString(),
		cut() {
			state = 'cut';
			for (const socket of sockets) socket.destroy();
			pairs.clear();
		},
		stall() {
			state = 'stalled';
			for (const [incoming, outgoing] of pairs) {
				incoming.unpipe(outgoing);
				outgoing.unpipe(incoming);
				incoming.pause();
				outgoing.pause();
			}
			pairs.clear();
		},
		restore() {
			// Stalled connections stay stalled: the client gives up on them and opens new ones.
			state = 'open';
		},
		close() {
			state = 'cut';
			for (const socket of sockets) socket.destroy();
			return new Promise((resolve) => server.close(() => resolve()));
		}
	};
}
