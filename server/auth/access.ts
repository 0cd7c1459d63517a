/**
 * Who may open which document, and what they may do there. A request is trusted only with a
 * session token signed by this server, not expired, for this board, from a member who has not
 * been removed. Inside a board: everyone but a stakeholder writes the board document; a team's
 * tasks document is written by that team's members only (R11); everyone reads everything.
 */
import type { DocumentAddress } from '../relay/document-name';
import type { MemberStore } from '../store/members';
import { TokenError, type Identity, type TokenIssuer } from './tokens';

/** Refusal of a request, with the HTTP status and a sentence that says what to do. */
export class AccessError extends Error {
	readonly status: 401 | 403 | 404;
	constructor(status: 401 | 403 | 404, message: string) {
		super(message);
		this.name = 'AccessError';
		this.status = status;
	}
}

export interface Grant {
	identity: Identity;
	/** False: the connection receives every change but its own are dropped. */
	canWrite: boolean;
}

export type RemovalListener = (boardId: string, personId: string) => void;

export interface AccessControlOptions {
	tokens: TokenIssuer;
	members: MemberStore;
	now?: () => number;
}

export class AccessControl {
	readonly tokens: TokenIssuer;
	readonly members: MemberStore;
	readonly #now: () => number;
	readonly #removalListeners = new Set<RemovalListener>();

	constructor(options: AccessControlOptions) {
		this.tokens = options.tokens;
		this.members = options.members;
		this.#now = options.now ?? Date.now;
	}

	/**
	 * The identity behind a session token for `boardId`. A token the server signed for a person
	 * it has not seen yet (one from `npm run token`) registers them as a member.
	 */
	async authenticate(token: string | null, boardId: string): Promise<Identity> {
		if (token === null || token === '') {
			throw new AccessError(
				401,
				'A session token is needed: join the board through an invite link, then retry.'
			);
		}
		let identity: Identity;
		try {
			identity = await this.tokens.verifySession(token);
		} catch (error) {
			if (error instanceof TokenError) {
				throw new AccessError(401, `${error.message} Join the board again to get a new one.`);
			}
			throw error;
		}
		if (identity.boardId !== boardId) {
			throw new AccessError(
				403,
				`Your session is for board "${identity.boardId}", not "${boardId}": open that board, or ask this board's admin for an invite.`
			);
		}
		const member =
			(await this.members.member(boardId, identity.personId)) ??
			(await this.members.putMember({
				boardId,
				personId: identity.personId,
				name: identity.name,
				teams: [...identity.teams],
				roles: [...identity.roles],
				admin: identity.admin,
				joinedAt: this.#now()
			}));
		if (member.removedAt !== null) {
			throw new AccessError(
				401,
				'You were removed from this board. Ask its admin for a new invite if this is a mistake.'
			);
		}
		return identity;
	}

	/** What `identity` may do with the document at `address` (of its own board). */
	grant(identity: Identity, address: DocumentAddress): Grant {
		if (address.boardId !== identity.boardId) {
			throw new AccessError(403, `Your session is not for board "${address.boardId}".`);
		}
		const readOnlyPerson =
			identity.roles.length > 0 && identity.roles.every((role) => role === 'stakeholder');
		const canWrite =
			!readOnlyPerson && (address.teamId === null || identity.teams.includes(address.teamId));
		return { identity, canWrite };
	}

	/** Authenticates, then checks the person is the board's admin. */
	async authenticateAdmin(token: string | null, boardId: string): Promise<Identity> {
		const identity = await this.authenticate(token, boardId);
		if (!identity.admin) {
			throw new AccessError(403, "Only the board's admin may do this.");
		}
		return identity;
	}

	/** Removes a member: their token stops working and their connections are closed. */
	async removeMember(boardId: string, personId: string): Promise<boolean> {
		const removed = await this.members.remove(boardId, personId, this.#now());
		if (removed) for (const listener of this.#removalListeners) listener(boardId, personId);
		return removed;
	}

	/** Calls `listener` whenever a member is removed; returns the unsubscribe function. */
	onRemoval(listener: RemovalListener): () => void {
		this.#removalListeners.add(listener);
		return () => this.#removalListeners.delete(listener);
	}
}

/** The token of a request: `?token=` first (the y-websocket client's `params`), then the cookie. */
export function tokenOf(url: string | undefined, cookieHeader: string | undefined): string | null {
	const query = url?.indexOf('?') ?? -1;
	if (url !== undefined && query !== -1) {
		const token = new URLSearchParams(url.slice(query + 1)).get('token');
		if (token !== null) return token;
	}
	return cookieValue(cookieHeader, SESSION_COOKIE);
}

/** The bearer token of an HTTP API request, or `?token=`. */
export function bearerOf(
	authorization: string | undefined,
	url: string | undefined
): string | null {
	const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
	return match ? match[1]! : tokenOf(url, undefined);
}

export const SESSION_COOKIE = 'scrumops_token';

function cookieValue(header: string | undefined, name: string): string | null {
	if (!header) return null;
	for (const part of header.split(';')) {
		const separator = part.indexOf('=');
		if (separator === -1) continue;
		if (part.slice(0, separator).trim() !== name) continue;
		try {
			return decodeURIComponent(part.slice(separator + 1).trim());
		} catch {
			return null;
		}
	}
	return null;
}
