/**
 * What the board's HTTP API accepts and answers, one zod schema per body. The server builds every
 * answer to these shapes and reads every request with them; the page reads every answer with
 * them, so a change to what travels between the two is a change to this file (and its tests).
 * Refusals share one body, `{ error, code }`: a sentence for people and a code for programs.
 */
import { z } from 'zod';
import { BacklogPreview } from '../domain/backlog-preview';
import {
	ContractBreach,
	RejectedEntity,
	RejectedReport,
	RepairReport
} from '../domain/board-repair';
import { Finding } from '../domain/findings';
import { REQUEST_STATUSES } from '../domain/membership';
import { Id, Instant, Role, StandupEntry } from '../domain/schema';

export { BacklogPreview, ContractBreach, RejectedEntity, RejectedReport, RepairReport };

// ---------------------------------------------------------------------------------------------
// Refusals

/**
 * Why the server refused a request, for programs; the sentence next to it is for people. The
 * four `session-…`/`member-removed` codes of a 401 all mean "join the board again".
 */
export const ERROR_CODES = [
	/** A body field, an id in the path or a query parameter is not what the API takes. */
	'bad-request',
	/** The body is not `application/json`. */
	'not-json',
	/** The body is over the size limit. */
	'body-too-large',
	/** No session token was sent. */
	'session-missing',
	/** The session token is malformed or was not signed by this server. */
	'session-invalid',
	/** The session token (or the session behind a connection ticket) expired. */
	'session-expired',
	/** The board's admin removed this person from the board. */
	'member-removed',
	/** The session, invite or ticket is for another board. */
	'wrong-board',
	/** Only the board's admin may do this. */
	'not-admin',
	/** Another person's own document (their dismissed notifications): only they open it. */
	'not-yours',
	/** Only the board's admin, or the Scrum Master of every team a request touches, decides it. */
	'not-approver',
	/** Only a member of the team may do this (leave an update for its standup). */
	'not-team-member',
	/** The change request was approved, declined or withdrawn already. */
	'request-settled',
	/** Joining this board needs an invite link. */
	'invite-needed',
	/** The invite link is malformed, forged, or the board has no record of it. */
	'invite-invalid',
	/** The invite link expired. */
	'invite-expired',
	/** The board's admin revoked the invite link. */
	'invite-revoked',
	/** A connection ticket that was used already or never issued (WebSocket upgrades). */
	'ticket-invalid',
	/** A connection ticket that expired (WebSocket upgrades). */
	'ticket-expired',
	/** The integration token is missing, malformed, revoked or not this board's (alert intake). */
	'integration-invalid',
	/** No such board, invite, member or route. */
	'not-found',
	/** The method is not one the path takes (the `allow` header lists those). */
	'method-not-allowed',
	/** The new board's id is taken (try again). */
	'board-id-taken',
	/** Too many changes from this address (the `retry-after` header says when to retry). */
	'rate-limited',
	/** The server holds too many unused connection tickets (retry after a few seconds). */
	'server-busy',
	/** The store refused a change; nothing is lost, and trying again may succeed. */
	'store-failed',
	/** Anything else that went wrong on the server. */
	'internal-error'
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** Every refusal of the API: what to do, in a sentence, and the code of the refusal. */
export const ErrorBody = z.object({
	error: z.string(),
	code: ErrorCode.optional()
});
export type ErrorBody = z.infer<typeof ErrorBody>;

// ---------------------------------------------------------------------------------------------
// Fields of requests

/** A person's display name: 1–80 characters, no control characters. */
export const PersonName = z
	.string()
	.trim()
	.min(1, 'a name is needed')
	.max(80, 'names are at most 80 characters')
	.refine(
		(name) => ![...name].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f),
		'names cannot contain control characters'
	);

/** A board's name: 1–120 characters. */
export const BoardName = z
	.string()
	.trim()
	.min(1, 'a board needs a name')
	.max(120, 'at most 120 characters');

/** Letters first, then letters, digits and `_ + - /`: `Europe/Berlin`, `UTC`, `Etc/GMT+1`. */
const TIME_ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]*$/;

function isKnownTimeZone(name: string): boolean {
	if (name.length > 64 || !TIME_ZONE_NAME.test(name)) return false;
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: name });
		return true;
	} catch {
		return false;
	}
}

/** An IANA time zone name the runtime knows, e.g. `Europe/Berlin` (what a browser reports). */
export const TimeZone = z
	.string()
	.max(64, 'time zone names are at most 64 characters')
	.regex(TIME_ZONE_NAME, 'a time zone is an IANA name such as "Europe/Berlin"')
	.refine(isKnownTimeZone, 'an unknown time zone; use an IANA name such as "Europe/Berlin"');

// ---------------------------------------------------------------------------------------------
// Boards and sessions

/** `POST /api/boards`: a new board; its creator becomes the admin. */
export const CreateBoardRequest = z.object({
	name: BoardName,
	adminName: PersonName,
	/** The creator's time zone, which the board's days are counted in. */
	timeZone: TimeZone.optional()
});
/** What a client sends (the server reads it with the schema). */
export type CreateBoardRequest = z.input<typeof CreateBoardRequest>;

