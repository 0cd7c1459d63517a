/**
 * The production app for the UI benchmark: `vite build`, then `npx tsx server/index.ts` in a
 * temporary data directory on a free port, with the access API used the way a person's browser
 * uses it (create a board, invite, join).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort, startCommandServer, type BenchServer } from '../relay/servers';

export interface AppServer {
	/** http://127.0.0.1:port */
	origin: string;
	/** ws://127.0.0.1:port/sync */
	syncUrl: string;
	/** The process that owns the listening socket (for its CPU time). */
	pid: number;
	stop(): Promise<void>;
}

export interface Session {
	boardId: string;
	personId: string;
	token: string;
	name: string;
}

/** Builds the app (unless BENCH_UI_SKIP_BUILD=1) and starts the production server. */
export async function startAppServer(): Promise<AppServer> {
	if (process.env.BENCH_UI_SKIP_BUILD !== '1') await run('npx', ['vite', 'build']);
	const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ui-bench-'));
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const server: BenchServer = await startCommandServer(
		'ScrumOps app',
		'npx',
		['tsx', 'server/index.ts'],
		{
			PORT: String(port),
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			ORIGIN: origin,
			LOG_LEVEL: 'warn',
			DEMO_BOARD: 'off',
			SCRUMOPS_SECRET: undefined
		},
		`ws://127.0.0.1:{port}/sync`,
		{ probeRoom: false, afterStop: () => rm(dataDir, { recursive: true, force: true }) }
	);
	await waitForHealth(origin);
	return { origin, syncUrl: server.url, pid: server.pid, stop: () => server.stop() };
}

/** The port opens before the app is loaded: wait until /healthz answers 200. */
async function waitForHealth(origin: string): Promise<void> {
	for (let attempt = 0; attempt < 600; attempt++) {
		const ok = await fetch(`${origin}/healthz`).then(
			(response) => response.ok,
			() => false
		);
		if (ok) return;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`${origin}/healthz did not answer 200 within 60 s`);
}

/** POST /api/boards: a new board whose creator is its admin. */
export async function createBoard(origin: string, name: string, adminName: string) {
	const joined = await post<Omit<Session, 'name'>>(`${origin}/api/boards`, { name, adminName });
	return { ...joined, name: adminName };
}

/** An invite from the admin, then a join with it: a second person's session. */
export async function joinWithInvite(
	origin: string,
	admin: Session,
	name: string
): Promise<Session> {
	const board = `${origin}/api/boards/${encodeURIComponent(admin.boardId)}`;
	const { invite } = await post<{ invite: string }>(
		`${board}/invites`,
		{ teamId: null, role: 'product-owner' },
		admin.token
	);
	const joined = await post<Omit<Session, 'name'>>(`${board}/join`, { name, invite });
	return { ...joined, name };
}

async function post<T>(url: string, body: unknown, token?: string): Promise<T> {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (token) headers.authorization = `Bearer ${token}`;
	const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
	if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
	return (await response.json()) as T;
}

function run(command: string, args: string[]): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
		child.once('error', reject);
		child.once('exit', (code) =>
			code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}`))
		);
	});
}
