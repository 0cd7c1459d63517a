/**
 * Runs every benchmark and prints its method and figures as markdown (the source of the tables in
 * BENCHMARKS.md). Usage: `npm run bench`.
 */
import { machine } from './stats';
import { runValidationBenchmark } from './validation';

console.log(
	`# ScrumOps Board benchmarks\n\nMachine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}.\n`
);
console.log(runValidationBenchmark());
