import { describe, expect, test } from 'vitest';
import { AddressLimiter, TokenBucket } from '../../../server/rate-limit';

describe('TokenBucket', () => {
	test('allows a burst, then one event per 1/rate seconds, and says how long to wait', () => {
		const bucket = new TokenBucket(2, 3, 0);
		expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([
			true,
			true,
			true,
			false
		]);
		expect(bucket.waitSeconds(0)).toBeCloseTo(0.5);
		expect(bucket.take(250)).toBe(false);
		expect(bucket.take(500)).toBe(true);
		expect(bucket.full(500)).toBe(false);
		expect(bucket.full(2_000)).toBe(true);
	});
});

describe('AddressLimiter', () => {
	test('each address has its own budget; a refused request learns the whole seconds to wait', () => {
		const limiter = new AddressLimiter({ perMinute: 6, burst: 2 });
		expect(limiter.take('10.0.0.1', 0)).toBeNull();
		expect(limiter.take('10.0.0.1', 0)).toBeNull();
		expect(limiter.take('10.0.0.1', 0)).toBe(10);
		expect(limiter.take('10.0.0.2', 0)).toBeNull();
		expect(limiter.take('10.0.0.1', 9_000)).toBe(1);
		expect(limiter.take('10.0.0.1', 10_000)).toBeNull();
	});
});
