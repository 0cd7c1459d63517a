/**
 * Outbound webhooks: turns what a board's state holds (src/lib/domain/board-events.ts) into
 * deliveries, and delivers them with retries.
 *
 * Only the instance that speaks for a board (voice.ts) records its occurrences, and recording is
 * idempotent in the store (one delivery per webhook and event id), so a takeover, a restart or
 * two instances reading the same state never send one occurrence twice. Each attempt is claimed
 * in the store before it is made, so two instances draining the same deliveries never make the
 * same attempt either. Pending deliveries are stored: every instance looks for them as it starts
 * and every `sweepMs`, board open or not.
 */
import type { z } from 'zod';
import type { BoardEvent } from '../../src/lib/domain/board-events';
import type { WebhookEventBody } from '../../src/lib/contract/webhooks';
import type { Logger } from '../log';
import type { DeliveryRecord, NewDelivery, WebhookRecord, WebhookStore } from '../store/webhooks';
import { attempt, privateHostProblem } from './delivery';

export interface WebhookDispatcherOptions {
	store: WebhookStore;
	log: Logger;
	now?: () => number;
	/**
	 * Waits before the second, third… attempt; one attempt more than there are waits is made in
	 * all. Default 1, 2, 4 and 8 s: five attempts over 15 s.
	 */
	retryDelaysMs?: readonly number[];
	/** How long one attempt waits for an answer. Default 10 s. */
	timeoutMs?: number;
	/** How often a board's webhooks and due deliveries are read again. Default 2 s. */
	pollMs?: number;
	/**
	 * How often the store is asked for boards with pending deliveries that no open board here
	 * drains (after a restart, a board nobody opened since). Default a minute.
	 */
	sweepMs?: number;
	/** The site's public URL (ORIGIN): events then link to the board. */
	publicUrl?: string | null;
	/**
	 * Whether receivers may be on loopback, private or link-local addresses. Default false:
	 * anyone may create a board, and must not reach the server's own network through it.
	 */
	allowPrivateAddresses?: boolean;
}

/** What a board's validation hands over while this instance speaks for it. */
export interface SpokenBoard {
	/** Every occurrence the board holds now (computed only when the board has webhooks). */
	events(): readonly BoardEvent[];
	/** Whether this instance still speaks for the board. */
	speaking(): boolean;
}

const DEFAULT_RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000];
/** Most deliveries one pass takes. */
const BATCH = 50;

/** Deliveries of one board. */
class BoardDeliveries {
	source: SpokenBoard | null = null;
	/** `<webhook>\0<event>` already recorded from here: not offered to the store again. */
	readonly recorded = new Set<string>();
	readonly inFlight = new Set<Promise<void>>();
	/** The board's webhooks as last read, and when (performance.now()); null: read them again. */
	webhooks: WebhookRecord[] | null = null;
	webhooksReadAt = 0;
	timer: ReturnType<typeof setTimeout> | null = null;
	/** When `timer` fires, performance.now(). */
	timerAt = 0;
	running: Promise<void> | null = null;
	again = false;
	/** The last pass failed (said once in the log, until one succeeds). */
	failing = false;
}

export class WebhookDispatcher {
	readonly #options: WebhookDispatcherOptions;
	readonly #store: WebhookStore;
	readonly #log: Logger;
	readonly #now: () => number;
	readonly #delays: readonly number[];
	readonly #timeoutMs: number;
	readonly #pollMs: number;
	readonly #boards = new Map<string, BoardDeliveries>();
	#sweep: ReturnType<typeof setTimeout> | null = null;
	#closed = false;

	constructor(options: WebhookDispatcherOptions) {
		this.#options = options;
		this.#store = options.store;
		this.#log = options.log;
		this.#now = options.now ?? Date.now;
		this.#delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
		this.#timeoutMs = options.timeoutMs ?? 10_000;
		this.#pollMs = options.pollMs ?? 2_000;
	}

	get store(): WebhookStore {
		return this.#store;
	}

	/** Why a receiver URL is refused here (a private address written out), or null. */
	urlProblem(url: string): string | null {
		return this.#options.allowPrivateAddresses ? null : privateHostProblem(url);
	}

