/**
 * The access API: create a board (its creator becomes the admin), invite people per team and
 * role (and revoke an invite), join with a name, check a session, get a connection ticket, list
 * and remove members, read the audit log. Every body is bounded and validated; every refusal
 * says what to do.
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import type { z } from 'zod';
import {
	AuditLog,
	BoardCreated,
	ConnectionTicket,
	CreateBoardRequest,
	InviteCreated,
	InviteRequest,
	Joined,
	JoinRequest,
	Members,
	OpenInvites,
	SessionInfo
} from '../../src/lib/contract/http';
import { Id, type Role } from '../../src/lib/domain/schema';
import { BoardDocs } from '../../src/lib/sync/board-docs';
import { documentName, META_KEY } from '../../src/lib/sync/layout';
import {
	addPerson,
	createBoard,
	liveContext,
	placeMember,
	seedIncidentTemplates
} from '../../src/lib/sync/operations';
import { HttpError, readJsonBody, sendJson, type Route } from '../http';
import type { RoomRegistry } from '../relay/registry';
import type { Member } from '../store/members';
import type { DocumentStore } from '../store/store';
import { AccessError, bearerOf, type AccessControl } from './access';
import { TokenError, type Identity } from './tokens';

export interface AccessApiOptions {
	access: AccessControl;
	registry: RoomRegistry;
	store: DocumentStore;
	/** Lifetime of session tokens issued on join, seconds. */
	sessionTtlSeconds: number;
	now?: () => number;
}

const DAY_S = 24 * 60 * 60;

const BOARD_PATH = String.raw`\/api\/boards\/([^/]+)`;

