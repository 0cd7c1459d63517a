import { expect, test } from '@playwright/test';
import { PROBE_FAILURE } from '../helpers/alertmanager-payloads';
import { incident, openIncident } from './incident-board';
import { openDemo, openView } from './support';

const TITLE = 'BlackBox Probe Failure: https://server.example.org';

test('the admin connects Alertmanager from the Members view; a firing alert opens an incident showing what fires; revoking stops the token', async ({
	browser
}) => {
	const admin = await openDemo(browser, 'Ada');
	await openView(admin.page, 'Members');
	const form = admin.page.getByRole('form', { name: 'Take alerts from Alertmanager' });
	await form.getByLabel('Name').fill('Prometheus production');
	await form.getByRole('button', { name: 'Create integration' }).click();
	await expect(form.getByRole('status')).toContainText('shown this once');

	// The receiver to paste into alertmanager.yml carries the intake's address and the token.
	const receiver = await form.getByLabel('Alertmanager receiver').inputValue();
	const url = /url: "([^"]+)"/.exec(receiver)?.[1];
	const token = /credentials: "([^"]+)"/.exec(receiver)?.[1];
	expect(url).toBe(new URL(`/api/boards/${admin.boardId}/alerts`, admin.page.url()).href);
	expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
	const list = admin.page.getByRole('region', { name: 'Alert integrations' });
	await expect(list.getByRole('listitem', { name: 'Prometheus production' })).toBeVisible();

	// Alertmanager posts a firing group: an incident opens, showing the alert.
	const post = () =>
		admin.page.request.post(url!, {
			headers: { authorization: `Bearer ${token}` },
			data: PROBE_FAILURE
		});
	expect((await post()).status()).toBe(200);
	await openIncident(admin.page, TITLE);
	await expect(incident(admin.page, TITLE).getByTestId('alert')).toContainText(
		'Firing: ProbeFailure on https://server.example.org'
	);
	await expect(
		incident(admin.page, TITLE).getByRole('link', { name: 'Where the alert comes from' })
	).toHaveAttribute('href', /^http:\/\/prometheus\.example\.org:9090\/graph/);

	// Revoked, the token opens nothing.
	await openView(admin.page, 'Members');
	await list.getByRole('button', { name: 'Revoke Prometheus production' }).click();
	await expect(list.getByRole('status')).toContainText('posts no more alerts');
	expect((await post()).status()).toBe(401);

	await admin.context.close();
});
