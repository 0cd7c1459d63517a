/**
 * Hostile notifications at the alert intake, over real HTTP: any bytes, any JSON, the documented
 * payload with a field replaced by anything, or a body over the limit. Each is answered with a
 * refusal that says why (400, 413 or 415) or, when it is in fact a valid notification, accepted;
 * a refused one writes nothing, and the intake keeps answering.
 */
import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, expect } from 'vitest';
import {
	AlertmanagerPayload,
	AlertsAccepted,
	ErrorBody,
	MAX_ALERT_BODY_BYTES
} from '../../src/lib/contract';
import { alertBoard, createIntegration, type AlertBoard } from '../helpers/alert-board';
import { PROBE_FAILURE } from '../helpers/alertmanager-payloads';
import { eventually, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
let board: AlertBoard;
let intake: { token: string; url: string };

beforeAll(async () => {
	server = await startTestServer({ alertLimit: { perMinute: 60_000, burst: 10_000 } });
	board = await alertBoard(server);
	intake = await createIntegration(server, board);
});

afterAll(async () => {
	board.admin.destroy();
	await server.close();
});

const FIELDS = [
	'version',
	'groupKey',
	'status',
	'alerts',
	'commonLabels',
	'groupLabels',
	'commonAnnotations',
	'truncatedAlerts',
	'externalURL'
] as const;

const body = fc.oneof(
	// Anything a client might send as bytes.
	fc.string({ maxLength: 200 }).map((text) => ({ raw: text })),
	// Any JSON value.
	fc.jsonValue({ maxDepth: 4 }).map((value) => ({ raw: JSON.stringify(value) })),
	// The documented payload with one field replaced by any JSON value.
	fc
		.record({ field: fc.constantFrom(...FIELDS), value: fc.jsonValue({ maxDepth: 3 }) })
		.map(({ field, value }) => ({ raw: JSON.stringify({ ...PROBE_FAILURE, [field]: value }) })),
	// One alert with a hostile label or annotation.
	fc
		.record({ name: fc.string({ maxLength: 200 }), value: fc.string({ maxLength: 5000 }) })
		.map(({ name, value }) => ({
			raw: JSON.stringify({
				...PROBE_FAILURE,
				alerts: [{ ...PROBE_FAILURE.alerts[0], labels: { [name]: value } }]
			})
		})),
	// Over the size limit.
	fc.integer({ min: 1, max: 1024 }).map((extra) => ({
		raw: JSON.stringify({ ...PROBE_FAILURE, padding: 'x'.repeat(MAX_ALERT_BODY_BYTES + extra) })
	}))
);

test.prop([body], { numRuns: 60 })(
	'[AI22] a hostile notification is refused with a reason and writes nothing, or is a valid one',
	async ({ raw }) => {
		const before = board.workPackages().length;
		const response = await fetch(`${server.httpUrl}${intake.url}`, {
			method: 'POST',
			headers: { authorization: `Bearer ${intake.token}`, 'content-type': 'application/json' },
			body: raw
		});
		const answer: unknown = await response.json();
		const valid = isValidNotification(raw);
		if (valid && Buffer.byteLength(raw) <= MAX_ALERT_BODY_BYTES) {
			expect(response.status).toBe(200);
			// Seen on the board before the next run counts work packages.
			const { workPackageId } = AlertsAccepted.parse(answer);
			await eventually(
				() => workPackageId === null || board.workPackages().some((w) => w.id === workPackageId)
			);
			return;
		}
		expect([400, 413]).toContain(response.status);
		expect(ErrorBody.parse(answer).error.length).toBeGreaterThan(10);
		expect(board.workPackages().length).toBe(before);
	}
);

test('[AI23] after hostile notifications the intake still takes a valid one', async () => {
	const response = await fetch(`${server.httpUrl}${intake.url}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${intake.token}`, 'content-type': 'application/json' },
		body: JSON.stringify({ ...PROBE_FAILURE, groupKey: 'after the storm' })
	});
	expect(response.status).toBe(200);
});

function isValidNotification(raw: string): boolean {
	try {
		return AlertmanagerPayload.safeParse(JSON.parse(raw)).success;
	} catch {
		return false;
	}
}
