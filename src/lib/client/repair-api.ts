/**
 * The board's rejected parts and its repair, as typed calls: GET /api/boards/:id/rejected (any
 * member) and POST /api/boards/:id/repair (the admin). Answers are checked against the shared
 * schemas (domain/board-repair.ts); every failure is an ApiError with the server's sentence.
 */
import { RejectedReport, RepairReport } from '../domain/board-repair';
import { ApiError } from './api';

type Fetch = typeof fetch;

/** What the server's readers reject on this board, and what Repair board would remove. */
export async function rejectedApi(
	boardId: string,
	token: string,
	fetcher: Fetch = fetch
): Promise<RejectedReport> {
	const payload = await send(
		fetcher,
		'GET',
		`/api/boards/${encodeURIComponent(boardId)}/rejected`,
		token
	);
	return checked(RejectedReport, payload, 'the list of rejected parts');
}

/** Removes every part of the board that breaks the document contract (the admin only). */
export async function repairBoardApi(
	boardId: string,
	token: string,
	fetcher: Fetch = fetch
): Promise<RepairReport> {
	const payload = await send(
		fetcher,
		'POST',
		`/api/boards/${encodeURIComponent(boardId)}/repair`,
		token
	);
	return checked(RepairReport, payload, 'the result of the repair');
}

async function send(
	fetcher: Fetch,
	method: 'GET' | 'POST',
	path: string,
	token: string
): Promise<unknown> {
	let response: Response;
	try {
		response = await fetcher(path, { method, headers: { authorization: `Bearer ${token}` } });
	} catch {
		throw new ApiError('The server cannot be reached; check your connection and try again.', 0);
	}
	const payload: unknown = await response.json().catch(() => null);
	if (!response.ok) {
		const fromApi = !!payload && typeof payload === 'object' && 'error' in payload;
		throw new ApiError(
			fromApi
				? String((payload as { error: unknown }).error)
				: `The server answered ${response.status}; try again.`,
			response.status,
			fromApi
		);
	}
	return payload;
}

function checked<T>(
	schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
	payload: unknown,
	what: string
): T {
	const parsed = schema.safeParse(payload);
	if (!parsed.success) {
		throw new ApiError(
			`The server sent ${what} in a form this page cannot read; reload the page.`,
			200
		);
	}
	return parsed.data;
}
