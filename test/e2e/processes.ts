/**
 * What the specs that run their own servers use: the real processes (test/helpers/processes.ts,
 * shared with vitest), a fresh PostgreSQL database, and page helpers.
 */
import { spawnSync } from 'node:child_process';
import { expect, type Page } from '@playwright/test';
import { backlogRow } from './support';

export { freePort, HaproxyProcess, RedisProcess, ServerProcess } from '../helpers/processes';

/** A fresh PostgreSQL database on the local server; `drop()` removes it. */
export async function freshDatabase(): Promise<{ url: string; drop(): void }> {
	const name = `scrumops_e2e_${process.pid}_${Date.now()}`;
	const psql = (sql: string) => {
		const run = spawnSync('psql', [
			'-h',
			'127.0.0.1',
			'-U',
			'postgres',
			'-d',
			'postgres',
			'-c',
			sql
		]);
		if (run.status !== 0) throw new Error(`psql failed: ${run.stderr?.toString()}`);
	};
	psql(`create database ${name}`);
	return {
		url: `postgres://postgres@127.0.0.1:5432/${name}`,
		drop: () => psql(`drop database if exists ${name} with (force)`)
	};
}

export async function addStory(page: Page, title: string): Promise<void> {
	await page.getByLabel('New story title').fill(title);
	await page.getByRole('button', { name: 'Add story' }).click();
	await expect(backlogRow(page, title)).toBeVisible();
}

/** Marks the page; the mark is gone if the page was ever reloaded or navigated away. */
export async function markPage(page: Page): Promise<void> {
	await page.evaluate(() => ((window as unknown as { unreloaded: boolean }).unreloaded = true));
}

export async function neverReloaded(page: Page): Promise<boolean> {
	return page.evaluate(() => (window as unknown as { unreloaded?: boolean }).unreloaded === true);
}
