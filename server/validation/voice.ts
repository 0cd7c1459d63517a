/**
 * One voice per board. What the server itself writes into a board (its findings, its authorship
 * records) is written by one instance at a time, so several instances serving a board do not
 * publish the same findings three times over or race each other's records.
 *
 * Alone (no other instances), an instance always speaks. With others, it speaks for a board while
 * it holds the board's lease in the store (DocumentStore.claimLeases): every open board's lease is
 * claimed and renewed each `renewMs`, and lasts `ttlMs`. An instance that dies stops renewing, and
 * another one serving the board takes the lease over within `ttlMs + renewMs`. Every write made
 * while speaking carries the lease's fencing token, and the store refuses it once the lease has
 * changed hands: an instance that lost its lease without noticing (paused, cut off) cannot write.
 */
import type { Logger } from '../log';
import type { DocumentStore } from '../store/store';
import { fencedOrigin, SERVER_ORIGIN, type ServerOrigin } from './origin';

/** This instance's voice for one board. */
export interface Voice {
	/** Whether this instance speaks for the board now. */
	readonly speaking: boolean;
	/**
	 * The origin to give a server write to the board (its fence included); null when this
	 * instance does not speak for it.
	 */
	origin(intent: string): ServerOrigin | null;
	/** Calls `listener` whenever `speaking` changes; returns the function that stops it. */
	onChange(listener: (speaking: boolean) => void): () => void;
	/** The board closed on this instance: stop claiming its lease. */
	release(): void;
}

export interface Voices {
	/** The voice of this instance for board `boardId` (a lease named after its document). */
	join(boardId: string): Voice;
	/** Lets every lease go, so other instances take over at once, and stops. */
	close(): Promise<void>;
}

/** A single instance: it speaks for every board it serves, and needs no lease. */
export class SoleVoices implements Voices {
	join(_boardId: string): Voice {
		return {
			speaking: true,
			origin: (intent) => ({ ...SERVER_ORIGIN, intent }),
			onChange: () => () => {},
			release: () => {}
		};
	}

	async close(): Promise<void> {}
}

export interface LeasedVoicesOptions {
	store: DocumentStore;
	/** This instance's id, unique among the instances sharing the store. */
	instanceId: string;
	log: Logger;
	/** How long a lease lasts without renewal. Default 6000 ms. */
	ttlMs?: number;
	/** How often leases are renewed and free ones taken. Default 2000 ms. */
	renewMs?: number;
}

/**
 * Part of the lease time this instance stops speaking early, so its own clock running a little
 * late against the store's cannot make it speak after the store let the lease go.
 */
const SAFETY_SHARE = 0.2;

class LeasedVoice implements Voice {
	readonly #voices: LeasedVoices;
	readonly lease: string;
	readonly #listeners = new Set<(speaking: boolean) => void>();
	speaking = false;
	token = 0;

	constructor(voices: LeasedVoices, lease: string) {
		this.#voices = voices;
		this.lease = lease;
	}

