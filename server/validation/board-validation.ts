/**
 * Server-side validation of every open board: the same engine the browsers run, over the board
 * document and all its team documents, served as JSON by every instance, and published into the
 * board document under the server-owned `findings` key (which clients may not write) by the
 * instance that speaks for the board (voice.ts). Publishing is debounced and runs off the relay's
 * hot path.
 */
import type { Measures } from '../../src/lib/contract/measures';
import { MAX_MEASURE_DAYS } from '../../src/lib/contract/measures';
import { backlogPreview, type BacklogPreview } from '../../src/lib/domain/backlog-preview';
import { boardEvents } from '../../src/lib/domain/board-events';
import { daysBetween } from '../../src/lib/domain/days';
import type { Finding } from '../../src/lib/domain/findings';
import { IncrementalMeasures, periodOf } from '../../src/lib/domain/measures';
import { BoardDocs } from '../../src/lib/sync/board-docs';
import { documentName, FINDINGS_FIELDS, FINDINGS_KEY, META_KEY } from '../../src/lib/sync/layout';
import { BoardProjection } from '../../src/lib/sync/projection';
import type { ShapeLimits } from '../../src/lib/sync/shape/contract';
import type { Logger } from '../log';
import type { DocumentAddress } from '../relay/document-name';
import type { RoomRegistry } from '../relay/registry';
import type { Room } from '../relay/room';
import type { WebhookDispatcher } from '../webhooks/dispatcher';
import { AuthorshipRecorder } from './authorship';
import { commentAuthorProblem } from './comment-authors';
import { watchRetroCards } from './retro-reveal';
import { statusUpdateProblem } from './status-updates';
import { TextEncodingKeeper } from './text-encoding';
import { SoleVoices, type Voice, type Voices } from './voice';

export interface ValidationOptions {
	registry: RoomRegistry;
	log: Logger;
	/** Quiet time after a change before findings are recomputed and published. */
	debounceMs?: number;
	/** How often the clock moves forward for SLA rules (R9). */
	clockTickMs?: number;
	now?: () => number;
	/** The relay's bounds, which converted texts keep to. */
	shapeLimits?: ShapeLimits;
	/** Duration of one validation (revalidate + publish), in seconds. */
	observe?: (seconds: number, findings: readonly Finding[]) => void;
	/** Which instance speaks for each board; this one alone by default. */
	voices?: Voices;
	/** Outbound webhooks: told what the board holds whenever the speaker publishes. */
	webhooks?: WebhookDispatcher;
}

/** What a measures request names: the period's days and a team, each optional. */
export interface MeasuresRequest {
	from?: string;
	to?: string;
	team?: string;
}

/** Validation of one open board. */
export class BoardValidation {
	readonly boardId: string;
	readonly #room: Room;
	readonly #options: ValidationOptions;
	readonly #releases: (() => void)[] = [];
	readonly #teamRooms: Room[] = [];
	readonly #voice: Voice;
	#projection: BoardProjection | null = null;
	#measures: IncrementalMeasures | null = null;
	#published = '';
	#timer: ReturnType<typeof setTimeout> | null = null;
	#clock: ReturnType<typeof setInterval> | null = null;
	#closed = false;
	readonly ready: Promise<void>;

	constructor(room: Room, address: DocumentAddress, options: ValidationOptions) {
		this.boardId = address.boardId;
		this.#room = room;
		this.#options = options;
		this.#voice = (options.voices ?? new SoleVoices()).join(this.boardId);
		this.ready = this.#start();
		this.ready.catch((error: unknown) =>
			options.log.error('validation could not start', { board: this.boardId, error })
		);
	}

	/** This instance's voice for the board: whether it publishes. */
	get voice(): Voice {
		return this.#voice;
	}

	/** Current findings (revalidating what changed since the last call). */
	findings(): readonly Finding[] {
		return this.#projection?.findings() ?? [];
	}

	/** The first `limit` stories of the backlog, for a page still loading the board. */
	backlogPreview(limit: number): BacklogPreview | null {
		return this.#projection ? backlogPreview(this.#projection.state, limit) : null;
	}

