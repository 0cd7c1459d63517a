/**
 * One contract for every WebhookStore (server/store/webhooks.ts), run against the memory, SQLite
 * and PostgreSQL stores: webhooks, deliveries recorded once per webhook and event, attempts
 * claimed by one caller only, and the delivery log.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { PostgresStore } from '../../server/store/postgres';
import { SqliteStore } from '../../server/store/sqlite';
import {
	MemoryWebhookStore,
	type NewDelivery,
	type WebhookRecord,
	type WebhookStore
} from '../../server/store/webhooks';
import { createTestDatabase } from '../helpers/postgres';

const hook: WebhookRecord = {
	boardId: 'acme',
	id: 'hook-1',
	url: 'https://chat.example/hooks/abc?token=t0p',
	secret: 's'.repeat(43),
	events: ['sla.breached', 'sprint.closed'],
	createdAt: 1000
};

function delivery(eventId: string, createdAt: number, webhookId = 'hook-1'): NewDelivery {
	return {
		boardId: 'acme',
		webhookId,
		eventId,
		type: 'sprint.closed',
		body: JSON.stringify({ id: eventId }),
		createdAt
	};
}

function webhookContract(
	name: string,
	create: () => Promise<{ webhooks: WebhookStore; dispose(): Promise<void> }>
) {
	describe(`${name} (webhook store contract)`, () => {
		let webhooks: WebhookStore;
		let dispose: () => Promise<void>;
		beforeEach(async () => {
			({ webhooks, dispose } = await create());
		});
		afterEach(() => dispose());

		test('[S42] a webhook is kept with its URL, secret and events, per board', async () => {
			await webhooks.createWebhook(hook);
			await webhooks.createWebhook({
				...hook,
				id: 'hook-0',
				createdAt: 2000,
				events: ['sla.at-risk']
			});
			await webhooks.createWebhook({ ...hook, boardId: 'other', id: 'hook-9' });
			expect(await webhooks.webhooks('acme')).toEqual([
				hook,
				{ ...hook, id: 'hook-0', createdAt: 2000, events: ['sla.at-risk'] }
			]);
			expect(await webhooks.webhooks('nobody')).toEqual([]);
		});

		test('[S43] an occurrence is recorded once per webhook, however often it is enqueued', async () => {
			await webhooks.createWebhook(hook);
			expect(await webhooks.enqueue([delivery('e1', 5000), delivery('e2', 5001)])).toBe(2);
			expect(await webhooks.enqueue([delivery('e1', 6000), delivery('e3', 6001)])).toBe(1);
			expect(await webhooks.enqueue([delivery('e1', 6000, 'hook-2')])).toBe(1);
			const log = await webhooks.deliveries('acme', 'hook-1', 10);
			expect(log.map((d) => d.eventId)).toEqual(['e3', 'e2', 'e1']);
			expect(log[2]).toEqual({
				...delivery('e1', 5000),
				status: 'pending',
				attempts: 0,
				lastStatusCode: null,
				lastError: null,
				nextAttemptAt: 5000,
				deliveredAt: null
			});
			expect(await webhooks.deliveries('acme', 'hook-1', 1)).toHaveLength(1);
		});

		test('[S44] an attempt is taken by one caller only, and only when due', async () => {
			await webhooks.enqueue([delivery('e1', 5000)]);
			expect(await webhooks.due('acme', 4999, 10)).toEqual([]);
			expect((await webhooks.due('acme', 5000, 10)).map((d) => d.eventId)).toEqual(['e1']);
			const claims = await Promise.all([
				webhooks.claimAttempt('hook-1', 'e1', 0, 5000, 15_000),
				webhooks.claimAttempt('hook-1', 'e1', 0, 5000, 15_000)
			]);
			expect(claims.sort()).toEqual([false, true]);
			// Held while the attempt runs: not due again until the hold ends.
			expect(await webhooks.due('acme', 14_999, 10)).toEqual([]);
			expect(await webhooks.claimAttempt('hook-1', 'e1', 1, 14_999, 20_000)).toBe(false);
			expect((await webhooks.due('acme', 15_000, 10))[0]).toMatchObject({ attempts: 1 });
		});

		test('[S45] a settled attempt is logged; a stale one changes nothing', async () => {
			await webhooks.enqueue([delivery('e1', 5000)]);
			await webhooks.claimAttempt('hook-1', 'e1', 0, 5000, 15_000);
			await webhooks.settleAttempt('hook-1', 'e1', 1, {
				status: 'pending',
				statusCode: 500,
				error: null,
				nextAttemptAt: 6000,
				deliveredAt: null
			});
			expect(await webhooks.claimAttempt('hook-1', 'e1', 1, 6000, 16_000)).toBe(true);
			// The first attempt reporting late does not overwrite the second.
			await webhooks.settleAttempt('hook-1', 'e1', 1, {
				status: 'failed',
				statusCode: null,
				error: 'late',
				nextAttemptAt: null,
				deliveredAt: null
			});
			await webhooks.settleAttempt('hook-1', 'e1', 2, {
				status: 'delivered',
				statusCode: 204,
				error: null,
				nextAttemptAt: null,
				deliveredAt: 6100
			});
			expect((await webhooks.deliveries('acme', 'hook-1', 10))[0]).toMatchObject({
				status: 'delivered',
				attempts: 2,
				lastStatusCode: 204,
				lastError: null,
				nextAttemptAt: null,
				deliveredAt: 6100
			});
			expect(await webhooks.due('acme', 99_999, 10)).toEqual([]);
		});

		test('[S47] the boards with deliveries still pending are listed, sorted', async () => {
			expect(await webhooks.pendingBoards(10)).toEqual([]);
			await webhooks.enqueue([
				delivery('e1', 5000),
				{ ...delivery('e2', 5000), boardId: 'beta', webhookId: 'hook-b' },
				{ ...delivery('e3', 5000), boardId: 'zeta', webhookId: 'hook-z' }
			]);
			await webhooks.claimAttempt('hook-z', 'e3', 0, 5000, 6000);
			await webhooks.settleAttempt('hook-z', 'e3', 1, {
				status: 'delivered',
				statusCode: 200,
				error: null,
				nextAttemptAt: null,
				deliveredAt: 5100
			});
			expect(await webhooks.pendingBoards(10)).toEqual(['acme', 'beta']);
			expect(await webhooks.pendingBoards(1)).toEqual(['acme']);
		});

		test('[S46] removing a webhook removes its deliveries, on its board only', async () => {
			await webhooks.createWebhook(hook);
			await webhooks.enqueue([delivery('e1', 5000)]);
			expect(await webhooks.deleteWebhook('other', 'hook-1')).toBe(false);
			expect(await webhooks.deleteWebhook('acme', 'hook-1')).toBe(true);
			expect(await webhooks.deleteWebhook('acme', 'hook-1')).toBe(false);
			expect(await webhooks.webhooks('acme')).toEqual([]);
			expect(await webhooks.deliveries('acme', 'hook-1', 10)).toEqual([]);
			expect(await webhooks.due('acme', 99_999, 10)).toEqual([]);
		});
	});
}

webhookContract('MemoryWebhookStore', async () => ({
	webhooks: new MemoryWebhookStore(),
	dispose: async () => {}
}));

webhookContract('SqliteWebhookStore', async () => {
	const dir = await mkdtemp(join(tmpdir(), 'scrumops-webhooks-'));
	const store = SqliteStore.open(dir);
	return {
		webhooks: store.webhooks(),
		dispose: async () => {
			await store.close();
			await rm(dir, { recursive: true, force: true });
		}
	};
});

webhookContract('PostgresWebhookStore', async () => {
	const database = await createTestDatabase();
	const store = await PostgresStore.open(database.url);
	return {
		webhooks: store.webhooks(),
		dispose: async () => {
			await store.close();
			await database.drop();
		}
	};
});
