/**
 * Real processes the tests that run their own servers start: the production server (one or
 * several instances), Redis, HAProxy and Alertmanager, each on a free port, stopped the way a
 * test wants (a clean stop, or SIGKILL) and started again on the same port. Usable from vitest
 * and Playwright.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() =>
				typeof address === 'object' && address ? resolve(address.port) : reject(new Error())
			);
		});
	});
}

/**
 * Polls `check` until it returns true; throws (with `what`) after `timeoutMs`. An error thrown
 * by `check` ends the wait at once: the process it waits for is gone.
 */
async function until(
	check: () => boolean | Promise<boolean>,
	{ timeoutMs, what }: { timeoutMs: number; what: string }
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

/** Whether `url` answers 200. */
async function answers(url: string): Promise<boolean> {
	try {
		return (await fetch(url)).status === 200;
	} catch {
		return false;
	}
}

/** A child process with its output kept for the failure message, stopped on request. */
class Child {
	#child: ChildProcess | null = null;
	#log = '';

	protected run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
		const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
		child.stdout?.on('data', (chunk: Buffer) => (this.#log += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => (this.#log += chunk.toString()));
		this.#child = child;
	}

	protected get exited(): boolean {
		return this.#child === null || this.#child.exitCode !== null || this.#child.signalCode !== null;
	}

	/** Whether the process is running now. */
	get running(): boolean {
		return !this.exited;
	}

	get log(): string {
		return this.#log;
	}

	/** Sends `signal` and waits until the process is gone. */
	async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
		const child = this.#child;
		if (!child || this.exited) return;
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		child.kill(signal);
		await exited;
		this.#child = null;
	}
}

/** The production server in one process: server/index.ts under tsx's loader. */
export class ServerProcess extends Child {
	constructor(
		readonly port: number,
		readonly dataDir: string,
		readonly env: Record<string, string>
	) {
		super();
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** ws://…/sync, the base URL of its documents for the y-websocket client. */
	get syncUrl(): string {
		return `ws://127.0.0.1:${this.port}/sync`;
	}

	/** Starts it (again, on the same port); resolves once /healthz answers 200. */
	async start(): Promise<void> {
		// One process (no npx/tsx wrappers in between), so a signal reaches the server itself.
		this.run(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
			...process.env,
			PORT: String(this.port),
			HOST: '127.0.0.1',
			DATA_DIR: this.dataDir,
			ORIGIN: this.url,
			LOG_LEVEL: 'warn',
			...this.env
		});
		await until(
			() => {
				if (this.exited) throw new Error(`the server exited:\n${this.log}`);
				return answers(`${this.url}/healthz`);
			},
			{ timeoutMs: 30_000, what: `the server on port ${this.port} answers /healthz` }
		);
	}
}

/** A private `redis-server` without persistence. */
export class RedisProcess extends Child {
	constructor(readonly port: number) {
		super();
	}

	get url(): string {
		return `redis://127.0.0.1:${this.port}`;
	}

	async start(): Promise<void> {
		this.run('redis-server', [
			'--port',
			String(this.port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no'
		]);
		await until(
			() =>
				spawnSync('redis-cli', ['-p', String(this.port), 'ping'])
					.stdout?.toString()
					.trim() === 'PONG',
			{ timeoutMs: 10_000, what: 'redis-server answers PING' }
		);
	}
}

/** HAProxy balancing HTTP and WebSocket connections round-robin over `backends`, no stickiness. */
export class HaproxyProcess extends Child {
	#dir = '';

	constructor(
		readonly port: number,
		readonly backends: number[]
	) {
		super();
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	async start(): Promise<void> {
		this.#dir = await mkdtemp(path.join(tmpdir(), 'scrumops-haproxy-'));
		const config = path.join(this.#dir, 'haproxy.cfg');
		await writeFile(
			config,
			[
				'defaults',
				'  mode http',
				'  timeout connect 1s',
				'  timeout client 60s',
				'  timeout server 60s',
				'  timeout tunnel 1h',
				'  retries 3',
				'  option redispatch',
				'frontend board',
				`  bind 127.0.0.1:${this.port}`,
				'  default_backend instances',
				'backend instances',
				'  balance roundrobin',
				'  option httpchk GET /healthz',
				...this.backends.map(
					(port, i) => `  server i${i + 1} 127.0.0.1:${port} check inter 300 fall 2 rise 2`
				),
				''
			].join('\n')
		);
		this.run(process.env.HAPROXY_PATH ?? '/usr/sbin/haproxy', ['-db', '-f', config]);
		await until(
			() => {
				if (this.exited) throw new Error(`haproxy exited:\n${this.log}`);
				return answers(`${this.url}/healthz`);
			},
			{ timeoutMs: 10_000, what: 'the board answers through haproxy' }
		);
	}

	override async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
		await super.stop(signal);
		if (this.#dir) await rm(this.#dir, { recursive: true, force: true });
	}
}

/**
 * Prometheus Alertmanager (Debian's `prometheus-alertmanager`, see scripts/ensure-tools.js) on a
 * free port, alone (clustering off), with a fresh storage directory and the configuration given.
 */
export class AlertmanagerProcess extends Child {
	#dir = '';

	/** `configYaml`: the whole alertmanager.yml. */
	constructor(
		readonly port: number,
		readonly configYaml: string
	) {
		super();
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	async start(): Promise<void> {
		const binary = process.env.ALERTMANAGER_PATH ?? '/usr/bin/prometheus-alertmanager';
		this.#dir = await mkdtemp(path.join(tmpdir(), 'scrumops-alertmanager-'));
		const config = path.join(this.#dir, 'alertmanager.yml');
		await writeFile(config, this.configYaml);
		try {
			this.run(binary, [
				`--config.file=${config}`,
				`--storage.path=${path.join(this.#dir, 'data')}`,
				`--web.listen-address=127.0.0.1:${this.port}`,
				'--cluster.listen-address=',
				'--log.level=warn'
			]);
		} catch (error) {
			throw new Error(
				`could not start ${binary}: run "node scripts/ensure-tools.js alertmanager" (npm run test:unit does).`,
				{ cause: error }
			);
		}
		await until(
			() => {
				if (this.exited) {
					throw new Error(
						`alertmanager exited (is ${binary} installed? run "node scripts/ensure-tools.js alertmanager"):\n${this.log}`
					);
				}
				return answers(`${this.url}/-/ready`);
			},
			{ timeoutMs: 15_000, what: 'alertmanager is ready' }
		);
	}

	/** Posts alerts to Alertmanager's API, as Prometheus would. */
	async post(alerts: readonly PostedAlert[]): Promise<void> {
		const response = await fetch(`${this.url}/api/v2/alerts`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(alerts)
		});
		if (response.status !== 200) {
			throw new Error(
				`alertmanager refused the alerts: ${response.status} ${await response.text()}`
			);
		}
	}

	override async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
		await super.stop(signal);
		if (this.#dir) await rm(this.#dir, { recursive: true, force: true });
	}
}

/** An alert as Alertmanager's API (`POST /api/v2/alerts`) takes it. */
export interface PostedAlert {
	labels: Record<string, string>;
	annotations?: Record<string, string>;
	startsAt?: string;
	/** In the past: the alert is resolved. */
	endsAt?: string;
	generatorURL?: string;
}