export function accessRoutes(options: AccessApiOptions): Route[] {
	const { access, registry, store } = options;
	const now = options.now ?? Date.now;

	return [
		{
			method: 'POST',
			path: /^\/api\/boards$/,
			async handle(req, res) {
				const body = parse(CreateBoardRequest, await readJsonBody(req));
				const boardId = newId();
				const personId = newId();
				const created = await access.members.createBoard({
					id: boardId,
					name: body.name,
					createdAt: now()
				});
				if (!created) {
					throw new HttpError(409, 'That board id is taken; try again.', 'board-id-taken');
				}
				const identity: Omit<Identity, 'expiresAt'> = {
					boardId,
					personId,
					name: body.adminName,
					teams: [],
					roles: ['product-owner', 'scrum-master'],
					admin: true
				};
				await access.members.putMember({
					...identity,
					teams: [],
					roles: [...identity.roles],
					joinedAt: now()
				});
				await writeToBoard(registry, boardId, (docs) => {
					const ctx = liveContext(personId);
					// The creator's time zone, for the board settings (a Board without `timeZone` drops it).
					createBoard(docs, ctx, {
						name: body.name,
						...(body.timeZone ? { timeZone: body.timeZone } : {})
					});
					seedIncidentTemplates(docs, ctx);
					addPerson(docs, ctx, { id: personId, name: body.adminName, roles: [...identity.roles] });
				});
				const token = await access.tokens.issueSession(identity, options.sessionTtlSeconds);
				sendJson(res, 201, { boardId, personId, token } satisfies z.input<typeof BoardCreated>);
			}
		},
		{
			method: 'POST',
			path: new RegExp(`^${BOARD_PATH}\\/invites$`),
			async handle(req, res, [rawId]) {
				const boardId = boardIdOf(rawId);
				const admin = await authenticateAdmin(access, req, boardId);
				const body = parse(InviteRequest, await readJsonBody(req));
				if (body.teamId !== null) await requireTeam(registry, boardId, body.teamId);
				const id = newId();
				const createdAt = now();
				const expiresAt = createdAt + body.expiresInDays * DAY_S * 1000;
				// Recorded before the link exists, so no link works that the admin cannot revoke.
				await access.members.putInvite({
					boardId,
					id,
					teamId: body.teamId,
					role: body.role,
					createdBy: admin.personId,
					createdAt,
					expiresAt
				});
				const invite = await access.tokens.issueInvite(
					{ id, boardId, teamId: body.teamId, role: body.role },
					body.expiresInDays * DAY_S
				);
				sendJson(res, 201, {
					id,
					invite,
					path: `/join/${encodeURIComponent(boardId)}?invite=${encodeURIComponent(invite)}`,
					expiresAt: new Date(expiresAt).toISOString()
				} satisfies z.input<typeof InviteCreated>);
			}
		},
		{
			method: 'GET',
			path: new RegExp(`^${BOARD_PATH}\\/invites$`),
			async handle(req, res, [rawId]) {
				const boardId = boardIdOf(rawId);
				await authenticateAdmin(access, req, boardId);
				const limit = limitOf(req.url, { fallback: 100, max: 500 });
				const [invites, members] = await Promise.all([
					access.members.openInvites(boardId, now(), limit),
					access.members.members(boardId)
				]);
				const names = new Map(members.map((member) => [member.personId, member.name]));
				res.setHeader('cache-control', 'no-store');
				sendJson(
					res,
					200,
					invites.map((invite) => ({
						id: invite.id,
						teamId: invite.teamId,
						role: invite.role,
						createdBy: names.get(invite.createdBy) ?? null,
						createdAt: new Date(invite.createdAt).toISOString(),
						expiresAt: new Date(invite.expiresAt).toISOString()
					})) satisfies z.input<typeof OpenInvites>
				);
			}
		},
		{
			method: 'DELETE',
			path: new RegExp(`^${BOARD_PATH}\\/invites\\/([^/]+)$`),
			async handle(req, res, [rawId, rawInvite]) {
				const boardId = boardIdOf(rawId);
				await authenticateAdmin(access, req, boardId);
				const inviteId = idOf(rawInvite, 'invite');
				if (!(await access.members.revokeInvite(boardId, inviteId, now()))) {
					throw new HttpError(
						404,
						`There is no invite "${inviteId}" to revoke on this board; it may be revoked already.`,
						'not-found'
					);
				}
				res.writeHead(204, { 'cache-control': 'no-store' });
				res.end();
			}
		},
		{
			method: 'POST',
			path: new RegExp(`^${BOARD_PATH}\\/join$`),
			async handle(req, res, [rawId]) {
				const boardId = boardIdOf(rawId);
				const body = parse(JoinRequest, await readJsonBody(req));
				const invite =
					body.invite === undefined ? null : await openInvite(access, body.invite, boardId);
				// The browser's own session proves it is the same person: resume that member.
				const returning =
					body.resume === undefined ? null : await resumable(access, body.resume, boardId);
				if (invite === null && returning === null) {
					throw new HttpError(
						401,
						'Joining this board needs an invite link from its admin.',
						'invite-needed'
					);
				}
				const board = await access.members.board(boardId);
				if (!board) throw noBoard(boardId);
				// A sandbox's sessions end with it, whoever was invited to it.
				const kind = { sandbox: board.sandbox };
				if (invite?.teamId) await requireTeam(registry, boardId, invite.teamId);
				const joined = returning
					? await resumeMember(
							options,
							returning,
							{
								name: body.name,
								teams: union(returning.teams, invite?.teamId ? [invite.teamId] : []),
								roles: union(returning.roles, invite ? [invite.role] : [])
							},
							kind
						)
					: await addMember(
							options,
							boardId,
							{
								name: body.name,
								teams: invite?.teamId ? [invite.teamId] : [],
								roles: [invite!.role],
								admin: false
							},
							kind
						);
				sendJson(res, 201, joined satisfies z.input<typeof Joined>);
			}
		},
		{
			method: 'GET',
			path: new RegExp(`^${BOARD_PATH}\\/session$`),
			async handle(req, res, [rawId]) {
				const boardId = boardIdOf(rawId);
				const identity = await authenticate(access, req, boardId);
				sendJson(res, 200, {
					boardId,
					personId: identity.personId,
					name: identity.name,
					teams: [...identity.teams],
					roles: [...identity.roles],
					admin: identity.admin,
					expiresAt: identity.expiresAt === null ? null : new Date(identity.expiresAt).toISOString()
				} satisfies z.input<typeof SessionInfo>);
			}
		},
		{
			// A browser's WebSocket carries one of these instead of its session token, which
			// would otherwise sit in the URL. Every reconnect asks for one: not a counted write.
			method: 'POST',
			path: new RegExp(`^${BOARD_PATH}\\/tickets$`),
			writeLimited: false,
			async handle(req, res, [rawId]) {
				const boardId = boardIdOf(rawId);
				const identity = await authenticate(access, req, boardId);
				const issued = await access.issueTicket(identity);
				if (issued === null) {
					res.setHeader('retry-after', '5');
					throw new HttpError(
						503,
						'The server is holding too many unused connection tickets; try again in a few seconds.',
						'server-busy'
					);
				}
				sendJson(res, 201, {
					ticket: issued.ticket,
					expiresAt: new Date(issued.expiresAt).toISOString()
				} satisfies z.input<typeof ConnectionTicket>);
			}
		},
		{
			method: 'GET',
			path: new RegExp(`^${BOARD_PATH}\\/members$`),
			async handle(req, res, [rawId]) {
				const boardId = boardIdOf(rawId);
				await authenticate(access, req, boardId);
				const members = await access.members.members(boardId);
				sendJson(res, 200, members.map(memberBody) satisfies z.input<typeof Members>);
			}
		},
		{
			method: 'DELETE',
			path: new RegExp(`^${BOARD_PATH}\\/members\\/([^/]+)$`),
			async handle(req, res, [rawId, rawPerson]) {
				const boardId = boardIdOf(rawId);
				const admin = await authenticateAdmin(access, req, boardId);
				const personId = idOf(rawPerson, 'person');
				if (personId === admin.personId) {
					throw new HttpError(400, 'An admin cannot remove themselves.', 'bad-request');
				}
				if (!(await access.removeMember(boardId, personId))) {
					throw new HttpError(404, `"${personId}" is not a member of this board.`, 'not-found');
				}
				res.writeHead(204, { 'cache-control': 'no-store' });
				res.end();
			}
		},
		{
			method: 'GET',
			path: new RegExp(`^${BOARD_PATH}\\/audit$`),
			async handle(req, res, [rawId]) {
				const boardId = boardIdOf(rawId);
				await authenticateAdmin(access, req, boardId);
				const limit = limitOf(req.url);
				const entries = await store.audit(boardId, limit);
				sendJson(
					res,
					200,
					entries.map((entry) => ({
						...entry,
						at: new Date(entry.at).toISOString()
					})) satisfies z.input<typeof AuditLog>
				);
			}
		}
	];
}

