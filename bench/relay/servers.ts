/**
 * The servers a relay benchmark runs against. Each one runs as its own child process so its CPU
 * and RSS can be read from /proc separately from the load generator's.
 *
 * To add a server, write a `ServerFactory`. Ours will be, roughly:
 *
 *   const dataDir = await mkdtemp(path.join(os.tmpdir(), 'relay-bench-'));
 *   startCommandServer('ScrumOps relay', 'npx', ['tsx', 'server/index.ts'],
 *     { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
 *     'ws://127.0.0.1:{port}/sync',
 *     { afterStop: () => rm(dataDir, { recursive: true, force: true }) });
 *
 * With PORT=0 the port is read from the server's JSON log line `{"msg":"listening","url":…}`.
 * (LOG_LEVEL must then still let that info line through.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { WebSocket } from 'ws';

export interface BenchServer {
	/** Shown as the column header in the result tables. */
	name: string;
	/** ws://127.0.0.1:port plus any prefix; clients connect to `${url}/${room}`. */
	url: string;
	/**
	 * The process whose CPU and RSS are measured: the one that owns the listening socket, which
	 * is not the spawned process when a wrapper such as `npx tsx` starts the real server.
	 */
	pid: number;
	/** The socket URL of a room, with whatever credentials the server needs. */
	roomUrl(room: string): Promise<string>;
	stop(): Promise<void>;
}

export type ServerFactory = () => Promise<BenchServer>;

export interface CommandServerOptions {
	/** The socket URL of a room given the base URL; default `${base}/${room}`. */
	roomUrl?: (base: string, room: string) => Promise<string>;
	/** How long the server may take to start listening. Default 60 s (tsx compiles on start). */
	startTimeoutMs?: number;
	/** Time between SIGTERM and SIGKILL on stop. Default 5 s. */
	stopTimeoutMs?: number;
	/**
	 * A room opened with a WebSocket handshake once the port accepts connections, so a wrong URL
	 * prefix fails here with the server's answer rather than as 400 failed clients later.
	 * `false` skips it. Default 'bench-ready'.
	 */
	probeRoom?: string | false;
	cwd?: string;
	/** Runs after the process is gone, e.g. to remove a temporary data directory. */
	afterStop?: () => Promise<void>;
}

const OUTPUT_LINES_KEPT = 40;

/** Children still running, killed on exit so an interrupted run leaves no servers behind. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.on('exit', () => {
		for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
	});
	// Servers run in their own process group, out of reach of a terminal's Ctrl-C, and a signal
	// without a handler ends Node without 'exit'. Unless the host handles signals itself, turn
	// them into an exit so the hook above runs.
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		if (process.listenerCount(signal) === 0) {
			process.once(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));
		}
	}
}

/** Signals the process group we created for one server (it is `detached`, so pgid = its pid). */
function killGroup(pgid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pgid, signal);
	} catch {
		// Already gone.
	}
}

/** A port the OS reports free right now (a small race with other processes is accepted). */
export function freePort(host = '127.0.0.1'): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', reject);
		probe.listen(0, host, () => {
			const address = probe.address();
			const port = typeof address === 'object' && address !== null ? address.port : 0;
			probe.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
		});
	});
}

function canConnect(host: string, port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({ host, port });
		const done = (ok: boolean) => {
			socket.removeAllListeners();
			socket.on('error', () => {});
			socket.destroy();
			resolve(ok);
		};
		socket.once('connect', () => done(true));
		socket.once('error', () => done(false));
		socket.setTimeout(1000, () => done(false));
	});
}

/** Opens and closes one WebSocket, resolving with an error message or null. */
function probeWebSocket(url: string, timeoutMs: number): Promise<string | null> {
	return new Promise((resolve) => {
		const ws = new WebSocket(url, { perMessageDeflate: false });
		const timer = setTimeout(
			() => finish(`no WebSocket handshake within ${timeoutMs} ms`),
			timeoutMs
		);
		const finish = (error: string | null) => {
			clearTimeout(timer);
			ws.removeAllListeners();
			ws.on('error', () => {});
			ws.terminate();
			resolve(error);
		};
		ws.once('open', () => finish(null));
		ws.once('error', (error) => finish(error.message));
	});
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Reads the parent pid of every process, for finding a wrapper's descendants. */
function processTree(rootPid: number): number[] {
	const children = new Map<number, number[]>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			// The command name may contain spaces and parentheses: fields start after the last ')'.
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			const list = children.get(ppid) ?? [];
			list.push(Number(entry));
			children.set(ppid, list);
		} catch {
			// The process exited while we were reading.
		}
	}
	const tree: number[] = [];
	const queue = [rootPid];
	while (queue.length > 0) {
		const pid = queue.shift()!;
		tree.push(pid);
		queue.push(...(children.get(pid) ?? []));
	}
	return tree;
}

