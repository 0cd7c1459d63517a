/**
 * Follows a board's members live: `GET /api/boards/:id/members/live` read as a stream, with the
 * session token in the Authorization header (an EventSource could only put it in the address).
 * `onChange` runs at once and after every change the server announces; a dropped stream is
 * opened again after a pause, and announces a change on reconnecting, since some may be missed.
 */
import { MembersChanged } from '../contract/http';

const RETRY_MS = 2_000;

/** Calls `onChange` on every change of the board's members or requests until `stop()`. */
export function followMembers(
	boardId: string,
	token: string,
	onChange: () => void,
	{ fetcher = fetch, retryMs = RETRY_MS }: { fetcher?: typeof fetch; retryMs?: number } = {}
): () => void {
	const controller = new AbortController();
	let retry: ReturnType<typeof setTimeout> | undefined;

	async function listen(): Promise<void> {
		try {
			const response = await fetcher(`/api/boards/${encodeURIComponent(boardId)}/members/live`, {
				headers: { authorization: `Bearer ${token}` },
				signal: controller.signal
			});
			if (!response.ok || !response.body) throw new Error(`members stream: ${response.status}`);
			const reader = response.body.getReader();
			const decoder = new TextDecoder();
			let buffered = '';
			for (;;) {
				const { value, done } = await reader.read();
				if (done) break;
				buffered += decoder.decode(value, { stream: true });
				let end: number;
				while ((end = buffered.indexOf('\n\n')) !== -1) {
					const event = buffered.slice(0, end);
					buffered = buffered.slice(end + 2);
					const data = /^data: (.*)$/m.exec(event)?.[1];
					if (data && MembersChanged.safeParse(JSON.parse(data)).success) onChange();
				}
			}
		} catch {
			// Dropped, refused or stopped: try again below unless stopped.
		}
		if (!controller.signal.aborted) retry = setTimeout(() => void listen(), retryMs);
	}

	void listen();
	return () => {
		controller.abort();
		clearTimeout(retry);
	};
}
