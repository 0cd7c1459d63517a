/**
 * One open board in this browser, for as long as its page is open: who the person is and what
 * they may do, the connection and the documents, the board as reactive values, who else is here,
 * one clock shared with the server, and the single way to write. The board layout creates it and
 * puts it in context; every view reads it from there.
 *
 * How it starts: the stored session (no session: the layout sends the person to join), then the
 * top of the backlog from the server while this browser's copy is read, then the connection. The
 * server has the last word on the session: a person removed, or whose session expired, ends up
 * on the join page with the reason (`end`).
 */
import { createContext } from 'svelte';
import * as Y from 'yjs';
import {
	ApiError,
	backlogPreviewApi,
	editMemberApi,
	sessionApi,
	type SessionInfo
} from '../client/api';
import { withServerSession } from '../client/access';
import { attempt } from '../client/attempt';
import { refHref } from '../client/board-links';
import { readOnlyContext } from '../client/read-only';
import { boardTickets } from '../client/tickets';
import { loadSession, saveSession, type SessionEnd, type StoredSession } from '../client/session';
import { sessionEndOfError } from '../contract';
import type { Ref } from '../domain/findings';
import { serverNow } from '../domain/sla';
import type { BoardDocs } from '../sync/board-docs';
import { BoardConnection, syncUrl } from '../sync/connection/board-connection';
import { EditHistory } from '../sync/edit-history';
import { inScope, liveContext, type OpContext } from '../sync/operations';
import { BoardProjection } from '../sync/projection';
import { BoardAccess } from './access.svelte';
import { BoardView } from './board-view.svelte';
import { CeremonyRecords } from './ceremony-records.svelte';
import { ConnectionState } from './connection.svelte';
import { EscalationNotifications, escalationReturns } from './escalation-notices.svelte';
import { MentionNotifications, mentionItems } from './mention-notices.svelte';
import { PersonalInbox } from './personal-inbox.svelte';
import { Presence, type Peer } from './presence.svelte';
import { SharedClock } from './shared-clock.svelte';
import { UndoHistory } from './undo-history.svelte';

/** Backlog rows asked of the server while the board loads: a tall screen's worth. */
const PREVIEW_ROWS = 60;
/** Longest wait for that preview before loading the board anyway. */
const PREVIEW_WAIT_MS = 1_000;
/** While the server refuses or does not answer, how often to ask whether the session holds. */
const SESSION_RECHECK_MS = 10_000;
/** How often findings that depend on the time (R9's SLA clock) are evaluated again. */
const FINDINGS_TICK_MS = 30_000;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Resolves once the browser has painted what is on the page now. */
const afterPaint = () =>
	new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

export class BoardSession {
	readonly boardId: string;
	/** The stored session, confirmed by the server once it answers. */
	person = $state.raw<StoredSession>() as StoredSession;
	/** What the person may do; the server's answer replaces what the stored session says. */
	readonly access: BoardAccess;
	/** SLA countdowns, standup timers and written instants read the server's time. */
	readonly clock = new SharedClock();
	readonly connection: BoardConnection;
	readonly projection: BoardProjection;
	readonly view: BoardView;
	readonly status: ConnectionState;
	readonly presence: Presence;
	readonly records: CeremonyRecords;
	/** What this person dismissed, on every device they use. */
	readonly inbox: PersonalInbox;
	readonly notifications: EscalationNotifications;
	/** Undo and redo of this person's own edits, per view. */
	readonly edits: UndoHistory;
	/** `@` mentions of this person in comments. */
	readonly mentions: MentionNotifications;
	/** Set when the server ended this session for good: the layout sends the person to join. */
	end = $state<SessionEnd | null>(null);

	/** The operation context of every write: this person, the shared clock, read-only if so. */
	readonly ctx: OpContext = $derived.by(() => {
		const base = liveContext(this.person.personId, () => this.now());
		return this.access.readOnly ? readOnlyContext(base) : base;
	});

	readonly #stops: (() => void)[] = [];
	#sessionCheckedAt = 0;
	#handlingEnd = false;
	#everConnected = false;

	/** Opens `boardId` with the session stored in this browser, or null when there is none. */
	static open(boardId: string): BoardSession | null {
		const stored = loadSession(boardId);
		return stored ? new BoardSession(boardId, stored) : null;
	}