/** Inodes of sockets listening on `port` (IPv4 and IPv6). */
function listeningInodes(port: number): Set<string> {
	const inodes = new Set<string>();
	const portHex = port.toString(16).toUpperCase().padStart(4, '0');
	for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
		if (!existsSync(file)) continue;
		for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
			const fields = line.trim().split(/\s+/);
			// fields: sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
			if (fields.length < 10 || fields[3] !== '0A') continue;
			if (fields[1]?.split(':')[1] === portHex) inodes.add(fields[9]!);
		}
	}
	return inodes;
}

/** The process in `rootPid`'s tree that owns the socket listening on `port`, or `rootPid`. */
export function findListeningPid(rootPid: number, port: number): number {
	const wanted = new Set([...listeningInodes(port)].map((inode) => `socket:[${inode}]`));
	if (wanted.size === 0) return rootPid;
	for (const pid of processTree(rootPid)) {
		try {
			for (const fd of readdirSync(`/proc/${pid}/fd`)) {
				try {
					if (wanted.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) return pid;
				} catch {
					// fd closed meanwhile.
				}
			}
		} catch {
			// Process gone or not ours to inspect.
		}
	}
	return rootPid;
}

/** Port from a JSON log line like `{"msg":"listening","url":"http://0.0.0.0:41234"}`. */
function portFromLogLine(line: string): number | null {
	const trimmed = line.trim();
	if (!trimmed.startsWith('{')) return null;
	try {
		const record = JSON.parse(trimmed) as { msg?: unknown; url?: unknown; port?: unknown };
		if (record.msg !== 'listening') return null;
		if (typeof record.url === 'string') {
			// Not `new URL`: an unbracketed IPv6 host ("http://:::3000") is not a valid URL.
			const port = Number(/:(\d+)\/?$/.exec(record.url)?.[1]);
			if (port > 0) return port;
		}
		if (typeof record.port === 'number' && record.port > 0) return record.port;
	} catch {
		// Not JSON after all: ignore.
	}
	return null;
}

/**
 * Spawns `command args` as a server and waits until it accepts WebSocket connections.
 *
 * `env` is laid over this process's environment; a key set to `undefined` is removed from it.
 * `readyUrl` is the WebSocket base URL with `{port}` where the port goes, e.g.
 * 'ws://127.0.0.1:{port}/sync'. When env.PORT is unset or '0', the port is read from the
 * server's `{"msg":"listening","url":…}` log line; otherwise env.PORT is used.
 */
