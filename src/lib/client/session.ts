/**
 * The session a person holds for one board, kept in localStorage under
 * `scrumops.session.<boardId>` as JSON `{ token, personId, name }` (plus the teams joined, the
 * roles and the admin flag the server signed into the token).
 */
import type { SessionEnd } from '../contract/session-end';
import type { Role } from '../domain/schema';

export type { SessionEnd };

export interface StoredSession {
	token: string;
	personId: string;
	name: string;
	/** Teams the person joined as a member: their tasks are the ones this person may edit (R11). */
	teams?: string[];
	/** Roles signed into the token; a stakeholder-only person reads the board and writes nothing. */
	roles?: Role[];
	/** The board's admin invites people and removes members. */
	admin?: boolean;
}

const key = (boardId: string) => `scrumops.session.${boardId}`;

/** The stored session of a board, or null when none (or an unreadable one) is stored. */
export function loadSession(
	boardId: string,
	storage: Storage = localStorage
): StoredSession | null {
	const raw = storage.getItem(key(boardId));
	if (!raw) return null;
	try {
		const parsed: unknown = JSON.parse(raw);
		if (
			parsed &&
			typeof parsed === 'object' &&
			typeof (parsed as StoredSession).token === 'string' &&
			typeof (parsed as StoredSession).personId === 'string' &&
			typeof (parsed as StoredSession).name === 'string'
		) {
			return parsed as StoredSession;
		}
	} catch {
		// A damaged entry is treated as no session: the person joins again.
	}
	return null;
}

export function saveSession(
	boardId: string,
	session: StoredSession,
	storage: Storage = localStorage
): void {
	storage.setItem(key(boardId), JSON.stringify(session));
}

export function clearSession(boardId: string, storage: Storage = localStorage): void {
	storage.removeItem(key(boardId));
}

/** Where this browser keeps the id of its demo sandbox (its session is stored like any board's). */
const DEMO_KEY = 'scrumops.demo';

/** The board id of this browser's demo sandbox, or null when it never opened the demo. */
export function demoSandboxId(storage: Storage = localStorage): string | null {
	return storage.getItem(DEMO_KEY);
}

export function saveDemoSandboxId(boardId: string, storage: Storage = localStorage): void {
	storage.setItem(DEMO_KEY, boardId);
}

/** Whether `boardId` is this browser's demo sandbox, or the demo's own address (`demo`). */
export function isDemo(boardId: string, storage: Storage = localStorage): boolean {
	return boardId === 'demo' || demoSandboxId(storage) === boardId;
}

const endKey = (boardId: string) => `scrumops.ended.${boardId}`;

/** Remembers, for the join page of this tab, why the board closed. */
export function noteSessionEnd(
	boardId: string,
	end: SessionEnd,
	storage: Storage = sessionStorage
): void {
	storage.setItem(endKey(boardId), end);
}

/** Why the board closed, once: reading it forgets it. */
export function takeSessionEnd(
	boardId: string,
	storage: Storage = sessionStorage
): SessionEnd | null {
	const end = storage.getItem(endKey(boardId));
	storage.removeItem(endKey(boardId));
	return end === 'removed' || end === 'expired' ? end : null;
}