	constructor(boardId: string, stored: StoredSession) {
		this.boardId = boardId;
		this.person = stored;
		this.access = new BoardAccess(stored);
		// A large board takes a while to decode, and decoding blocks the page: first show the top
		// of the backlog as the server has it, then read this browser's copy and connect. Without
		// a preview (offline, a slow server) the page just waits for the board.
		let view: BoardView | null = null;
		const previewShown = backlogPreviewApi(boardId, stored.token, PREVIEW_ROWS).then((preview) => {
			view?.showPreview(preview);
			return afterPaint();
		});
		this.connection = new BoardConnection(boardId, {
			wsUrl: syncUrl(location),
			tickets: boardTickets(boardId, stored.token),
			offlineCopy: typeof indexedDB !== 'undefined',
			personId: stored.personId,
			after: Promise.race([previewShown, delay(PREVIEW_WAIT_MS)])
		});
		this.projection = new BoardProjection(this.connection.docs, { now: this.now() });
		this.view = view = new BoardView(this.projection);
		this.status = new ConnectionState(this.connection);
		this.presence = new Presence(this.connection.awareness, {
			personId: stored.personId,
			name: stored.name
		});
		this.records = new CeremonyRecords(this.projection);
		this.inbox = new PersonalInbox(this.connection.personal ?? new Y.Doc());
		this.#stops.push(() => this.inbox.destroy());
		void this.connection
			.whenPersonalSynced(() => this.inbox.since !== null)
			.then(() => this.inbox.markReady(this.now()));
		this.notifications = new EscalationNotifications(
			() =>
				escalationReturns(
					this.view.workPackages,
					this.view,
					this.person.personId,
					this.access.teams
				),
			this.inbox,
			() => this.now()
		);
		const history = new EditHistory(this.connection.docs, () => this.access.teams);
		this.edits = new UndoHistory(history, this.projection, () => this.access.readOnly);
		this.#stops.push(() => history.destroy());
		this.mentions = new MentionNotifications(
			() => mentionItems(this.view.comments, this.person.personId, this.view),
			this.inbox,
			() => this.now()
		);
		const tick = setInterval(() => this.projection.setNow(this.now()), FINDINGS_TICK_MS);
		this.#stops.push(() => clearInterval(tick));
		this.#stops.push(this.#watchConnection());
		this.#confirmSession();
	}

	get docs(): BoardDocs {
		return this.connection.docs;
	}

	/** ms since epoch on the server's clock, not reactive (see `clock.now` for that). */
	now(): number {
		return serverNow(Date.now(), this.clock.offsetMs);
	}

	/**
	 * Runs one intent against the board: null when it went through, else the sentence saying why
	 * it was refused (shown next to the control). Every view writes through here, and what it
	 * writes joins the person's undo history of the view they are in.
	 */
	write(intent: (docs: BoardDocs, ctx: OpContext) => unknown): string | null {
		return attempt(() => intent(this.docs, inScope(this.ctx, this.edits.begin())));
	}

	/** Where the board shows what `ref` names (a finding's link, a Scrum of Scrums line). */
	hrefOf(ref: Ref): string {
		return refHref(this.boardId, ref, {
			sprintTeam: (id) => this.view.sprint(id)?.teamId,
			taskTeam: (id) => this.view.task(id)?.homeTeamId
		});
	}

	/** The name of what `ref` names, for a link's text. */
	nameOf(ref: Ref): string {
		const v = this.view;
		const names: Partial<Record<Ref['kind'], () => string | undefined>> = {
			story: () => v.story(ref.id)?.title,
			team: () => v.team(ref.id)?.name,
			sprint: () => v.sprint(ref.id)?.name,
			person: () => v.person(ref.id)?.name,
			workPackage: () => v.workPackage(ref.id)?.title,
			task: () => v.task(ref.id)?.title
		};
		return names[ref.kind]?.() ?? ref.id;
	}

	/** What another person is doing, for the presence bar. */
	describe(peer: Peer): string {
		if (peer.editing?.kind === 'story') {
			return `editing "${this.view.story(peer.editing.id)?.title ?? 'a story'}"`;
		}
		if (peer.editing?.kind === 'retro') return 'writing retrospective cards';
		return `looking at ${peer.view}`;
	}

