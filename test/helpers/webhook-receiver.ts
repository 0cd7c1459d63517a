/**
 * A real HTTP receiver for outbound webhooks on 127.0.0.1: it records every request it gets
 * (headers and the raw body) and answers with the statuses it is told, 200 once they run out.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Receipt {
	headers: http.IncomingHttpHeaders;
	/** The body exactly as received, for checking the signature. */
	raw: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of several shapes, checked by each test
	body: any;
	/** The status this receiver answered with. */
	answered: number;
}

export interface WebhookReceiver {
	/** `http://127.0.0.1:<port>/hooks/<path>` */
	url(path?: string): string;
	readonly receipts: Receipt[];
	/** Answers the next requests with these statuses, in order (then 200 again). */
	answerNext(...statuses: number[]): void;
	/** Receipts of event `id`. */
	of(id: string): Receipt[];
	close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
	const receipts: Receipt[] = [];
	const answers: number[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			const answered = answers.shift() ?? 200;
			let body: unknown = null;
			try {
				body = JSON.parse(raw);
			} catch {
				// Recorded as null: the test says what it expected.
			}
			receipts.push({ headers: req.headers, raw, body, answered });
			res.writeHead(answered, { 'content-type': 'text/plain' });
			res.end(answered < 300 ? 'ok' : 'not now');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: (path = 'board') => `http://127.0.0.1:${port}/hooks/${path}`,
		receipts,
		answerNext: (...statuses) => void answers.push(...statuses),
		of: (id) => receipts.filter((receipt) => receipt.body?.id === id),
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}
