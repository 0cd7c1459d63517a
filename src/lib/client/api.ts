/**
 * The board access API (POST /api/boards, invites, join, session, connection tickets, members)
 * as typed calls. Every failure becomes an ApiError carrying the server's sentence, ready to
 * show next to the control.
 */
import { z } from 'zod';
import { BacklogPreview } from '../domain/backlog-preview';
import type { Role } from '../domain/schema';

export class ApiError extends Error {
	override readonly name = 'ApiError';
	constructor(
		message: string,
		readonly status: number,
		/** False when the answer did not come from the access API (e.g. a route it lacks). */
		readonly fromApi = true
	) {
		super(message);
	}
}

export interface Joined {
	boardId: string;
	personId: string;
	token: string;
	teams?: string[];
	roles?: Role[];
}

export interface SessionInfo {
	boardId: string;
	personId: string;
	name: string;
	teams: string[];
	roles: Role[];
	admin: boolean;
	expiresAt: string | null;
}

/** Someone who joined the board, as the server's member list has them. */
export interface Member {
	personId: string;
	name: string;
	teams: string[];
	roles: Role[];
	admin: boolean;
	joinedAt: string;
	/** When the admin removed them; null while they are a member. */
	removedAt: string | null;
}

/** An invite link that still lets people join: neither revoked nor expired. */
export interface OpenInvite {
	id: string;
	teamId: string | null;
	role: Role;
	/** The admin who made it, by name; null if they are no longer on record. */
	createdBy: string | null;
	createdAt: string;
	expiresAt: string;
}

/**
 * `POST /api/boards/:id/tickets`: what a browser's WebSocket carries (`?ticket=`) instead of the
 * session token. It opens one connection to the board, once, within seconds.
 */
export const ConnectionTicket = z.object({
	ticket: z.string().min(1),
	/** ISO instant after which the server refuses it. */
	expiresAt: z.string()
});
export type ConnectionTicket = z.infer<typeof ConnectionTicket>;

type Fetch = typeof fetch;

async function call<T>(
	fetcher: Fetch,
	path: string,
	init: {
		method: 'GET' | 'POST' | 'DELETE';
		body?: unknown;
		token?: string;
		signal?: AbortSignal;
	}
): Promise<T> {
	const headers: Record<string, string> = {};
	if (init.body !== undefined) headers['content-type'] = 'application/json';
	if (init.token) headers.authorization = `Bearer ${init.token}`;
	let response: Response;
	try {
		response = await fetcher(path, {
			method: init.method,
			headers,
			body: init.body === undefined ? undefined : JSON.stringify(init.body),
			signal: init.signal
		});
	} catch {
		throw new ApiError('The server cannot be reached; check your connection and try again.', 0);
	}
	const payload: unknown = response.status === 204 ? null : await response.json().catch(() => null);
	if (!response.ok) {
		const fromApi = !!payload && typeof payload === 'object' && 'error' in payload;
		const sentence = fromApi
			? String((payload as { error: unknown }).error)
			: `The server answered ${response.status}; try again.`;
		throw new ApiError(sentence, response.status, fromApi);
	}
	return payload as T;
}

/** Creates a board; its creator becomes the admin. */
export function createBoardApi(
	input: { name: string; adminName: string },
	fetcher: Fetch = fetch
): Promise<Joined> {
	return call(fetcher, '/api/boards', { method: 'POST', body: input });
}

/** Joins a board with an invite, or the demo board without one (optionally as a team member). */
export function joinBoardApi(
	boardId: string,
	input: { name: string; invite?: string; teamId?: string; role?: Role },
	fetcher: Fetch = fetch
): Promise<Joined> {
	return call(fetcher, `/api/boards/${encodeURIComponent(boardId)}/join`, {
		method: 'POST',
		body: input
	});
}

/** Creates an invite link (admins only). */
export function createInviteApi(
	boardId: string,
	token: string,
	input: { teamId: string | null; role: Role; expiresInDays?: number },
	fetcher: Fetch = fetch
): Promise<{ id: string; invite: string; path: string; expiresAt: string }> {
	return call(fetcher, `/api/boards/${encodeURIComponent(boardId)}/invites`, {
		method: 'POST',
		body: input,
		token
	});
}

/** The invite links that still work, newest first (admins only). */
export function invitesApi(
	boardId: string,
	token: string,
	fetcher: Fetch = fetch
): Promise<OpenInvite[]> {
	return call(fetcher, `/api/boards/${encodeURIComponent(boardId)}/invites`, {
		method: 'GET',
		token
	});
}

/** Revokes an invite link (admins only): nobody else can join with it. */
export async function revokeInviteApi(
	boardId: string,
	token: string,
	inviteId: string,
	fetcher: Fetch = fetch
): Promise<void> {
	await call<null>(
		fetcher,
		`/api/boards/${encodeURIComponent(boardId)}/invites/${encodeURIComponent(inviteId)}`,
		{ method: 'DELETE', token }
	);
}

/** What the server knows of a session; 401 means the person must join again. */
export function sessionApi(
	boardId: string,
	token: string,
	fetcher: Fetch = fetch
): Promise<SessionInfo> {
	return call(fetcher, `/api/boards/${encodeURIComponent(boardId)}/session`, {
		method: 'GET',
		token
	});
}

/** A fresh single-use ticket for one WebSocket connection to the board. */
export async function connectionTicketApi(
	boardId: string,
	token: string,
	{ fetcher = fetch, signal }: { fetcher?: Fetch; signal?: AbortSignal } = {}
): Promise<ConnectionTicket> {
	const payload = await call<unknown>(
		fetcher,
		`/api/boards/${encodeURIComponent(boardId)}/tickets`,
		{ method: 'POST', token, signal }
	);
	const parsed = ConnectionTicket.safeParse(payload);
	if (!parsed.success) {
		throw new ApiError('The server sent a connection ticket this page cannot read.', 201, false);
	}
	return parsed.data;
}

/** Everyone who joined the board, removed members included. */
export function membersApi(
	boardId: string,
	token: string,
	fetcher: Fetch = fetch
): Promise<Member[]> {
	return call(fetcher, `/api/boards/${encodeURIComponent(boardId)}/members`, {
		method: 'GET',
		token
	});
}

/** Removes a member (admins only): their connections close and their token stops working. */
export async function removeMemberApi(
	boardId: string,
	token: string,
	personId: string,
	fetcher: Fetch = fetch
): Promise<void> {
	await call<null>(
		fetcher,
		`/api/boards/${encodeURIComponent(boardId)}/members/${encodeURIComponent(personId)}`,
		{ method: 'DELETE', token }
	);
}

/**
 * The top of the backlog as the server has it, for showing while the board document loads.
 * Checked against its schema: it is shown as board content.
 */
export async function backlogPreviewApi(
	boardId: string,
	token: string,
	limit: number,
	fetcher: Fetch = fetch
): Promise<BacklogPreview> {
	const payload = await call<unknown>(
		fetcher,
		`/api/boards/${encodeURIComponent(boardId)}/backlog?limit=${limit}`,
		{ method: 'GET', token }
	);
	const parsed = BacklogPreview.safeParse(payload);
	if (!parsed.success) throw new ApiError('The server sent a backlog this page cannot read.', 200);
	return parsed.data;
}
