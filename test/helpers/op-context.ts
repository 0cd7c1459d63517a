import type { OpContext } from '../../src/lib/sync/operations';

/** A deterministic OpContext: ids `<prefix>-<n>` and a clock that advances a minute per call. */
export function fixedContext(
	prefix: string,
	actorId: string | null = null,
	start = Date.parse('2026-11-23T09:00:00.000Z')
): OpContext & { advance(minutes: number): void } {
	let counter = 0;
	let clock = start;
	return {
		actorId,
		now: () => new Date(clock).toISOString(),
		newId: () => `${prefix}-${++counter}`,
		advance: (minutes) => void (clock += minutes * 60_000)
	};
}
