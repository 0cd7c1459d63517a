/**
 * A bare WebSocket peer that sends exactly the bytes a test gives it: for malformed input,
 * fuzzing, and watching what the server answers frame by frame.
 */
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';

export interface Closed {
	code: number;
	reason: string;
}

export class RawClient {
	readonly ws: WebSocket;
	readonly frames: Uint8Array[] = [];
	readonly opened: Promise<void>;
	readonly closed: Promise<Closed>;

	constructor(url: string) {
		this.ws = new WebSocket(url);
		this.ws.binaryType = 'nodebuffer';
		this.opened = new Promise((resolve, reject) => {
			this.ws.once('open', () => resolve());
			this.ws.once('error', reject);
		});
		this.closed = new Promise((resolve) => {
			this.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
		});
		this.ws.on('error', () => {});
		this.ws.on('message', (data: Buffer) => this.frames.push(new Uint8Array(data)));
	}

	static async open(url: string): Promise<RawClient> {
		const client = new RawClient(url);
		await client.opened;
		return client;
	}

	send(bytes: Uint8Array | string): void {
		if (this.ws.readyState === WebSocket.OPEN) this.ws.send(bytes);
	}

	/** Permission-denied reasons received so far (frames `2,0,reason`). */
	permissionDenied(): string[] {
		return this.frames
			.filter((f) => f[0] === 2 && f[1] === 0)
			.map((f) => {
				const decoder = decoding.createDecoder(f);
				decoding.readVarUint(decoder);
				decoding.readVarUint(decoder);
				return decoding.readVarString(decoder);
			});
	}

	terminate(): void {
		this.ws.terminate();
	}
}

/** The HTTP status a WebSocket upgrade to `url` is refused with (or 101 when accepted). */
export function upgradeStatus(
	url: string,
	headers: Record<string, string> = {}
): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(url, { headers });
		ws.on('open', () => {
			ws.close();
			resolve({ status: 101, body: '' });
		});
		ws.on('unexpected-response', (_req, res) => {
			let body = '';
			res.on('data', (chunk: Buffer) => (body += chunk.toString()));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
		});
		ws.on('error', (error) => {
			if (!String(error.message).includes('Unexpected server response')) reject(error);
		});
	});
}
