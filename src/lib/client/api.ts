/**
 * The board's HTTP API as typed calls: creating and joining boards, sessions and connection
 * tickets, invites and members, the backlog preview, and the board's rejected parts and repair.
 * Every answer is read with its schema of the contract (src/lib/contract/http.ts); every
 * failure becomes an ApiError carrying the server's sentence, ready to show next to the control,
 * and the refusal's code.
 */
import type { z } from 'zod';
import {
	IntegrationCreated,
	Integrations,
	type Integration,
	type IntegrationRequest
} from '../contract/alerts';
import {
	BacklogPreview,
	BoardCreated,
	ChangeRequest,
	ChangeRequests,
	ConnectionTicket,
	ErrorBody,
	InviteCreated,
	Joined,
	Member as MemberSchema,
	Members,
	NoContent,
	OpenInvites,
	RejectedReport,
	RepairReport,
	SessionInfo,
	type ChangeRequestBody,
	type CreateBoardRequest,
	type ErrorCode,
	type InviteRequest,
	type JoinRequest,
	type Member,
	type MemberEdit,
	type OpenDemoRequest,
	type OpenInvite,
	type RequestDecision
} from '../contract/http';
import { BoardImported, JiraImportAnswer, type JiraImportRequest } from '../contract/exchange';
import {
	Deliveries,
	WebhookCreated,
	Webhooks,
	type CreateWebhookRequest,
	type Delivery,
	type Webhook
} from '../contract/webhooks';

export type { Integration, IntegrationCreated, IntegrationRequest };
export type {
	BoardCreated,
	BoardImported,
	JiraImportAnswer,
	ChangeRequest,
	ConnectionTicket,
	Joined,
	Member,
	OpenInvite,
	SessionInfo
};

export class ApiError extends Error {
	override readonly name = 'ApiError';
	constructor(
		message: string,
		readonly status: number,
		/** False when the answer did not come from the API (e.g. a route it lacks). */
		readonly fromApi = true,
		/** The refusal's code, when the server gave one (src/lib/contract/http.ts). */
		readonly code?: ErrorCode
	) {
		super(message);
	}
}

type Fetch = typeof fetch;

/**
 * One request to the API, its answer read with `schema`. A refusal throws an ApiError with the
 * server's sentence and code; an answer this page cannot read throws one that says so, named by
 * `what` ("the list of members").
 */
async function call<S extends z.ZodType>(
	fetcher: Fetch,
	path: string,
	schema: S,
	what: string,
	init: {
		method: 'GET' | 'POST' | 'DELETE';
		body?: unknown;
		token?: string;
		signal?: AbortSignal;
	}
): Promise<z.output<S>> {
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
	if (!response.ok) throw refusal(response.status, payload);
	const parsed = schema.safeParse(payload);
	if (!parsed.success) {
		throw new ApiError(
			`The server sent ${what} in a form this page cannot read; reload the page.`,
			response.status,
			false
		);
	}
	return parsed.data;
}

/** The ApiError of a refused request: the error body's sentence and code, when it has one. */
function refusal(status: number, payload: unknown): ApiError {
	const body = ErrorBody.safeParse(payload);
	if (body.success) return new ApiError(body.data.error, status, true, body.data.code);
	// A code this page does not know yet (a newer server): the sentence still says what to do.
	const sentence = ErrorBody.pick({ error: true }).safeParse(payload);
	if (sentence.success) return new ApiError(sentence.data.error, status, true);
	return new ApiError(`The server answered ${status}; try again.`, status, false);
}

const boardPath = (boardId: string, rest: string) =>
	`/api/boards/${encodeURIComponent(boardId)}/${rest}`;

/** Creates a board; its creator becomes the admin. */
export function createBoardApi(
	input: CreateBoardRequest,
	fetcher: Fetch = fetch
): Promise<BoardCreated> {
	return call(fetcher, '/api/boards', BoardCreated, 'the new board', {
		method: 'POST',
		body: input
	});
}

/** Joins a board with an invite, or the demo board without one (optionally as a team member). */
export function joinBoardApi(
	boardId: string,
	input: JoinRequest,
	fetcher: Fetch = fetch
): Promise<Joined> {
	return call(fetcher, boardPath(boardId, 'join'), Joined, 'your session', {
		method: 'POST',
		body: input
	});
}

/** Opens the demo: this browser's sandbox again (`resume`), or a fresh copy of the demo board. */
export function openDemoApi(input: OpenDemoRequest, fetcher: Fetch = fetch): Promise<Joined> {
	return call(fetcher, '/api/demo', Joined, 'your demo board', { method: 'POST', body: input });
}