	/**
	 * A person on no team puts themselves on one (the admin of their demo sandbox, or any board's
	 * admin): the same member, now on that team. Null when done, else the server's sentence.
	 */
	async pickTeam(teamId: string): Promise<string | null> {
		try {
			await editMemberApi(this.boardId, this.person.token, this.person.personId, {
				teams: [teamId]
			});
			await this.refreshSession();
			return null;
		} catch (error) {
			return error instanceof Error ? error.message : String(error);
		}
	}

	/**
	 * Reads again what the server says of this person (name, teams, roles, admin), e.g. after a
	 * change of their team was approved.
	 */
	async refreshSession(): Promise<void> {
		try {
			this.#confirmed(await sessionApi(this.boardId, this.person.token));
		} catch (error) {
			this.#endIfRefused(error);
		}
	}

	destroy(): void {
		for (const stop of this.#stops.splice(0)) stop();
		this.projection.destroy();
		this.connection.destroy();
	}

	/** The server has the last word on roles and the admin flag. */
	#confirmSession(): void {
		sessionApi(this.boardId, this.person.token).then(
			(info) => this.#confirmed(info),
			(error: unknown) => this.#endIfRefused(error)
		);
	}

	#confirmed(info: SessionInfo): void {
		const confirmed = withServerSession(this.person, info);
		saveSession(this.boardId, confirmed);
		this.person = confirmed;
		this.access.update(confirmed);
		this.presence.setName(confirmed.name);
	}

	/** Re-measures the clock on every (re)connection, and follows the connection's end. */
	#watchConnection(): () => void {
		let wasConnected = false;
		const onStatus = () => {
			const connection = this.connection;
			const connected = connection.status === 'connected';
			// Measured once connected, not while the first rows load, and again after every
			// reconnection: a laptop that slept may have drifted.
			if (connected && !wasConnected) void this.clock.synchronize();
			// A reconnection may follow a change of this person's teams or roles (the server
			// closes their connections then): read what they may do now.
			if (connected && !wasConnected && this.#everConnected) void this.refreshSession();
			if (connected) this.#everConnected = true;
			wasConnected = connected;
			if (connection.copy === 'cleared') this.#reopenFromServer();
			else if (connection.ended) void this.#onEnded();
			else if (
				connection.offlineCause === 'server' &&
				Date.now() - this.#sessionCheckedAt >= SESSION_RECHECK_MS
			) {
				// A connection refused at the upgrade (401) looks like a server that does not
				// answer. Asking about the session tells them apart, e.g. for someone removed, or
				// whose session expired, while this computer slept or the server was down.
				this.#sessionCheckedAt = Date.now();
				sessionApi(this.boardId, this.person.token).catch((error: unknown) =>
					this.#endIfRefused(error)
				);
			}
		};
		return this.connection.onStatus(onStatus);
	}

	/**
	 * This browser's copy could not take the server's changes and was cleared: open the board
	 * again, from the server. Once a minute at most, so a board that still cannot be read does
	 * not reload in a loop.
	 */
	#reopenFromServer(): void {
		const key = `scrumops.copyCleared.${this.boardId}`;
		if (Date.now() - Number(sessionStorage.getItem(key) ?? 0) < 60_000) return;
		sessionStorage.setItem(key, String(Date.now()));
		location.reload();
	}

	/** A session the server no longer accepts ends; other failures change nothing. */
	#endIfRefused(error: unknown): void {
		if (!(error instanceof ApiError && error.fromApi && error.status === 401)) return;
		this.end = sessionEndOfError(error) ?? 'expired';
	}

	/**
	 * The server closed the connection on policy grounds. If the session is refused now, the
	 * person was removed or it expired; if it is still accepted (e.g. a rate limit), connect again.
	 */
	async #onEnded(): Promise<void> {
		if (this.#handlingEnd) return;
		this.#handlingEnd = true;
		const ended = this.connection.ended?.end ?? null;
		try {
			await sessionApi(this.boardId, this.person.token);
			this.connection.resume();
		} catch (error) {
			// The server cannot answer right now: try again on the next close.
			if (error instanceof ApiError && !error.fromApi) this.connection.resume();
			else this.end = ended ?? sessionEndOfError(error) ?? 'expired';
		} finally {
			this.#handlingEnd = false;
		}
	}
}

/** The board layout provides its BoardSession; every view below it reads it. */
export const [getBoardSession, setBoardSession] = createContext<BoardSession>();
