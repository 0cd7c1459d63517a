/**
 * Time limits on the HTTP side: a client that never finishes its request headers (an upgrade's
 * included) or sends its body too slowly is cut off, while normal requests and WebSocket
 * connections, which outlive any request deadline, go on.
 */
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { eventually, startTestServer, synced, type TestServer } from '../helpers/server';

const HEADERS_TIMEOUT_MS = 300;
const REQUEST_TIMEOUT_MS = 600;

let server: TestServer;
let logs: string[];
const cleanups: (() => void)[] = [];

beforeEach(async () => {
	logs = [];
	server = await startTestServer({
		store: 'memory',
		headersTimeoutMs: HEADERS_TIMEOUT_MS,
		requestTimeoutMs: REQUEST_TIMEOUT_MS,
		logLevel: 'warn',
		logWrite: (line) => logs.push(line)
	});
});

afterEach(async () => {
	for (const cleanup of cleanups.splice(0)) cleanup();
	await server.close();
});

interface RawHttp {
	socket: net.Socket;
	/** Everything the server sent, once it closed the connection. */
	closed: Promise<string>;
}

/** A TCP connection to the server that sends exactly what the test writes. */
async function rawHttp(): Promise<RawHttp> {
	const { port } = new URL(server.httpUrl);
	const socket = net.connect(Number(port), '127.0.0.1');
	socket.on('error', () => {});
	cleanups.push(() => socket.destroy());
	let received = '';
	socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
	const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
	await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
	return { socket, closed };
}

describe('slow clients are cut off', () => {
	test('a request whose headers never end is answered 408 and closed', async () => {
		const client = await rawHttp();
		client.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow');
		expect(await client.closed).toMatch(/^HTTP\/1\.1 408 /);
	});

	test('an upgrade request whose headers never end is closed too', async () => {
		const client = await rawHttp();
		const token = await server.token('acme');
		client.socket.write(
			`GET /sync/acme?token=${token} HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
				'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n'
		);
		expect(await client.closed).toMatch(/^HTTP\/1\.1 408 /);
	});

	test('a POST whose body arrives too slowly is answered 408 or closed, and no error is logged', async () => {
		const client = await rawHttp();
		client.socket.write(
			'POST /api/boards HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
				'Content-Length: 200\r\n\r\n{"name": "Slow", "adminName": "Sid"'
		);
		// A byte of white space now and then keeps the connection busy but never finishes.
		const drip = setInterval(() => client.socket.write(' '), 50);
		cleanups.push(() => clearInterval(drip));
		const answer = await client.closed;
		clearInterval(drip);
		expect(answer === '' || /^HTTP\/1\.1 408 /.test(answer)).toBe(true);
		const errors = logs.filter((line) => JSON.parse(line).level === 'error');
		expect(errors).toEqual([]);
	});
});

describe('what is not slow keeps working', () => {
	test('a normal request, and a WebSocket older than the request deadline', async () => {
		const name = 'acme';
		const early = await server.connect(name);
		cleanups.push(() => early.destroy());
		await synced(early);
		let drops = 0;
		early.on('connection-close', () => drops++);

		// A request cut off at its deadline, started after the WebSocket opened: once it is
		// cut, the WebSocket has been open longer than any request may take.
		const slow = await rawHttp();
		slow.socket.write(
			'POST /api/boards HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
				'Content-Length: 10\r\n\r\n{'
		);
		await slow.closed;

		const health = await fetch(`${server.httpUrl}/healthz`);
		expect(health.status).toBe(200);
		expect((await health.json()).connections).toBe(1);

		const late = await server.connect(name);
		cleanups.push(() => late.destroy());
		await synced(late);
		// Presence travels over the early connection as it did before the deadline.
		late.awareness.setLocalStateField('user', { name: 'Late' });
		await eventually(() => early.awareness.getStates().get(late.doc.clientID)?.user, {
			what: 'the early connection sees who arrived after the deadline'
		});
		expect(drops).toBe(0);
	});
});
