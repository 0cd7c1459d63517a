/**
 * The server restarts mid-session: people keep their board open, see it go offline and come
 * back, and keep editing together without reloading. This spec runs its own server (the suite's
 * one cannot be killed), from the production entry on a free port with its own data directory
 * and a fixed signing secret, so the sessions issued before the restart stay valid after it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { backlogRow, demoBoard, type Person } from './support';

const SECRET = 'e2e-restart-secret-0123456789abcdefghijklmnop';

async function freePort(): Promise<number> {
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

/** The production server in one process: server/index.ts under tsx's loader, as `npx tsx` runs it. */
class ServerProcess {
	#child: ChildProcess | null = null;
	#log = '';

	constructor(
		readonly port: number,
		readonly dataDir: string
	) {}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	async start(): Promise<void> {
		// One process (no npx/tsx wrappers in between), so a signal reaches the server itself.
		const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
			env: {
				...process.env,
				PORT: String(this.port),
				HOST: '127.0.0.1',
				DATA_DIR: this.dataDir,
				SCRUMOPS_SECRET: SECRET,
				ORIGIN: this.url,
				LOG_LEVEL: 'warn'
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
		child.stdout?.on('data', (chunk: Buffer) => (this.#log += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => (this.#log += chunk.toString()));
		this.#child = child;
		await expect
			.poll(
				async () => {
					if (child.exitCode !== null) throw new Error(`the server exited:\n${this.#log}`);
					return fetch(`${this.url}/healthz`).then(
						(r) => r.status,
						() => 0
					);
				},
				{ timeout: 30_000, message: 'the server answers /healthz' }
			)
			.toBe(200);
	}

	/** Sends `signal` and waits until the process is gone. */
	async stop(signal: NodeJS.Signals): Promise<void> {
		const child = this.#child;
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		child.kill(signal);
		await exited;
		this.#child = null;
	}
}

function status(page: Page, text: string) {
	return page.getByRole('status').filter({ hasText: text });
}

async function addStory(page: Page, title: string) {
	await page.getByLabel('New story title').fill(title);
	await page.getByRole('button', { name: 'Add story' }).click();
	await expect(backlogRow(page, title)).toBeVisible();
}

/** Marks the page; the mark is gone if the page was ever reloaded or navigated away. */
async function markPage(page: Page): Promise<void> {
	await page.evaluate(() => ((window as unknown as { unreloaded: boolean }).unreloaded = true));
}

async function neverReloaded(page: Page): Promise<boolean> {
	return page.evaluate(() => (window as unknown as { unreloaded?: boolean }).unreloaded === true);
}

for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
	test(`after a ${signal} and a restart, both people reconnect and keep editing without a reload`, async ({
		browser
	}) => {
		test.setTimeout(90_000);
		const dataDir = await mkdtemp(path.join(tmpdir(), 'scrumops-restart-'));
		const server = new ServerProcess(await freePort(), dataDir);
		const people: Person[] = [];
		try {
			await server.start();
			const board = await demoBoard(server.url, { secret: SECRET });
			const ana = await board.join(browser, 'Ana');
			const ben = await board.join(browser, 'Ben');
			people.push(ana, ben);
			for (const { page } of people) await markPage(page);

			const before = `Before the restart ${signal}`;
			await addStory(ana.page, before);
			await expect(backlogRow(ben.page, before)).toBeVisible({ timeout: 5_000 });

			await server.stop(signal);
			for (const { page } of people) {
				await expect(status(page, 'Offline: reconnecting to the server')).toBeVisible({
					timeout: 10_000
				});
				await expect(page.getByRole('status')).toHaveAttribute('data-status', 'offline');
			}

			// Ana keeps working while the server is down; her edit waits in her browser.
			const during = `Written while the server was down ${signal}`;
			await addStory(ana.page, during);

			await server.start();
			for (const { page } of people) {
				await expect(status(page, 'Connected')).toBeVisible({ timeout: 15_000 });
			}
			await expect(backlogRow(ben.page, during)).toBeVisible({ timeout: 5_000 });

			const after = `After the restart ${signal}`;
			await addStory(ben.page, after);
			await expect(backlogRow(ana.page, after)).toBeVisible({ timeout: 5_000 });
			await expect(backlogRow(ana.page, before)).toBeVisible();

			for (const { page } of people) expect(await neverReloaded(page)).toBe(true);
		} finally {
			for (const { context } of people) await context.close();
			await server.stop('SIGTERM');
			await rm(dataDir, { recursive: true, force: true });
		}
	});
}