/** Changes a member: one's own name, or (the admin) anyone's name, teams and roles. */
export function editMemberApi(
	boardId: string,
	token: string,
	personId: string,
	edit: MemberEdit,
	fetcher: Fetch = fetch
): Promise<Member> {
	return call(
		fetcher,
		boardPath(boardId, `members/${encodeURIComponent(personId)}`),
		MemberSchema,
		'the changed member',
		{ method: 'POST', body: edit, token }
	);
}

/** Asks to have these teams and roles; the admin or the teams' Scrum Master decides. */
export function requestChangeApi(
	boardId: string,
	token: string,
	wanted: ChangeRequestBody,
	fetcher: Fetch = fetch
): Promise<ChangeRequest> {
	return call(fetcher, boardPath(boardId, 'requests'), ChangeRequest, 'your request', {
		method: 'POST',
		body: wanted,
		token
	});
}

/** The board's requests to change team or role, newest first. */
export function changeRequestsApi(
	boardId: string,
	token: string,
	fetcher: Fetch = fetch
): Promise<ChangeRequest[]> {
	return call(fetcher, boardPath(boardId, 'requests'), ChangeRequests, 'the requests', {
		method: 'GET',
		token
	});
}

/** Approves, declines or (one's own) withdraws a request. */
export function decideRequestApi(
	boardId: string,
	token: string,
	requestId: string,
	decision: RequestDecision,
	fetcher: Fetch = fetch
): Promise<ChangeRequest> {
	return call(
		fetcher,
		boardPath(boardId, `requests/${encodeURIComponent(requestId)}/${decision}`),
		ChangeRequest,
		'the request',
		{ method: 'POST', token }
	);
}

