/** Getting a session for a board: create one, join with an invite, or join the open demo board. */
import { TimeZone } from '../contract/http';
import {
	ApiError,
	createBoardApi,
	importBoardApi,
	joinBoardApi,
	openDemoApi,
	type BoardCreated,
	type Joined,
	type SessionInfo
} from './api';
import {
	demoSandboxId,
	loadSession,
	saveDemoSandboxId,
	saveSession,
	type StoredSession
} from './session';

function toSession(
	joined: BoardCreated & Partial<Pick<Joined, 'teams' | 'roles'>>,
	name: string,
	teams: string[] = [],
	admin = false
): StoredSession {
	return {
		token: joined.token,
		personId: joined.personId,
		name,
		teams: joined.teams ?? teams,
		...(joined.roles ? { roles: joined.roles } : {}),
		admin
	};
}

/** The stored session with what the server says about it now (GET …/session). */
export function withServerSession(session: StoredSession, info: SessionInfo): StoredSession {
	return {
		...session,
		name: info.name,
		teams: info.teams,
		roles: info.roles,
		admin: info.admin
	};
}

/**
 * Joins `boardId` with an invite and stores the session. A browser that holds a session of the
 * board already sends it along (in the body, never the address): the server then resumes that
 * member instead of adding another one.
 */
export async function joinBoard(
	boardId: string,
	input: { name: string; invite?: string }
): Promise<StoredSession> {
	const name = input.name.trim();
	if (!name) throw new ApiError('Enter your name so the team knows who is on the board.', 400);
	const held = loadSession(boardId)?.token;
	const joined = await joinBoardApi(boardId, { ...input, name, ...(held ? { resume: held } : {}) });
	const session = toSession(joined, name);
	saveSession(boardId, session);
	return session;
}

/**
 * Opens this browser's demo sandbox: the one it opened before, proven by the session it holds
 * for it, or a fresh copy of the demo board. Returns the sandbox's board id.
 */
export async function openDemo(input: { name: string }): Promise<string> {
	const name = input.name.trim();
	if (!name) throw new ApiError('Enter your name so the team knows who is on the board.', 400);
	const previous = demoSandboxId();
	const held = previous ? loadSession(previous)?.token : undefined;
	const joined = await openDemoApi({ name, ...(held ? { resume: held } : {}) });
	saveSession(joined.boardId, toSession(joined, name, [], true));
	saveDemoSandboxId(joined.boardId);
	return joined.boardId;
}

/**
 * Creates a board (the server writes its settings and its admin), stores the admin's session
 * and returns the board id.
 */
export async function createBoard(input: { name: string; adminName: string }): Promise<string> {
	const name = input.name.trim();
	const adminName = input.adminName.trim();
	if (!name) throw new ApiError('Give the board a name, e.g. your product.', 400);
	if (!adminName) throw new ApiError('Enter your name: you will be the board admin.', 400);
	const joined = await createBoardApi({ name, adminName, ...browserTimeZone() });
	// The creator is the board's admin (POST /api/boards); the page confirms it with the server.
	saveSession(joined.boardId, toSession(joined, adminName, [], true));
	return joined.boardId;
}

/**
 * Imports a board export file as a new board, whose admin this browser becomes; returns its id.
 * `adminName` names the importer when the file's exporter is not one of its people.
 */
export async function importBoard(input: { text: string; adminName: string }): Promise<string> {
	let file: unknown;
	try {
		file = JSON.parse(input.text);
	} catch {
		throw new ApiError(
			'This file is not a board export: it is not JSON. Choose the .json file "Export board" downloaded.',
			400
		);
	}
	const adminName = input.adminName.trim();
	const imported = await importBoardApi(file, adminName || null);
	// The page asks the server who this session is, name and teams included, once it opens.
	saveSession(imported.boardId, toSession(imported, adminName || 'Admin', [], true));
	return imported.boardId;
}

/** The browser's time zone, for a new board to count its days in; none if it has no name. */
function browserTimeZone(): { timeZone?: string } {
	const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
	return TimeZone.safeParse(timeZone).success ? { timeZone } : {};
}
