import { flushSync } from 'svelte';
import { describe, expect, test, vi } from 'vitest';
import { measureClockOffset } from '../../../src/lib/client/clock';
import { SharedClock } from '../../../src/lib/state/shared-clock.svelte';

/** A server whose clock is `skew` ms ahead, answering after `latencies[i]` ms each time. */
function server(skew: number, latencies: number[]) {
	let local = 1_000_000;
	let call = 0;
	const now = () => local;
	const fetchTime = async () => {
		const latency = latencies[call++ % latencies.length]!;
		local += latency / 2;
		const body = { now: local + skew };
		local += latency / 2;
		return new Response(JSON.stringify(body), { status: 200 });
	};
	return { now, fetchTime };
}

describe('shared clock', () => {
	test('the offset comes from the tightest of a few round trips to GET /api/time', async () => {
		const { now, fetchTime } = server(120_000, [90, 20, 300, 60]);
		const offset = await measureClockOffset(fetchTime, 4, now);
		expect(offset).toEqual({ offsetMs: 120_000, uncertaintyMs: 10 });
	});

	test('without a server the local clock is used, and said to be uncertain', async () => {
		const offset = await measureClockOffset(
			() => Promise.reject(new TypeError('offline')),
			3,
			() => 0
		);
		expect(offset).toEqual({ offsetMs: 0, uncertaintyMs: Number.POSITIVE_INFINITY });
	});

	test('a reader sees the corrected time, ticking while read; a worse estimate does not replace a better one', async () => {
		vi.useFakeTimers({ now: 1_000_000 });
		try {
			const clock = new SharedClock({ tickMs: 1000 });
			await clock.synchronize(async () => ({ offsetMs: 5_000, uncertaintyMs: 10 }));
			await clock.synchronize(async () => ({ offsetMs: 9_000, uncertaintyMs: 400 }));
			const seen: number[] = [];
			const stop = $effect.root(() => {
				$effect(() => {
					seen.push(clock.now);
				});
			});
			flushSync();
			vi.advanceTimersByTime(2_000);
			flushSync();
			stop();
			expect(seen[0]).toBe(1_005_000);
			expect(seen.at(-1)).toBe(1_007_000);
			expect(seen.length).toBeGreaterThanOrEqual(2);
		} finally {
			vi.useRealTimers();
		}
	});
});
