/**
 * This browser's offset to the server's clock, so SLA countdowns and standup timers read the
 * same on every screen whatever each machine's clock says (domain/sla.ts `estimateOffset`).
 */
import { ServerTime } from '../contract/http';
import { estimateOffset, type ClockSample } from '../domain/sla';

export interface ClockOffset {
	offsetMs: number;
	uncertaintyMs: number;
}

/**
 * Asks `GET /api/time` a few times, one after another, and keeps the tightest round trip. A
 * failed request is skipped; with no answer at all the offset is 0 and the uncertainty infinite.
 */
export async function measureClockOffset(
	fetchTime: () => Promise<Response> = () => fetch('/api/time', { cache: 'no-store' }),
	samples = 4,
	now: () => number = Date.now
): Promise<ClockOffset> {
	const taken: ClockSample[] = [];
	for (let i = 0; i < samples; i++) {
		const sentAt = now();
		try {
			const response = await fetchTime();
			if (!response.ok) continue;
			const body = ServerTime.safeParse(await response.json());
			const receivedAt = now();
			if (body.success) taken.push({ sentAt, serverTime: body.data.now, receivedAt });
		} catch {
			// Offline: the local clock is all there is; the caller may measure again later.
		}
	}
	return estimateOffset(taken);
}
