/** Token buckets: per WebSocket connection (frames) and per client address (API writes). */

/** Allows `burst` events at once and `rate` per second sustained. */
export class TokenBucket {
	#tokens: number;
	#last: number;
	readonly #rate: number;
	readonly #burst: number;

	constructor(rate: number, burst: number, now = performance.now()) {
		this.#rate = rate;
		this.#burst = burst;
		this.#tokens = burst;
		this.#last = now;
	}

	take(now = performance.now()): boolean {
		this.#refill(now);
		if (this.#tokens < 1) return false;
		this.#tokens -= 1;
		return true;
	}

	/** Seconds until the next event is allowed (0 when one is allowed now). */
	waitSeconds(now = performance.now()): number {
		this.#refill(now);
		return this.#tokens >= 1 ? 0 : (1 - this.#tokens) / this.#rate;
	}

	/** Whether the bucket is back to its burst: forgetting it then changes nothing. */
	full(now = performance.now()): boolean {
		this.#refill(now);
		return this.#tokens >= this.#burst;
	}

	#refill(now: number): void {
		this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) / 1000) * this.#rate);
		this.#last = now;
	}
}

export interface AddressLimit {
	/** Sustained requests per minute from one address. */
	perMinute: number;
	/** Requests one address may make at once above the sustained rate. */
	burst: number;
}

/** Counts one request of `address`: null when allowed, else the seconds to wait. */
export interface WriteLimiter {
	take(address: string): number | null | Promise<number | null>;
	/** Lets go of what it holds (a connection to where the counts are shared). */
	close?(): void;
}

/** Most addresses remembered at once; full buckets are forgotten first. */
const MAX_ADDRESSES = 10_000;

/** One token bucket per client address, forgetting addresses that have been quiet. */
export class AddressLimiter implements WriteLimiter {
	readonly #limit: AddressLimit;
	readonly #buckets = new Map<string, TokenBucket>();

	constructor(limit: AddressLimit) {
		this.#limit = limit;
	}

	/** Takes one request for `address`; null when allowed, else the seconds to wait. */
	take(address: string, now = performance.now()): number | null {
		let bucket = this.#buckets.get(address);
		if (!bucket) {
			if (this.#buckets.size >= MAX_ADDRESSES) this.#forget(now);
			bucket = new TokenBucket(this.#limit.perMinute / 60, this.#limit.burst, now);
			this.#buckets.set(address, bucket);
		}
		return bucket.take(now) ? null : Math.max(1, Math.ceil(bucket.waitSeconds(now)));
	}

	/** Drops buckets that are full again; if none is, the oldest address. */
	#forget(now: number): void {
		for (const [address, bucket] of this.#buckets) {
			if (bucket.full(now)) this.#buckets.delete(address);
		}
		if (this.#buckets.size >= MAX_ADDRESSES) {
			const oldest = this.#buckets.keys().next().value;
			if (oldest !== undefined) this.#buckets.delete(oldest);
		}
	}
}