/** Creates an invite link (admins only). */
export function createInviteApi(
	boardId: string,
	token: string,
	input: InviteRequest,
	fetcher: Fetch = fetch
): Promise<InviteCreated> {
	return call(fetcher, boardPath(boardId, 'invites'), InviteCreated, 'the invite link', {
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
	return call(fetcher, boardPath(boardId, 'invites'), OpenInvites, 'the invite links', {
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
	await call(
		fetcher,
		boardPath(boardId, `invites/${encodeURIComponent(inviteId)}`),
		NoContent,
		'the revoked invite',
		{ method: 'DELETE', token }
	);
}

/** Creates an alert integration (admins only); its token is in this answer only. */
export function createIntegrationApi(
	boardId: string,
	token: string,
	input: IntegrationRequest,
	fetcher: Fetch = fetch
): Promise<IntegrationCreated> {
	return call(fetcher, boardPath(boardId, 'integrations'), IntegrationCreated, 'the integration', {
		method: 'POST',
		body: input,
		token
	});
}

/** The alert integrations that still take alerts, newest first (admins only). */
export function integrationsApi(
	boardId: string,
	token: string,
	fetcher: Fetch = fetch
): Promise<Integration[]> {
	return call(fetcher, boardPath(boardId, 'integrations'), Integrations, 'the integrations', {
		method: 'GET',
		token
	});
}

/** Revokes an alert integration (admins only): its token posts no more alerts. */
export async function revokeIntegrationApi(
	boardId: string,
	token: string,
	integrationId: string,
	fetcher: Fetch = fetch
): Promise<void> {
	await call(
		fetcher,
		boardPath(boardId, `integrations/${encodeURIComponent(integrationId)}`),
		NoContent,
		'the revoked integration',
		{ method: 'DELETE', token }
	);
}

/** What the server knows of a session; 401 means the person must join again. */
export function sessionApi(
	boardId: string,
	token: string,
	fetcher: Fetch = fetch
): Promise<SessionInfo> {
	return call(fetcher, boardPath(boardId, 'session'), SessionInfo, 'your session', {
		method: 'GET',
		token
	});
}

/** A fresh single-use ticket for one WebSocket connection to the board. */
export function connectionTicketApi(
	boardId: string,
	token: string,
	{ fetcher = fetch, signal }: { fetcher?: Fetch; signal?: AbortSignal } = {}
): Promise<ConnectionTicket> {
	return call(fetcher, boardPath(boardId, 'tickets'), ConnectionTicket, 'a connection ticket', {
		method: 'POST',
		token,
		signal
	});
}

/** Everyone who joined the board, removed members included. */
export function membersApi(
	boardId: string,
	token: string,
	fetcher: Fetch = fetch
): Promise<Member[]> {
	return call(fetcher, boardPath(boardId, 'members'), Members, 'the list of members', {
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
	await call(
		fetcher,
		boardPath(boardId, `members/${encodeURIComponent(personId)}`),
		NoContent,
		'the removed member',
		{ method: 'DELETE', token }
	);
}

/** The top of the backlog as the server has it, for showing while the board document loads. */
export function backlogPreviewApi(
	boardId: string,
	token: string,
	limit: number,
	fetcher: Fetch = fetch
): Promise<BacklogPreview> {
	return call(fetcher, boardPath(boardId, `backlog?limit=${limit}`), BacklogPreview, 'a backlog', {
		method: 'GET',
		token
	});
}

/** What the server's readers reject on this board, and what Repair board would remove. */
export function rejectedApi(
	boardId: string,
	token: string,
	fetcher: Fetch = fetch
): Promise<RejectedReport> {
	return call(
		fetcher,
		boardPath(boardId, 'rejected'),
		RejectedReport,
		'the list of rejected parts',
		{ method: 'GET', token }
	);
}

/** Removes every part of the board that breaks the document contract (the admin only). */
export function repairBoardApi(
	boardId: string,
	token: string,
	fetcher: Fetch = fetch
): Promise<RepairReport> {
	return call(fetcher, boardPath(boardId, 'repair'), RepairReport, 'the result of the repair', {
		method: 'POST',
		token
	});
}

/** The whole board as its export file's text (the admin only), for a download. */
export async function exportBoardApi(
	boardId: string,
	token: string,
	fetcher: Fetch = fetch
): Promise<string> {
	let response: Response;
	try {
		response = await fetcher(boardPath(boardId, 'export'), {
			headers: { authorization: `Bearer ${token}` }
		});
	} catch {
		throw new ApiError('The server cannot be reached; check your connection and try again.', 0);
	}
	if (!response.ok) throw refusal(response.status, await response.json().catch(() => null));
	return response.text();
}

/**
 * Imports a board export file as a new board; the importer becomes its admin. `adminName` is
 * needed only when the file's exporter is not one of its people (the server says so).
 */
export function importBoardApi(
	file: unknown,
	adminName: string | null,
	fetcher: Fetch = fetch
): Promise<BoardImported> {
	const query = adminName ? `?adminName=${encodeURIComponent(adminName)}` : '';
	return call(fetcher, `/api/boards/import${query}`, BoardImported, 'the imported board', {
		method: 'POST',
		body: file
	});
}

/**
 * A Jira CSV import: its plan only (`dryRun`, the preview), or written into the board (the admin
 * only). A file the server cannot read is an ApiError whose sentence names the line.
 */
export function jiraImportApi(
	boardId: string,
	token: string,
	input: JiraImportRequest,
	dryRun: boolean,
	fetcher: Fetch = fetch
): Promise<JiraImportAnswer> {
	return call(
		fetcher,
		boardPath(boardId, `import/jira${dryRun ? '?dryRun=1' : ''}`),
		JiraImportAnswer,
		dryRun ? 'the preview' : 'the import',
		{ method: 'POST', body: input, token }
	);
}

/** Adds a webhook (admins only); the answer holds its signing secret, shown this once. */
export function createWebhookApi(
	boardId: string,
	token: string,
	input: CreateWebhookRequest,
	fetcher: Fetch = fetch
): Promise<WebhookCreated> {
	return call(fetcher, boardPath(boardId, 'webhooks'), WebhookCreated, 'the new webhook', {
		method: 'POST',
		body: input,
		token
	});
}

/** The board's webhooks, without their secrets (admins only). */
export function webhooksApi(
	boardId: string,
	token: string,
	fetcher: Fetch = fetch
): Promise<Webhook[]> {
	return call(fetcher, boardPath(boardId, 'webhooks'), Webhooks, 'the webhooks', {
		method: 'GET',
		token
	});
}

/** Removes a webhook (admins only): nothing more is sent to it. */
export async function removeWebhookApi(
	boardId: string,
	token: string,
	webhookId: string,
	fetcher: Fetch = fetch
): Promise<void> {
	await call(
		fetcher,
		boardPath(boardId, `webhooks/${encodeURIComponent(webhookId)}`),
		NoContent,
		'the removed webhook',
		{ method: 'DELETE', token }
	);
}

/** A webhook's delivery log, newest first (admins only). */
export function deliveriesApi(
	boardId: string,
	token: string,
	webhookId: string,
	fetcher: Fetch = fetch
): Promise<Delivery[]> {
	return call(
		fetcher,
		boardPath(boardId, `webhooks/${encodeURIComponent(webhookId)}/deliveries`),
		Deliveries,
		'the delivery log',
		{ method: 'GET', token }
	);
}
