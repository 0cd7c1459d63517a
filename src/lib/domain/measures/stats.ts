/** The few statistics the measures use, each written down once. */
import type { Distribution } from '../../contract/measures';

/**
 * The nearest-rank percentile: the value at position ⌈p·n⌉ (1-based) of the sorted samples, so it
 * is always one of the samples; null without samples. `p` is 0–1 (0.9 for the p90).
 */
export function nearestRank(sorted: readonly number[], p: number): number | null {
	if (sorted.length === 0) return null;
	const rank = Math.max(1, Math.ceil(p * sorted.length - 1e-9));
	return sorted[Math.min(sorted.length, rank) - 1]!;
}

/** Rounds to `decimals` places (half away from zero, as people round). */
export function round(value: number, decimals: number): number {
	const factor = 10 ** decimals;
	return (Math.sign(value) * Math.round(Math.abs(value) * factor)) / factor;
}

/** A ratio rounded to three decimals, or null when the whole is zero. */
export function share(part: number, whole: number): number | null {
	return whole > 0 ? round(part / whole, 3) : null;
}

/** Count, mean, nearest-rank median and p90 of the samples, rounded to two decimals. */
export function distribution(samples: readonly number[]): Distribution {
	if (samples.length === 0) return { count: 0, mean: null, median: null, p90: null };
	const sorted = [...samples].sort((a, b) => a - b);
	const sum = sorted.reduce((a, b) => a + b, 0);
	return {
		count: sorted.length,
		mean: round(sum / sorted.length, 2),
		median: round(nearestRank(sorted, 0.5)!, 2),
		p90: round(nearestRank(sorted, 0.9)!, 2)
	};
}

/** Σ of points, rounded to two decimals so sums of fractions read as people wrote them. */
export function sumPoints(values: Iterable<number>): number {
	let sum = 0;
	for (const value of values) sum += value;
	return round(sum, 2);
}