	/** The board changed (or its clock moved) while this instance speaks for it. */
	observe(boardId: string, source: SpokenBoard): void {
		if (this.#closed) return;
		const board = this.#board(boardId);
		board.source = source;
		this.#runSoon(boardId, board, 0);
	}

	/**
	 * This instance no longer speaks for the board (or closed it): it records nothing more, and
	 * stops once the deliveries it can see are settled.
	 */
	release(boardId: string): void {
		const board = this.#boards.get(boardId);
		if (!board) return;
		board.source = null;
		board.recorded.clear();
	}

	/**
	 * Starts draining the deliveries left pending in the store (a restart, a board nobody has
	 * open), now and every `sweepMs`. Attempts are claimed, so instances doing it together send
	 * nothing twice.
	 */
	start(): void {
		if (this.#closed || this.#sweep) return;
		const sweep = async () => {
			try {
				for (const boardId of await this.#store.pendingBoards(1000)) {
					if (!this.#boards.has(boardId)) this.#runSoon(boardId, this.#board(boardId), 0);
				}
			} catch (error) {
				this.#log.warn('boards with pending webhook deliveries could not be read', { error });
			}
			if (this.#closed) return;
			this.#sweep = setTimeout(() => void sweep(), this.#options.sweepMs ?? 60_000);
			this.#sweep.unref?.();
		};
		this.#sweep = setTimeout(() => void sweep(), 0);
		this.#sweep.unref?.();
	}

	/** A webhook was added or removed here: read the board's webhooks again now. */
	changed(boardId: string): void {
		const board = this.#boards.get(boardId);
		if (!board) return;
		board.webhooks = null;
		this.#runSoon(boardId, board, 0);
	}

	/**
	 * Stops, waiting at most `waitMs` for the attempts under way. Deliveries left pending stay
	 * stored; an attempt cut short is made again once its hold ends.
	 */
	async close(waitMs = 2_000): Promise<void> {
		this.#closed = true;
		if (this.#sweep) clearTimeout(this.#sweep);
		const waits: Promise<unknown>[] = [];
		for (const board of this.#boards.values()) {
			if (board.timer) clearTimeout(board.timer);
			board.timer = null;
			if (board.running) waits.push(board.running);
			waits.push(...board.inFlight);
		}
		let timer: ReturnType<typeof setTimeout> | undefined;
		const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
		await Promise.race([Promise.allSettled(waits), gaveUp]);
		clearTimeout(timer);
		this.#boards.clear();
	}

	#board(boardId: string): BoardDeliveries {
		let board = this.#boards.get(boardId);
		if (!board) this.#boards.set(boardId, (board = new BoardDeliveries()));
		return board;
	}

	#runSoon(boardId: string, board: BoardDeliveries, delayMs: number): void {
		if (this.#closed) return;
		if (board.running) {
			board.again = true;
			return;
		}
		const at = performance.now() + delayMs;
		if (board.timer) {
			if (board.timerAt <= at) return; // An earlier pass is already due.
			clearTimeout(board.timer);
		}
		board.timerAt = at;
		board.timer = setTimeout(() => {
			board.timer = null;
			board.running = this.#pass(boardId, board)
				.then((next) => {
					if (board.failing) this.#log.info('webhook deliveries read again', { board: boardId });
					board.failing = false;
					return next;
				})
				.catch((error: unknown) => {
					if (!board.failing) {
						this.#log.warn('webhook deliveries could not be read; retrying', {
							board: boardId,
							error
						});
					}
					board.failing = true;
					return this.#pollMs;
				})
				.then((next) => {
					board.running = null;
					if (this.#closed) return;
					if (board.again) {
						board.again = false;
						this.#runSoon(boardId, board, 0);
					} else if (next !== null) this.#runSoon(boardId, board, next);
					else if (board.source === null && board.inFlight.size === 0) {
						this.#boards.delete(boardId);
					}
				});
		}, delayMs);
		board.timer.unref?.();
	}

	/** Records new occurrences, starts the due attempts; resolves with when to look again. */
	async #pass(boardId: string, board: BoardDeliveries): Promise<number | null> {
		// Read again every poll (another instance may have added or removed one), not on every
		// change of the board.
		if (board.webhooks === null || performance.now() - board.webhooksReadAt >= this.#pollMs) {
			board.webhooks = await this.#store.webhooks(boardId);
			board.webhooksReadAt = performance.now();
		}
		const webhooks = board.webhooks;
		if (board.source && !board.source.speaking()) this.release(boardId);
		// No webhook, nothing to record or deliver (a removed webhook's deliveries went with it).
		if (webhooks.length === 0) return board.source ? this.#pollMs : null;
		if (board.source) await this.#record(boardId, board, webhooks);
		const now = this.#now();
		const due = await this.#store.due(boardId, now, BATCH);
		for (const delivery of due) {
			const webhook = webhooks.find((w) => w.id === delivery.webhookId);
			if (webhook) this.#start(board, webhook, delivery, now);
		}
		if (due.length === BATCH) return 0;
		// The next retry due, else a look every poll while speaking (new webhooks, the SLA clock).
		const [next] = await this.#store.due(boardId, Number.MAX_SAFE_INTEGER, 1);
		const untilNext = next ? Math.max(0, (next.nextAttemptAt ?? now) - this.#now()) : null;
		if (board.source) return Math.min(untilNext ?? this.#pollMs, this.#pollMs);
		return untilNext !== null || board.inFlight.size > 0 ? (untilNext ?? this.#pollMs) : null;
	}

	async #record(boardId: string, board: BoardDeliveries, webhooks: WebhookRecord[]) {
		const fresh: NewDelivery[] = [];
		const createdAt = this.#now();
		for (const event of board.source!.events()) {
			const occurredAt = Date.parse(event.occurredAt);
			for (const webhook of webhooks) {
				// What happened before the webhook existed is not news to its receiver.
				if (!webhook.events.includes(event.type) || occurredAt < webhook.createdAt) continue;
				const key = `${webhook.id}\u0000${event.id}`;
				if (board.recorded.has(key)) continue;
				fresh.push({
					boardId,
					webhookId: webhook.id,
					eventId: event.id,
					type: event.type,
					body: JSON.stringify(this.#body(boardId, event)),
					createdAt
				});
			}
		}
		if (fresh.length === 0) return;
		// Checked right before writing: a voice that lost its lease records nothing.
		if (!board.source?.speaking()) return;
		await this.#store.enqueue(fresh);
		for (const delivery of fresh)
			board.recorded.add(`${delivery.webhookId}\u0000${delivery.eventId}`);
	}

	#body(boardId: string, event: BoardEvent): z.input<typeof WebhookEventBody> {
		const link = this.#link(boardId, event);
		return {
			id: event.id,
			type: event.type,
			boardId,
			occurredAt: event.occurredAt,
			...event.refs,
			text: link ? `${event.text} <${link}>` : event.text
		};
	}

	#link(boardId: string, event: BoardEvent): string | null {
		const base = this.#options.publicUrl?.replace(/\/+$/, '');
		if (!base) return null;
		const board = `${base}/board/${encodeURIComponent(boardId)}`;
		if (event.refs.workPackageId) {
			return `${board}/incidents/${encodeURIComponent(event.refs.workPackageId)}`;
		}
		if (event.refs.sprintId) return `${board}/planning`;
		return board;
	}

	#start(board: BoardDeliveries, webhook: WebhookRecord, delivery: DeliveryRecord, now: number) {
		const run = this.#attempt(webhook, delivery, now).catch((error: unknown) => {
			this.#log.warn('a webhook delivery attempt could not be recorded', {
				board: delivery.boardId,
				webhook: webhook.id,
				event: delivery.eventId,
				error
			});
		});
		board.inFlight.add(run);
		void run.finally(() => board.inFlight.delete(run));
	}

	async #attempt(webhook: WebhookRecord, delivery: DeliveryRecord, now: number): Promise<void> {
		// Held a little past the attempt's own timeout: if this instance dies mid-attempt, the
		// delivery is due again after that.
		const holdUntil = now + this.#timeoutMs + 5_000;
		const claimed = await this.#store.claimAttempt(
			webhook.id,
			delivery.eventId,
			delivery.attempts,
			now,
			holdUntil
		);
		if (!claimed) return;
		const number = delivery.attempts + 1;
		const result = await attempt({
			url: webhook.url,
			secret: webhook.secret,
			body: delivery.body,
			type: delivery.type,
			deliveryId: `${webhook.id}/${delivery.eventId}`,
			timeoutMs: this.#timeoutMs,
			allowPrivate: this.#options.allowPrivateAddresses ?? false
		});
		const at = this.#now();
		const retryIn = this.#delays[number - 1];
		const status = result.ok ? 'delivered' : retryIn === undefined ? 'failed' : 'pending';
		await this.#store.settleAttempt(webhook.id, delivery.eventId, number, {
			status,
			statusCode: result.statusCode,
			error: result.error,
			nextAttemptAt: status === 'pending' ? at + retryIn! : null,
			deliveredAt: result.ok ? at : null
		});
		if (!result.ok) {
			this.#log.warn(
				status === 'failed' ? 'webhook delivery gave up' : 'webhook delivery failed; retrying',
				{
					board: delivery.boardId,
					webhook: webhook.id,
					// The host only: the path and query may hold the receiver's secret.
					host: new URL(webhook.url).host,
					event: delivery.eventId,
					attempt: number,
					status: result.statusCode,
					reason: result.error
				}
			);
		}
		const board = this.#boards.get(delivery.boardId);
		if (board && status === 'pending') this.#runSoon(delivery.boardId, board, retryIn!);
	}
}