/** The record of an invite token for `boardId`, or the refusal saying why it does not work. */
async function openInvite(access: AccessControl, token: string, boardId: string) {
	const invite = await guard(access.tokens.verifyInvite(token));
	if (invite.boardId !== boardId) {
		throw new HttpError(403, 'This invite is for another board.', 'wrong-board');
	}
	const record = await access.members.invite(boardId, invite.id);
	if (!record) {
		throw new HttpError(
			401,
			"This board has no record of this invite link; ask the board's admin for a new one.",
			'invite-invalid'
		);
	}
	if (record.revokedAt !== null) {
		throw new HttpError(
			403,
			"The board's admin revoked this invite link; ask them for a new one.",
			'invite-revoked'
		);
	}
	return record;
}

/**
 * The member a session token held by a browser speaks for, when it is a session of `boardId`
 * whose member was not removed; null otherwise (the person then joins as someone new).
 */
export async function resumable(
	access: AccessControl,
	token: string,
	boardId: string
): Promise<Identity | null> {
	try {
		return await access.authenticate(token, boardId);
	} catch (error) {
		if (error instanceof AccessError) return null;
		throw error;
	}
}

/** What a join answers: the member's session, teams and roles. */
type JoinAnswer = z.input<typeof Joined>;

/** Adds a new member to a board (record, board document) and signs their session. */
export async function addMember(
	options: Pick<AccessApiOptions, 'access' | 'registry' | 'sessionTtlSeconds' | 'now'>,
	boardId: string,
	member: { name: string; teams: string[]; roles: Role[]; admin: boolean },
	{ sandbox = false }: { sandbox?: boolean } = {}
): Promise<JoinAnswer> {
	const { access, registry } = options;
	const personId = newId();
	const identity: Omit<Identity, 'expiresAt'> = {
		boardId,
		personId,
		...member,
		...(sandbox ? { sandbox: true } : {})
	};
	await access.members.putMember({
		...identity,
		teams: [...member.teams],
		roles: [...member.roles],
		joinedAt: (options.now ?? Date.now)()
	});
	await writeToBoard(registry, boardId, (docs) =>
		placeMember(docs, liveContext(personId), { personId, ...member })
	);
	access.membersChanged(boardId);
	return answerJoin(options, identity, { resumed: false, sandbox });
}