export async function startCommandServer(
	name: string,
	command: string,
	args: readonly string[],
	env: Readonly<Record<string, string | undefined>>,
	readyUrl: string,
	options: CommandServerOptions = {}
): Promise<BenchServer> {
	const startTimeoutMs = options.startTimeoutMs ?? 60_000;
	const stopTimeoutMs = options.stopTimeoutMs ?? 5_000;
	const probeRoom = options.probeRoom ?? 'bench-ready';

	const childEnv: NodeJS.ProcessEnv = { ...process.env };
	for (const [key, value] of Object.entries(env)) {
		if (value === undefined) delete childEnv[key];
		else childEnv[key] = value;
	}
	const fixedPort = env.PORT !== undefined && env.PORT !== '0' ? Number(env.PORT) : null;
	const needsPort = readyUrl.includes('{port}');

	installExitHook();
	// detached: its own process group, so stop() also reaches grandchildren (npx → tsx → node).
	// BENCH_SERVER_CPUS pins every server to the same cores (e.g. "1", with the generator run
	// under `taskset -c 0`), so a server and the load generator do not take turns on one core.
	const cpus = process.env.BENCH_SERVER_CPUS?.trim();
	const [file, argv] = cpus ? ['taskset', ['-c', cpus, command, ...args]] : [command, [...args]];
	const child: ChildProcess = spawn(file, argv, {
		cwd: options.cwd ?? process.cwd(),
		env: childEnv,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const output: string[] = [];
	let discoveredPort: number | null = null;
	let exited: string | null = null;
	let spawnError: Error | null = null;
	const exitPromise = new Promise<void>((resolve) => {
		child.once('exit', (code, signal) => {
			exited = signal !== null ? `signal ${signal}` : `code ${code}`;
			if (child.pid !== undefined) liveGroups.delete(child.pid);
			resolve();
		});
	});
	child.once('error', (error) => {
		spawnError = error;
	});
	// Keep reading both pipes for the whole run: a server blocked on a full pipe would stall.
	const onData = (chunk: Buffer) => {
		for (const line of chunk.toString('utf8').split('\n')) {
			if (line.trim() === '') continue;
			output.push(line);
			if (output.length > OUTPUT_LINES_KEPT) output.shift();
			discoveredPort ??= portFromLogLine(line);
		}
	};
	child.stdout?.on('data', onData);
	child.stderr?.on('data', onData);
	if (child.pid !== undefined) liveGroups.add(child.pid);

	const stop = async () => {
		if (child.pid === undefined) return;
		if (exited === null) {
			killGroup(child.pid, 'SIGTERM');
			const timedOut = await Promise.race([
				exitPromise.then(() => false),
				sleep(stopTimeoutMs).then(() => true)
			]);
			if (timedOut) killGroup(child.pid, 'SIGKILL');
			await exitPromise;
		}
		// Reap anything left in the group (a wrapper may exit before its child does).
		killGroup(child.pid, 'SIGKILL');
		liveGroups.delete(child.pid);
		if (options.afterStop) await options.afterStop();
	};
	const failure = (reason: string) =>
		new Error(
			`${name}: ${reason}.\nLast output:\n${output.map((line) => `  ${line}`).join('\n') || '  (none)'}`
		);

	try {
		const deadline = Date.now() + startTimeoutMs;
		let port = fixedPort;
		let url = readyUrl;
		for (;;) {
			if (spawnError !== null) throw failure(`could not start: ${(spawnError as Error).message}`);
			if (exited !== null) throw failure(`exited with ${exited} before accepting connections`);
			if (Date.now() > deadline) throw failure(`not ready within ${startTimeoutMs} ms`);
			port ??= discoveredPort;
			if (port !== null || !needsPort) {
				url = port !== null ? readyUrl.replace('{port}', String(port)) : readyUrl;
				const target = new URL(url);
				const targetPort = Number(target.port) || (target.protocol === 'wss:' ? 443 : 80);
				if (await canConnect(target.hostname, targetPort)) break;
			}
			await sleep(100);
		}
		const base = url;
		const roomUrl = (room: string) =>
			options.roomUrl ? options.roomUrl(base, room) : Promise.resolve(`${base}/${room}`);
		if (probeRoom !== false) {
			const error = await probeWebSocket(await roomUrl(probeRoom), 10_000);
			if (error !== null) throw failure(`WebSocket probe of ${url}/${probeRoom} failed: ${error}`);
		}
		const target = new URL(url);
		const pid = findListeningPid(child.pid!, Number(target.port));
		return { name, url, pid, roomUrl, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

/** The reference server's package.json, for its location and version. */
function referencePackage(): { dir: string; version: string; bin: string } {
	const require = createRequire(import.meta.url);
	const packageJson = require.resolve('@y/websocket-server/package.json');
	const manifest = JSON.parse(readFileSync(packageJson, 'utf8')) as {
		version: string;
		bin: Record<string, string>;
	};
	const bin = manifest.bin['y-websocket-server'] ?? 'src/server.js';
	return { dir: path.dirname(packageJson), version: manifest.version, bin };
}

/**
 * The y-websocket reference server (@y/websocket-server), in memory: YPERSISTENCE and the
 * HTTP callback variables are removed from its environment. It reads HOST and PORT and prints
 * no machine-readable ready line, so we pick a free port and wait for it to accept.
 */
export async function startReferenceServer(): Promise<BenchServer> {
	const { dir, version, bin } = referencePackage();
	const port = await freePort();
	return startCommandServer(
		`y-websocket-server ${version}`,
		process.execPath,
		[path.join(dir, bin)],
		{
			HOST: '127.0.0.1',
			PORT: String(port),
			YPERSISTENCE: undefined,
			CALLBACK_URL: undefined,
			CALLBACK_OBJECTS: undefined,
			NODE_OPTIONS: undefined
		},
		'ws://127.0.0.1:{port}',
		{ startTimeoutMs: 20_000 }
	);
}