	/**
	 * The board's measures over a period (see `measures()` in src/lib/domain/measures), from
	 * parts kept between calls; or why the request cannot be answered: a team the board does not
	 * have, a period longer than MAX_MEASURE_DAYS.
	 */
	measures(query: MeasuresRequest): { measures: Measures } | { problem: string } | null {
		if (!this.#projection || !this.#measures) return null;
		const state = this.#projection.state;
		const teamId = query.team ?? null;
		if (teamId !== null && !state.teams.has(teamId))
			return { problem: `The board has no team "${teamId}".` };
		const now = (this.#options.now ?? Date.now)();
		const options = { from: query.from, to: query.to, teamId, now };
		const period = periodOf(state, options);
		if (period.from > period.to)
			return { problem: `"from" (${period.from}) must be on or before "to" (${period.to}).` };
		if (daysBetween(period.from, period.to) + 1 > MAX_MEASURE_DAYS)
			return { problem: `A period is at most ${MAX_MEASURE_DAYS} days; ask for a shorter one.` };
		return { measures: this.#measures.measures(options) };
	}

	/** Whether the board document holds board settings (an empty document is no board yet). */
	get exists(): boolean {
		return this.#projection?.state.board !== null && this.#projection !== null;
	}

	/**
	 * Whether the board document holds anything under its settings key, readable or not: a board
	 * whose stored settings are rejected still exists, and its admin can repair it.
	 */
	get stored(): boolean {
		return this.#projection !== null && this.#room.doc.getMap(META_KEY).size > 0;
	}

	/** What the readers ignore, `collection/id` → why, sorted by key. */
	rejected(): [string, string][] {
		if (!this.#projection) return [];
		return [...this.#projection.rejected].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	}

	close(): void {
		if (this.#closed) return;
		this.#closed = true;
		if (this.#timer) clearTimeout(this.#timer);
		if (this.#clock) clearInterval(this.#clock);
		// Nothing was attached to a document that failed to load.
		this.#projection?.destroy();
		for (const release of this.#releases.splice(0)) release();
		this.#voice.release();
		this.#options.webhooks?.release(this.boardId);
	}

	async #start(): Promise<void> {
		await this.#room.loaded;
		if (this.#closed) return;
		const now = this.#options.now ?? Date.now;
		const docs = new BoardDocs(this.boardId, this.#room.doc, (teamId) => {
			const team = this.#options.registry.acquire(documentName.team(this.boardId, teamId));
			this.#releases.push(team.hold());
			this.#teamRooms.push(team);
			return team.doc;
		});
		this.#projection = new BoardProjection(docs, { now: now() });
		const measures = (this.#measures = new IncrementalMeasures(this.#projection.state));
		this.#projection.subscribe((changes) => {
			measures.apply(changes);
			this.#schedule();
		});
		this.#releases.push(
			this.#voice.onChange((speaking) => {
				if (!speaking) {
					this.#options.webhooks?.release(this.boardId);
					return;
				}
				this.#primePublished();
				this.#schedule();
			})
		);
		this.#clock = setInterval(() => {
			this.#projection?.setNow(now());
			this.#schedule();
		}, this.#options.clockTickMs ?? 15_000);
		this.#clock.unref();
		await Promise.all(this.#teamRooms.map((team) => team.loaded));
		this.#primePublished();
		this.#publish();
	}

	/** Takes what the document holds as published: findings still true are not written again. */
	#primePublished(): void {
		this.#published = JSON.stringify(
			this.#room.doc.getMap(FINDINGS_KEY).get(FINDINGS_FIELDS.list) ?? null
		);
	}

	#schedule(): void {
		// Only the speaker publishes; the others compute findings when asked.
		if (this.#timer || this.#closed || !this.#voice.speaking) return;
		this.#timer = setTimeout(() => {
			this.#timer = null;
			this.#publish();
		}, this.#options.debounceMs ?? 50);
	}

	#publish(): void {
		if (this.#closed || !this.#projection || this.#room.state === 'closed') return;
		if (!this.#voice.speaking) return;
		// No board settings, no board: writing findings would create a document for any name asked.
		if (this.#projection.state.board === null) return;
		const started = performance.now();
		let findings: readonly Finding[];
		try {
			findings = this.#projection.findings();
			const json = JSON.stringify(findings);
			if (json !== this.#published) {
				this.#published = json;
				this.#write(findings);
			}
			this.#observeEvents(findings);
		} catch (error) {
			// This runs from a timer: a throw here would end the process, not one board's findings.
			this.#options.log.error('publishing findings failed', { board: this.boardId, error });
			return;
		}
		this.#options.observe?.((performance.now() - started) / 1000, findings);
	}

	/** Hands what happened on the board to the outbound webhooks, while this instance speaks. */
	#observeEvents(findings: readonly Finding[]): void {
		const projection = this.#projection;
		if (!this.#options.webhooks || !projection) return;
		const now = this.#options.now ?? Date.now;
		this.#options.webhooks.observe(this.boardId, {
			events: () => boardEvents(projection.state, findings, now()),
			speaking: () => !this.#closed && this.#voice.speaking
		});
	}

	#write(findings: readonly Finding[]): void {
		const origin = this.#voice.origin('publishFindings');
		if (origin === null) {
			// The lease ran out just now: the next speaker publishes them.
			this.#published = '';
			return;
		}
		this.#room.doc.transact(() => {
			const map = this.#room.doc.getMap(FINDINGS_KEY);
			map.set(
				FINDINGS_FIELDS.list,
				findings.map((f) => ({ ...f, refs: f.refs.map((r) => ({ ...r })) }))
			);
			map.set(FINDINGS_FIELDS.updatedAt, new Date((this.#options.now ?? Date.now)()).toISOString());
		}, origin);
	}
}

/**
 * Attaches validation to every board room the registry creates; returns the live validations
 * by board id.
 */
export class ValidationService {
	readonly #boards = new Map<string, BoardValidation>();
	readonly #options: ValidationOptions;

	constructor(options: ValidationOptions) {
		this.#options = options;
	}

	/**
	 * For RegistryOptions.onRoomCreated: validates board documents; in team and personal
	 * documents, reveals retrospective cards when the team stops writing.
	 */
	attach(room: Room, address: DocumentAddress): (() => void) | undefined {
		if (address.teamId !== null || address.personId !== null) {
			return watchRetroCards(room, address, this.#options.registry, this.#options.log);
		}
		const validation = new BoardValidation(room, address, this.#options);
		const text = new TextEncodingKeeper(room, this.#options.log, this.#options.shapeLimits);
		const authorship = new AuthorshipRecorder(room, {
			log: this.#options.log,
			voice: validation.voice,
			now: this.#options.now
		});
		const unvet = room.vet(
			(peer, decoded) =>
				commentAuthorProblem(room.doc, decoded, peer.person) ??
				statusUpdateProblem(room.doc, decoded, peer.person)
		);
		this.#boards.set(address.boardId, validation);
		return () => {
			text.close();
			unvet();
			authorship.close();
			validation.close();
			if (this.#boards.get(address.boardId) === validation) this.#boards.delete(address.boardId);
		};
	}

	get(boardId: string): BoardValidation | undefined {
		return this.#boards.get(boardId);
	}

	/**
	 * Findings of a board, loading it for the call if nobody has it open; null when the board
	 * does not exist.
	 */
	findingsOf(boardId: string): Promise<readonly Finding[] | null> {
		return this.#read(boardId, (validation) => [...validation.findings()]);
	}

	/** The top of a board's backlog (see backlogPreview); null when the board does not exist. */
	backlogPreviewOf(boardId: string, limit: number): Promise<BacklogPreview | null> {
		return this.#read(boardId, (validation) => validation.backlogPreview(limit));
	}

	/**
	 * The board's measures (see BoardValidation.measures), loading it for the call if nobody has
	 * it open; null when the board does not exist.
	 */
	measuresOf(
		boardId: string,
		query: MeasuresRequest
	): Promise<{ measures: Measures } | { problem: string } | null> {
		return this.#read(boardId, (validation) => validation.measures(query));
	}

	/**
	 * What the board's readers ignore (see BoardValidation.rejected); null when the board does
	 * not exist. A board whose settings are rejected exists here, unlike for its findings.
	 */
	rejectedOf(boardId: string): Promise<[string, string][] | null> {
		return this.#read(boardId, (validation) => validation.rejected(), 'stored');
	}

	/** Reads a board's validation, holding its room open (loading it) for the call. */
	async #read<T>(
		boardId: string,
		read: (validation: BoardValidation) => T,
		needs: 'exists' | 'stored' = 'exists'
	): Promise<T | null> {
		const room = this.#options.registry.acquire(documentName.board(boardId));
		const release = room.hold();
		try {
			const validation = this.#boards.get(boardId);
			if (!validation) return null;
			await validation.ready;
			return validation[needs] ? read(validation) : null;
		} finally {
			release();
		}
	}
}
