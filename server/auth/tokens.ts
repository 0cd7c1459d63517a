/**
 * Session and invite tokens: JWTs signed with the server secret (HS256, via jose). A session
 * token says who a person is on one board: their id and display name, their teams, their roles,
 * and whether they administer the board. An invite token lets its holder join a board with one
 * team and role. The two have different audiences, so one can never be used as the other.
 */
import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { PersonName } from '../../src/lib/contract/http';
import { Id, Role } from '../../src/lib/domain/schema';

const ISSUER = 'scrumops';
const SESSION_AUDIENCE = 'scrumops:session';
const INVITE_AUDIENCE = 'scrumops:invite';
/** Longer strings are refused before any parsing: a real token is a few hundred characters. */
export const MAX_TOKEN_LENGTH = 4096;
/** Clocks of servers sharing a secret may differ a little. */
const CLOCK_TOLERANCE_S = 5;

const SessionClaims = z.object({
	board: Id,
	sub: Id,
	name: PersonName,
	teams: z.array(Id).max(50),
	roles: z.array(Role).max(10),
	admin: z.boolean(),
	exp: z.number().int().optional(),
	iat: z.number().int().optional(),
	sandbox: z.boolean().optional()
});

const InviteClaims = z.object({
	jti: Id,
	board: Id,
	team: Id.nullable(),
	role: Role,
	exp: z.number().int()
});

/** Who a session token speaks for. */
export interface Identity {
	boardId: string;
	personId: string;
	name: string;
	teams: readonly string[];
	roles: readonly Role[];
	admin: boolean;
	/** Expiry, ms since epoch; null for a token that does not expire. */
	expiresAt: number | null;
	/** When the token was signed, ms since epoch (whole seconds); absent when not known. */
	issuedAt?: number;
	/** A session of a demo sandbox, which ends with the sandbox. */
	sandbox?: boolean;
}

export interface Invite {
	/** Names the invite in the server's record, where it can be revoked. */
	id: string;
	boardId: string;
	teamId: string | null;
	role: Role;
	expiresAt: number;
}

export type TokenProblem = 'malformed' | 'forged' | 'expired';

/** A token that cannot be trusted; `message` is safe to show and never contains the token. */
export class TokenError extends Error {
	readonly problem: TokenProblem;
	constructor(problem: TokenProblem, message: string) {
		super(message);
		this.name = 'TokenError';
		this.problem = problem;
	}
}

export interface TokenIssuerOptions {
	/** Clock, ms since epoch; injectable so tests can expire tokens. */
	now?: () => number;
}

export class TokenIssuer {
	readonly #key: Uint8Array;
	readonly #now: () => number;

	constructor(key: Uint8Array, options: TokenIssuerOptions = {}) {
		if (key.byteLength < 32) throw new RangeError('the signing key must be at least 32 bytes');
		this.#key = key;
		this.#now = options.now ?? Date.now;
	}

	/** Signs a session token; `ttlSeconds` null means it never expires. */
	async issueSession(
		identity: Omit<Identity, 'expiresAt'>,
		ttlSeconds: number | null
	): Promise<string> {
		const claims = SessionClaims.parse({
			board: identity.boardId,
			sub: identity.personId,
			name: identity.name,
			teams: [...identity.teams],
			roles: [...identity.roles],
			admin: identity.admin,
			...(identity.sandbox ? { sandbox: true } : {})
		});
		const now = Math.floor(this.#now() / 1000);
		const jwt = new SignJWT({
			board: claims.board,
			name: claims.name,
			teams: claims.teams,
			roles: claims.roles,
			admin: claims.admin,
			...(claims.sandbox ? { sandbox: true } : {})
		})
			.setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
			.setIssuer(ISSUER)
			.setAudience(SESSION_AUDIENCE)
			.setSubject(claims.sub)
			.setJti(randomUUID())
			.setIssuedAt(now);
		if (ttlSeconds !== null) jwt.setExpirationTime(now + ttlSeconds);
		return jwt.sign(this.#key);
	}

	async issueInvite(invite: Omit<Invite, 'expiresAt'>, ttlSeconds: number): Promise<string> {
		const now = Math.floor(this.#now() / 1000);
		return new SignJWT({ board: invite.boardId, team: invite.teamId, role: invite.role })
			.setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
			.setIssuer(ISSUER)
			.setAudience(INVITE_AUDIENCE)
			.setJti(invite.id)
			.setIssuedAt(now)
			.setExpirationTime(now + ttlSeconds)
			.sign(this.#key);
	}

	async verifySession(token: string): Promise<Identity> {
		const payload = await this.#verify(token, SESSION_AUDIENCE, 'session token');
		const claims = SessionClaims.safeParse(payload);
		if (!claims.success) {
			throw new TokenError('malformed', 'The session token does not describe a person.');
		}
		const { board, sub, name, teams, roles, admin, exp, iat, sandbox } = claims.data;
		return {
			boardId: board,
			personId: sub,
			name,
			teams,
			roles,
			admin,
			expiresAt: exp === undefined ? null : exp * 1000,
			...(iat === undefined ? {} : { issuedAt: iat * 1000 }),
			...(sandbox ? { sandbox: true } : {})
		};
	}

	async verifyInvite(token: string): Promise<Invite> {
		const payload = await this.#verify(token, INVITE_AUDIENCE, 'invite');
		const claims = InviteClaims.safeParse(payload);
		if (!claims.success) throw new TokenError('malformed', 'The invite does not name a board.');
		const { jti, board, team, role, exp } = claims.data;
		return { id: jti, boardId: board, teamId: team, role, expiresAt: exp * 1000 };
	}

	async #verify(token: string, audience: string, what: string): Promise<unknown> {
		if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
			throw new TokenError('malformed', `The ${what} is not a token.`);
		}
		try {
			const { payload } = await jwtVerify(token, this.#key, {
				issuer: ISSUER,
				audience,
				algorithms: ['HS256'],
				clockTolerance: CLOCK_TOLERANCE_S,
				currentDate: new Date(this.#now())
			});
			return payload;
		} catch (error) {
			if (error instanceof errors.JWTExpired) {
				throw new TokenError('expired', `The ${what} has expired.`);
			}
			if (error instanceof errors.JWSSignatureVerificationFailed) {
				throw new TokenError('forged', `The ${what} was not signed by this server.`);
			}
			throw new TokenError('malformed', `The ${what} is not valid.`);
		}
	}
}