/** The same member again, with what changed on joining; a fresh session for them. */
export async function resumeMember(
	options: Pick<AccessApiOptions, 'access' | 'registry' | 'sessionTtlSeconds'>,
	returning: Identity,
	change: { name: string; teams: string[]; roles: Role[] },
	{ sandbox = false }: { sandbox?: boolean } = {}
): Promise<JoinAnswer> {
	const { access } = options;
	const { boardId, personId } = returning;
	const member = (await access.updateMember(boardId, personId, change))!;
	await mirrorMember(options.registry, member);
	const identity: Omit<Identity, 'expiresAt'> = {
		boardId,
		personId,
		name: member.name,
		teams: member.teams,
		roles: member.roles,
		admin: member.admin,
		...(sandbox ? { sandbox: true } : {})
	};
	return answerJoin(options, identity, { resumed: true, sandbox });
}

/** Signs the session of a member who joined or came back, and says so to the join page. */
async function answerJoin(
	options: Pick<AccessApiOptions, 'access' | 'sessionTtlSeconds'>,
	identity: Omit<Identity, 'expiresAt'>,
	how: { resumed: boolean; sandbox: boolean }
): Promise<JoinAnswer> {
	const token = await options.access.tokens.issueSession(identity, options.sessionTtlSeconds);
	return {
		boardId: identity.boardId,
		personId: identity.personId,
		token,
		teams: [...identity.teams],
		roles: [...identity.roles],
		...how
	};
}

/** Writes a member's name, roles and teams into their board's document. */
export async function mirrorMember(
	registry: RoomRegistry,
	member: Pick<Member, 'boardId' | 'personId' | 'name' | 'teams' | 'roles'>
): Promise<void> {
	await writeToBoard(registry, member.boardId, (docs) =>
		placeMember(docs, liveContext(member.personId), {
			personId: member.personId,
			name: member.name,
			roles: [...member.roles],
			teams: [...member.teams]
		})
	);
}

function union<T>(a: readonly T[], b: readonly T[]): T[] {
	return [...new Set([...a, ...b])];
}

/** Authenticates an API request for `boardId`, turning refusals into HTTP errors. */
export async function authenticate(
	access: AccessControl,
	req: http.IncomingMessage,
	boardId: string
): Promise<Identity> {
	return guard(access.authenticate(bearerOf(req.headers.authorization, req.url), boardId));
}

