/**
 * A redis-server of a test's own, on a free port, without persistence: stopped and started
 * again at will (same port) to try what the server does while Redis is away. The machine's
 * shared Redis is left alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

export interface TestRedis {
	readonly url: string;
	readonly port: number;
	/** Whether it is running now. */
	readonly running: boolean;
	/** Stops it (SIGKILL: connections drop as in a crash); resolves once it has exited. */
	stop(): Promise<void>;
	/** Starts it again on the same port; resolves once it accepts connections. */
	start(): Promise<void>;
	close(): Promise<void>;
}

export async function startTestRedis(): Promise<TestRedis> {
	const port = await freePort();
	let child: ChildProcess | null = null;

	const start = async () => {
		if (child) return;
		const started = spawn(
			'redis-server',
			['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
			{ stdio: ['ignore', 'pipe', 'pipe'] }
		);
		child = started;
		await new Promise<void>((resolve, reject) => {
			let output = '';
			const onData = (chunk: Buffer) => {
				output += chunk.toString();
				if (output.includes('Ready to accept connections')) {
					started.stdout!.off('data', onData);
					started.stdout!.resume();
					resolve();
				}
			};
			started.stdout!.on('data', onData);
			started.stderr!.resume();
			started.once('exit', (code) =>
				reject(new Error(`redis-server exited with ${code}: ${output}`))
			);
		});
	};
	const stop = async () => {
		const running = child;
		if (!running) return;
		child = null;
		const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
		running.kill('SIGKILL');
		await exited;
	};
	await start();
	return {
		url: `redis://127.0.0.1:${port}`,
		port,
		get running() {
			return child !== null;
		},
		stop,
		start,
		close: stop
	};
}

/** A port nothing listens on now (the kernel's pick for port 0). */
function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}
