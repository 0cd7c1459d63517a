/**
 * The API write limit of a deployment of several instances: one token bucket per client address
 * kept in Redis and updated by one script, atomically, on Redis's clock, so an address gets the
 * same budget however the balancer spreads its requests. While Redis cannot be reached each
 * instance counts on its own (server/rate-limit.ts), as a single instance does.
 */
import { Redis } from 'ioredis';
import type { Logger } from '../log';
import { AddressLimiter, type AddressLimit, type WriteLimiter } from '../rate-limit';

/**
 * KEYS[1]: the address's bucket; ARGV: tokens per ms, burst. Refills by the time since the last
 * request, takes one token if there is one, and answers the ms to wait (0: allowed).
 */
const TAKE = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)
return wait
`;

export class RedisWriteLimiter implements WriteLimiter {
	readonly #redis: Redis;
	readonly #limit: AddressLimit;
	readonly #prefix: string;
	readonly #local: AddressLimiter;

	constructor(options: { url: string; limit: AddressLimit; log: Logger; prefix?: string }) {
		this.#limit = options.limit;
		this.#prefix = `${options.prefix ?? 'scrumops'}:writes:`;
		this.#local = new AddressLimiter(options.limit);
		this.#redis = new Redis(options.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
		this.#redis.defineCommand('scrumopsTake', { numberOfKeys: 1, lua: TAKE });
		this.#redis.on('error', (error: unknown) =>
			options.log.debug('the shared write limit is unreachable', { error })
		);
	}

	async take(address: string): Promise<number | null> {
		const perMs = this.#limit.perMinute / 60_000;
		try {
			const waitMs = Number(
				await (
					this.#redis as Redis & {
						scrumopsTake(key: string, rate: number, burst: number): Promise<number>;
					}
				).scrumopsTake(this.#prefix + address, perMs, this.#limit.burst)
			);
			return waitMs === 0 ? null : Math.max(1, Math.ceil(waitMs / 1000));
		} catch {
			return this.#local.take(address);
		}
	}

	/** Resolves once connected to Redis (until then, each instance counts alone). */
	ready(): Promise<void> {
		if (this.#redis.status === 'ready') return Promise.resolve();
		return new Promise((resolve) => this.#redis.once('ready', () => resolve()));
	}

	close(): void {
		this.#redis.disconnect();
	}
}