	origin(intent: string): ServerOrigin | null {
		if (!this.#voices.stillSpeaking(this)) return null;
		return fencedOrigin(intent, { lease: this.lease, token: this.token });
	}

	onChange(listener: (speaking: boolean) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	release(): void {
		this.#listeners.clear();
		this.#voices.leave(this);
	}

	/** Sets whether this voice speaks (with `token`), telling the listeners of a change. */
	set(speaking: boolean, token: number): void {
		const changed = speaking !== this.speaking;
		this.speaking = speaking;
		this.token = token;
		if (changed) for (const listener of [...this.#listeners]) listener(speaking);
	}
}

/** Several instances: one speaks for each board, by lease. */
export class LeasedVoices implements Voices {
	readonly #store: DocumentStore;
	readonly #instanceId: string;
	readonly #log: Logger;
	readonly #ttlMs: number;
	readonly #renewMs: number;
	/** Open boards' voices by lease name. */
	readonly #voices = new Map<string, Set<LeasedVoice>>();
	/** Leases this instance holds: their token, and until when (performance.now()) it may speak. */
	#held = new Map<string, { token: number; until: number }>();
	#timer: ReturnType<typeof setTimeout> | null = null;
	/** Falls silent when the leases' time runs out, should no renewal come back before. */
	#expiry: ReturnType<typeof setTimeout> | null = null;
	#claiming: Promise<void> | null = null;
	#claimAgain = false;
	#closed = false;
	#failing = false;

	constructor(options: LeasedVoicesOptions) {
		this.#store = options.store;
		this.#instanceId = options.instanceId;
		this.#log = options.log;
		this.#ttlMs = options.ttlMs ?? 6_000;
		this.#renewMs = options.renewMs ?? 2_000;
		if (!(this.#renewMs > 0 && this.#renewMs * 2 <= this.#ttlMs)) {
			throw new RangeError(
				`Leases are renewed every ${this.#renewMs} ms and last ${this.#ttlMs} ms: renew at least twice per lease time.`
			);
		}
	}

	join(boardId: string): Voice {
		const voice = new LeasedVoice(this, boardId);
		let voices = this.#voices.get(boardId);
		if (!voices) this.#voices.set(boardId, (voices = new Set()));
		voices.add(voice);
		const held = this.#held.get(boardId);
		if (held && performance.now() < held.until) voice.set(true, held.token);
		// A board just opened: claim its lease now rather than at the next renewal.
		else this.#claimSoon();
		return voice;
	}

	/** Whether `voice` may still write: it holds the lease, and its time has not run out. */
	stillSpeaking(voice: LeasedVoice): boolean {
		if (!voice.speaking) return false;
		const held = this.#held.get(voice.lease);
		if (held && held.token === voice.token && performance.now() < held.until) return true;
		// The renewals failed for too long: silent until a claim succeeds again.
		this.#update();
		return false;
	}

	leave(voice: LeasedVoice): void {
		const voices = this.#voices.get(voice.lease);
		if (!voices?.delete(voice) || voices.size > 0) return;
		this.#voices.delete(voice.lease);
		// Let it go soon, so another instance still serving the board takes over at once.
		this.#claimSoon();
	}

	/**
	 * Lets every lease go, waiting at most `waitMs` for the store (a store that does not answer
	 * must not hold up a shutdown: the leases then expire by themselves).
	 */
	async close(waitMs = 2_000): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		if (this.#timer) clearTimeout(this.#timer);
		if (this.#expiry) clearTimeout(this.#expiry);
		this.#timer = null;
		for (const voices of this.#voices.values()) for (const voice of voices) voice.set(false, 0);
		this.#voices.clear();
		this.#held.clear();
		let timer: ReturnType<typeof setTimeout> | undefined;
		const gaveUp = new Promise<'gave up'>((resolve) => {
			timer = setTimeout(() => resolve('gave up'), waitMs);
		});
		try {
			// After a claim under way, so it cannot take back what this lets go.
			const release = (this.#claiming ?? Promise.resolve()).then(() =>
				this.#store.claimLeases(this.#instanceId, [], this.#ttlMs)
			);
			if ((await Promise.race([release, gaveUp])) === 'gave up') {
				this.#log.warn('the store did not answer; the board leases expire by themselves');
			}
		} catch (error) {
			this.#log.warn(
				'could not let the board leases go; other instances take over as they expire',
				{ error }
			);
		} finally {
			clearTimeout(timer);
		}
	}

	#claimSoon(): void {
		if (this.#closed) return;
		if (this.#claiming) {
			this.#claimAgain = true;
			return;
		}
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = setTimeout(() => void this.#claim(), 0);
		this.#timer.unref();
	}

	async #claim(): Promise<void> {
		this.#timer = null;
		if (this.#closed) return;
		this.#claiming = this.#claimOnce();
		await this.#claiming;
		this.#claiming = null;
		if (this.#closed) return;
		const again = this.#claimAgain;
		this.#claimAgain = false;
		// No board open and none held: nothing to renew until one opens.
		if (!again && this.#voices.size === 0 && this.#held.size === 0) return;
		this.#timer = setTimeout(() => void this.#claim(), again ? 0 : this.#renewMs);
		this.#timer.unref();
	}

	async #claimOnce(): Promise<void> {
		const wanted = [...this.#voices.keys()];
		// Before asking: the store's lease starts after this, so the local deadline is early.
		const asked = performance.now();
		try {
			const held = await this.#store.claimLeases(this.#instanceId, wanted, this.#ttlMs);
			const until = asked + this.#ttlMs * (1 - SAFETY_SHARE);
			this.#held = new Map([...held].map(([lease, token]) => [lease, { token, until }]));
			this.#watchExpiry(until);
			if (this.#failing) this.#log.info('board leases renewed again');
			this.#failing = false;
		} catch (error) {
			// What is held stays held until its time runs out; the next renewal tries again.
			if (!this.#failing) {
				this.#log.warn('renewing the board leases failed; retrying', { error });
			}
			this.#failing = true;
		}
		this.#update();
	}

	/**
	 * Brings the voices in line once `until` has passed. A timer may fire a little early against
	 * `performance.now()`: then it waits again, so a voice never stays on past its time.
	 */
	#watchExpiry(until: number): void {
		if (this.#expiry) clearTimeout(this.#expiry);
		const check = () => {
			const left = until - performance.now();
			if (left >= 0) {
				this.#expiry = setTimeout(check, Math.ceil(left) + 1);
				this.#expiry.unref();
				return;
			}
			this.#expiry = null;
			this.#update();
		};
		check();
	}

	/** Brings every voice in line with the leases held now. */
	#update(): void {
		const now = performance.now();
		for (const [lease, voices] of this.#voices) {
			const held = this.#held.get(lease);
			const speaking = held !== undefined && now < held.until;
			for (const voice of voices) {
				if (voice.speaking && speaking && voice.token !== held!.token) voice.set(false, 0);
				voice.set(speaking, speaking ? held!.token : 0);
			}
		}
	}
}
