import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { opsBoard } from './incident-board';
import { openView } from './support';

/** A receiver on 127.0.0.1 that records what it is sent and answers 200. */
async function receiver() {
	const received: { raw: string; signature: string }[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			received.push({
				raw: Buffer.concat(chunks).toString('utf8'),
				signature: String(req.headers['x-scrumops-signature'])
			});
			res.end('ok');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/hooks/acme`,
		received,
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

test('the admin sends work package openings to a webhook, reads its deliveries, and removes it', async ({
	browser
}) => {
	test.slow();
	const hook = await receiver();
	const board = await opsBoard(browser, 'Acme Webhooks');
	const { page } = board.admin;
	await openView(page, 'Members');
	const form = page.getByRole('form', { name: 'Add a webhook' });

	// A URL the server refuses: its reason, next to the form.
	await form.getByLabel('Receiver URL').fill('ftp://files.example/in');
	await form.getByRole('button', { name: 'Add webhook' }).click();
	await expect(form.getByRole('alert')).toHaveText(
		'url: only http:// and https:// URLs receive events.'
	);

	await form.getByLabel('Receiver URL').fill(`${hook.url}?key=s3cret`);
	for (const other of [
		'SLA at risk',
		'SLA breached',
		'Work package escalated',
		'Work package returned',
		'Work package completed',
		'Sprint over-committed (R1)',
		'Sprint closed'
	]) {
		await form.getByLabel(other).uncheck();
	}
	await form.getByRole('button', { name: 'Add webhook' }).click();
	const secret = await form.getByLabel('Signing secret (shown this once)').inputValue();
	expect(secret.length).toBeGreaterThanOrEqual(32);
	// Listed without the query, which may hold the receiver's own key.
	const listed = page
		.getByRole('region', { name: 'Webhooks' })
		.getByRole('listitem', { name: `Webhook to ${hook.url}` });
	await expect(listed).toContainText('Work package opened');
	await expect(page.getByText('s3cret')).toHaveCount(0);

	// Ana opens a work package; the receiver gets it, signed with the secret.
	const ana = await board.join('Ana', 'web');
	await openView(ana.page, 'Incidents');
	const create = ana.page.getByRole('form', { name: 'Open a work package' });
	await create.getByLabel('Title').fill('Checkout errors');
	await create.getByLabel('Story').selectOption({ label: 'First-level web support (recurring)' });
	await create.getByLabel('Severity').selectOption({ label: 'SEV3 — minor' });
	await create.getByRole('button', { name: 'Open work package' }).click();
	await expect.poll(() => hook.received.length, { timeout: 15_000 }).toBe(1);
	const [receipt] = hook.received;
	const body = JSON.parse(receipt!.raw);
	expect(body).toMatchObject({ type: 'work-package.opened', boardId: board.boardId });
	// One line a chat shows as it is, linking to the work package on the board.
	expect(body.text).toBe(
		`Work package opened: SEV3 'Checkout errors' on First-level web support. ` +
			`<${new URL(page.url()).origin}/board/${board.boardId}/incidents/${body.workPackageId}>`
	);
	expect(receipt!.signature).toBe(
		`sha256=${createHmac('sha256', secret).update(receipt!.raw).digest('hex')}`
	);

	// The delivery log says so.
	await listed.getByRole('button', { name: 'Deliveries' }).click();
	const log = page.getByRole('region', { name: `Deliveries to ${hook.url}` });
	const row = log.getByRole('row').filter({ hasText: 'Work package opened' });
	await expect(row).toContainText('delivered');
	await expect(row.getByRole('cell').nth(2)).toHaveText('1');
	await expect(row.getByRole('cell').nth(3)).toHaveText('200');

	await listed.getByRole('button', { name: `Remove the webhook to ${hook.url}` }).click();
	await expect(page.getByText('No webhook yet.')).toBeVisible();
	await expect(page.getByRole('status').filter({ hasText: 'Removed the webhook' })).toHaveText(
		`Removed the webhook to ${hook.url}: nothing more is sent to it.`
	);

	await ana.context.close();
	await board.admin.context.close();
	await hook.close();
});