/** `POST /api/boards` (201): the new board and its admin's session. */
export const BoardCreated = z.object({
	boardId: Id,
	personId: Id,
	/** The admin's session token. */
	token: z.string().min(1)
});
export type BoardCreated = z.infer<typeof BoardCreated>;

/**
 * A session token this browser already holds for the board, sent in a join's body (never in
 * the address) to prove it is the same person: the server then resumes that member.
 */
export const ResumeToken = z.string().min(1).max(4096);

/**
 * `POST /api/boards/:id/join`: a name, and an invite, or the session this browser holds for the
 * board, or both. (The open demo board's `teamId` and `role` are gone with it: the demo is a
 * sandbox per visitor, `POST /api/demo`; older pages sending them are read without them.)
 */
export const JoinRequest = z.object({
	name: PersonName,
	invite: z.string().min(1).max(4096).optional(),
	/** The session this browser holds for the board, if any: join as that member again. */
	resume: ResumeToken.optional()
});
export type JoinRequest = z.input<typeof JoinRequest>;

/** `POST /api/boards/:id/join` (201): the member's session, teams and roles. */
export const Joined = BoardCreated.extend({
	teams: z.array(Id),
	roles: z.array(Role),
	/** True when the browser's session was resumed: the same member, not a new one. */
	resumed: z.boolean().default(false),
	/** True on a demo sandbox, which is removed once nobody has used it for a while. */
	sandbox: z.boolean().default(false)
});
export type Joined = z.infer<typeof Joined>;

/**
 * `POST /api/demo`: open the demo as `name`. With the session this browser holds for its
 * sandbox (`resume`), that sandbox opens again; otherwise a fresh copy of the demo board is made.
 */
export const OpenDemoRequest = z.strictObject({
	name: PersonName,
	resume: ResumeToken.optional()
});
export type OpenDemoRequest = z.input<typeof OpenDemoRequest>;

/** `GET /api/boards/:id/session`: what the server knows of a session now. */
export const SessionInfo = z.object({
	boardId: Id,
	personId: Id,
	name: z.string(),
	teams: z.array(Id),
	roles: z.array(Role),
	admin: z.boolean(),
	/** Null for a session that does not expire. */
	expiresAt: Instant.nullable()
});
export type SessionInfo = z.infer<typeof SessionInfo>;

/**
 * `POST /api/boards/:id/tickets` (201): what a browser's WebSocket carries (`?ticket=`) instead
 * of the session token. It opens one connection to the board, once, within seconds.
 */
export const ConnectionTicket = z.object({
	ticket: z.string().min(1),
	/** After this the server refuses it. */
	expiresAt: Instant
});
export type ConnectionTicket = z.infer<typeof ConnectionTicket>;

// ---------------------------------------------------------------------------------------------
// Invites and members (the admin's)

/** `POST /api/boards/:id/invites`: an invite link to one team (or none) with one role. */
export const InviteRequest = z.object({
	teamId: Id.nullable().default(null),
	role: Role,
	expiresInDays: z.number().int().min(1).max(90).default(7)
});
/** What a client sends: `teamId` defaults to none, `expiresInDays` to 7. */
export type InviteRequest = z.input<typeof InviteRequest>;

/** `POST /api/boards/:id/invites` (201): the invite and the link to hand out. */
export const InviteCreated = z.object({
	id: Id,
	/** The invite token the link carries. */
	invite: z.string().min(1),
	/** The join page with the invite, relative to the site: `/join/<board>?invite=…`. */
	path: z.string().startsWith('/join/'),
	expiresAt: Instant
});
export type InviteCreated = z.infer<typeof InviteCreated>;

/** An invite link that still lets people join: neither revoked nor expired. */
export const OpenInvite = z.object({
	id: Id,
	teamId: Id.nullable(),
	role: Role,
	/** The admin who made it, by name; null if they are no longer on record. */
	createdBy: z.string().nullable(),
	createdAt: Instant,
	expiresAt: Instant
});
export type OpenInvite = z.infer<typeof OpenInvite>;

/** `GET /api/boards/:id/invites`: the open invites, newest first. */
export const OpenInvites = z.array(OpenInvite);

/** Someone who joined the board, as the server's member list has them. */
export const Member = z.object({
	personId: Id,
	name: z.string(),
	teams: z.array(Id),
	roles: z.array(Role),
	admin: z.boolean(),
	joinedAt: Instant,
	/** When the admin removed them; null while they are a member. */
	removedAt: Instant.nullable()
});
export type Member = z.infer<typeof Member>;

/** `GET /api/boards/:id/members`: everyone who joined, removed members included. */
export const Members = z.array(Member);

/** The teams a member is on, as a request or an edit names them all. */
const TeamList = z
	.array(Id)
	.max(50, 'at most 50 teams')
	.refine((teams) => new Set(teams).size === teams.length, 'a team is listed twice');

/** A member's roles, as a request or an edit names them all: at least one. */
const RoleList = z
	.array(Role)
	.min(1, 'a member needs a role')
	.max(10, 'at most 10 roles')
	.refine((roles) => new Set(roles).size === roles.length, 'a role is listed twice');

