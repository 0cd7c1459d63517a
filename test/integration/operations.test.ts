/**
 * What an operator sees: health with rooms, connections and the store; Prometheus metrics that
 * move with traffic, persistence, validation and findings.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import * as op from '../../src/lib/sync/operations';
import { BoardClient } from '../helpers/board-client';
import { fixedContext } from '../helpers/op-context';
import { RawClient } from '../helpers/raw-client';
import { eventually, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;

beforeEach(async () => {
	server = await startTestServer();
});

afterEach(async () => {
	await server.close();
});

async function metrics(): Promise<string> {
	const response = await fetch(`${server.httpUrl}/metrics`);
	expect(response.headers.get('content-type')).toContain('text/plain');
	return response.text();
}

function value(text: string, series: string): number {
	const line = text.split('\n').find((l) => l.startsWith(`${series} `));
	return line ? Number(line.slice(series.length + 1)) : Number.NaN;
}

test('health reports rooms, connections and the store', async () => {
	const board = await BoardClient.open(server, 'acme');
	await board.synced();
	const response = await fetch(`${server.httpUrl}/healthz`);
	expect(response.status).toBe(200);
	expect(await response.json()).toEqual({
		status: 'ok',
		rooms: 1,
		connections: 1,
		store: { ok: true, kind: 'sqlite' }
	});
	board.destroy();
});

test('metrics count connections, traffic, persistence, validation and findings by rule', async () => {
	const board = await BoardClient.open(server, 'acme');
	await board.synced();
	const ctx = fixedContext('m');
	op.createBoard(board.docs, ctx, { name: 'Acme' });
	op.createTeam(board.docs, ctx, { name: 'Tiny', velocity: 10 });
	await eventually(() => board.publishedFindings().some((f) => f.rule === 'R15'), {
		what: 'R15 published'
	});
	const bad = await RawClient.open(await server.url('acme'));
	bad.send('not binary');
	await bad.closed;

	const text = await metrics();
	expect(value(text, 'scrumops_connections')).toBeGreaterThanOrEqual(2);
	expect(value(text, 'scrumops_rooms')).toBeGreaterThanOrEqual(2);
	expect(value(text, 'scrumops_updates_relayed_total')).toBeGreaterThan(0);
	expect(value(text, 'scrumops_bytes_received_total')).toBeGreaterThan(0);
	expect(value(text, 'scrumops_rejections_total')).toBe(1);
	expect(value(text, 'scrumops_persistence_seconds_count')).toBeGreaterThan(0);
	expect(value(text, 'scrumops_validation_seconds_count')).toBeGreaterThan(0);
	expect(text).toContain('scrumops_connections_closed_total{code="1003"} 1');
	expect(text).toContain('scrumops_findings{board="acme",rule="R15",severity="info"} 1');
	expect(text).toContain('scrumops_process_resident_memory_bytes');
	board.destroy();
});

test('the shared clock answers the server time, never cached', async () => {
	const before = Date.now();
	const response = await fetch(`${server.httpUrl}/api/time`);
	const { now } = (await response.json()) as { now: number };
	expect(response.headers.get('cache-control')).toBe('no-store');
	expect(now).toBeGreaterThanOrEqual(before);
	expect(now).toBeLessThanOrEqual(Date.now());
});

test('refused upgrades are counted by status', async () => {
	const { upgradeStatus } = await import('../helpers/raw-client');
	expect((await upgradeStatus(`${server.syncUrl}/acme`)).status).toBe(401);
	expect(await metrics()).toContain('scrumops_upgrades_refused_total{status="401"} 1');
});