export async function authenticateAdmin(
	access: AccessControl,
	req: http.IncomingMessage,
	boardId: string
): Promise<Identity> {
	return guard(access.authenticateAdmin(bearerOf(req.headers.authorization, req.url), boardId));
}

/** Awaits `promise`, turning access and token refusals into HTTP errors. */
export async function guard<T>(promise: Promise<T>): Promise<T> {
	try {
		return await promise;
	} catch (error) {
		if (error instanceof AccessError) throw new HttpError(error.status, error.message, error.code);
		if (error instanceof TokenError) {
			// Only an invite is verified here: sessions are checked by AccessControl.
			throw new HttpError(
				401,
				error.message,
				error.problem === 'expired' ? 'invite-expired' : 'invite-invalid'
			);
		}
		throw error;
	}
}

/** Writes to a board document through its room, so the change is stored and relayed. */
export async function writeToBoard(
	registry: RoomRegistry,
	boardId: string,
	write: (docs: BoardDocs) => void
): Promise<void> {
	const room = registry.acquire(documentName.board(boardId));
	const release = room.hold();
	try {
		await room.loaded;
		write(new BoardDocs(boardId, room.doc));
		await room.flush();
	} finally {
		release();
	}
}

/** Refuses a team id that is not a team of the board. */
export async function requireTeam(registry: RoomRegistry, boardId: string, teamId: string) {
	const room = registry.acquire(documentName.board(boardId));
	const release = room.hold();
	try {
		await room.loaded;
		if (room.doc.getMap(META_KEY).size === 0) throw noBoard(boardId);
		if (!new BoardDocs(boardId, room.doc).collection('teams').has(teamId)) {
			throw new HttpError(400, `The board has no team "${teamId}".`, 'bad-request');
		}
	} finally {
		release();
	}
}

/** A request body read with its schema of the contract, or HTTP 400 naming the first problem. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
	const result = schema.safeParse(value);
	if (result.success) return result.data;
	const issue = result.error.issues[0]!;
	const field = issue.path.join('.');
	throw new HttpError(400, `${field ? `${field}: ` : ''}${issue.message}.`, 'bad-request');
}

/** HTTP 404 for a board that does not exist. */
export function noBoard(boardId: string): HttpError {
	return new HttpError(404, `There is no board "${boardId}".`, 'not-found');
}

/** A board id from a path segment, or HTTP 400. */
export function boardIdOf(raw: string | undefined): string {
	return idOf(raw, 'board');
}

export function idOf(raw: string | undefined, what: string): string {
	let value: string;
	try {
		value = decodeURIComponent(raw ?? '');
	} catch {
		throw new HttpError(400, `That is not a ${what} id.`, 'bad-request');
	}
	if (!Id.safeParse(value).success)
		throw new HttpError(400, `"${value.slice(0, 80)}" is not a ${what} id.`, 'bad-request');
	return value;
}

/** The `limit` query parameter: a whole number from 1 to `max`, `fallback` when absent. */
export function limitOf(url: string | undefined, { fallback = 100, max = 1000 } = {}): number {
	const query = url?.split('?')[1];
	const raw = query ? new URLSearchParams(query).get('limit') : null;
	if (raw === null) return fallback;
	const limit = Number(raw);
	if (!Number.isInteger(limit) || limit < 1 || limit > max) {
		throw new HttpError(400, `limit must be a whole number from 1 to ${max}.`, 'bad-request');
	}
	return limit;
}

/** A random id of 16 URL-safe characters (96 bits). */
export function newId(): string {
	return randomBytes(12).toString('base64url');
}

/** The member as the API shows them. */
export function memberBody(member: Member): z.input<typeof Members>[number] {
	return {
		personId: member.personId,
		name: member.name,
		teams: [...member.teams],
		roles: [...member.roles],
		admin: member.admin,
		joinedAt: new Date(member.joinedAt).toISOString(),
		removedAt: member.removedAt === null ? null : new Date(member.removedAt).toISOString()
	};
}