/**
 * `POST /api/boards/:id/members/:personId`: change a member. Anyone may change their own name;
 * only the admin changes teams and roles (anyone's, their own included).
 */
export const MemberEdit = z
	.strictObject({
		name: PersonName.optional(),
		teams: TeamList.optional(),
		roles: RoleList.optional()
	})
	.refine(
		(edit) => edit.name !== undefined || edit.teams !== undefined || edit.roles !== undefined,
		'say what to change: name, teams or roles'
	);
export type MemberEdit = z.input<typeof MemberEdit>;

/** Longest done, next or impediments an update through the API may hold. */
export const MAX_UPDATE_TEXT = 4000;
const UpdateText = z.string().max(MAX_UPDATE_TEXT).default('');

/**
 * `POST /api/boards/:id/standup-updates`: the token's person leaves an update for their team's
 * standup today, for when they cannot attend. Impediments: one per line.
 */
export const StandupUpdateRequest = z
	.strictObject({ teamId: Id, done: UpdateText, next: UpdateText, impediments: UpdateText })
	.refine(
		(update) => [update.done, update.next, update.impediments].some((text) => text.trim()),
		'say what you did, what you will do next, or what blocks you'
	);
export type StandupUpdateRequest = z.input<typeof StandupUpdateRequest>;

/** The standup entry the update became (201). */
export const StandupUpdateCreated = StandupEntry;
export type StandupUpdateCreated = z.infer<typeof StandupUpdateCreated>;

/** `POST /api/boards/:id/requests`: the teams and roles a member asks to have. */
export const ChangeRequestBody = z.strictObject({ teams: TeamList, roles: RoleList });
export type ChangeRequestBody = z.input<typeof ChangeRequestBody>;

/** A member's request to change teams or roles, and what became of it. */
export const ChangeRequest = z.object({
	id: Id,
	personId: Id,
	/** What they have now, or had when it was settled. */
	fromTeams: z.array(Id),
	fromRoles: z.array(Role),
	/** What they ask for. */
	teams: z.array(Id),
	roles: z.array(Role),
	status: z.enum(REQUEST_STATUSES),
	createdAt: Instant,
	/** Who approved, declined or withdrew it; null while pending. */
	decidedBy: Id.nullable(),
	decidedAt: Instant.nullable(),
	/** Whether the person asking may approve or decline it now. */
	canDecide: z.boolean()
});
export type ChangeRequest = z.infer<typeof ChangeRequest>;

/** `GET /api/boards/:id/requests`: the board's change requests, newest first. */
export const ChangeRequests = z.array(ChangeRequest);

/** `POST /api/boards/:id/requests/:requestId/{approve,decline,withdraw}`: takes no body. */
export const REQUEST_DECISIONS = ['approve', 'decline', 'withdraw'] as const;
export type RequestDecision = (typeof REQUEST_DECISIONS)[number];

/**
 * `GET /api/boards/:id/members/live`: a stream (`text/event-stream`) with one `data:` line of
 * this shape at once and after every change of the board's members or requests (a join, a
 * rename, a change of team or role, a removal, a request made or settled): read them again.
 */
export const MembersChanged = z.object({ revision: z.number().int().nonnegative() });
export type MembersChanged = z.infer<typeof MembersChanged>;

/**
 * The answer of the API's requests that answer nothing: `DELETE …/invites/:id` (revoke) and
 * `DELETE …/members/:personId` (remove), 204 with no body.
 */
export const NoContent = z.null();

/** One accepted change of a board's documents, as the audit log keeps it. */
export const AuditEntry = z.object({
	at: Instant,
	document: z.string(),
	/** Its sequence number in the document's log. */
	seq: z.number().int().nonnegative(),
	/** The person id it came from, or `server` for the server's own changes. */
	author: z.string(),
	bytes: z.number().int().nonnegative(),
	/** What the change was when the server made it on someone's behalf (`repairBoard`). */
	intent: z.string().nullable()
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** `GET /api/boards/:id/audit`: the newest entries first. */
export const AuditLog = z.array(AuditEntry);

// ---------------------------------------------------------------------------------------------
// What the server reads off a board

/** `GET /api/boards/:id/findings`: what the rules find on the board now. */
export const Findings = z.array(Finding);

// `GET /api/boards/:id/measures?from=&to=&team=`: MeasuresQuery → Measures (measures.ts).
// `GET /api/boards/:id/backlog`: BacklogPreview. `GET /api/boards/:id/rejected`: RejectedReport.
// `POST /api/boards/:id/repair`: RepairReport (no request body).

/** `GET /api/time`: the server's clock, ms since the epoch. */
export const ServerTime = z.object({ now: z.number() });
export type ServerTime = z.infer<typeof ServerTime>;

/** `GET /healthz`: `ok` (200) or `degraded` (503), with details for operators. */
export const HealthReport = z.looseObject({
	status: z.enum(['ok', 'degraded'])
});
export type HealthReport = z.infer<typeof HealthReport>;
