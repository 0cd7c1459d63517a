/**
 * Runs every benchmark and prints its method and figures as markdown (the source of the tables in
 * BENCHMARKS.md). Usage: `npm run bench` (all), `npm run bench -- validation`, `-- findings`, `-- relay`, `-- update-path`,
 * `-- cluster` or `-- ui`.
 */
import { runClusterBenchmark } from './cluster/run-cluster';
import { runFindingsLatencyBenchmark } from './findings-latency';
import { runMeasuresBenchmark } from './measures';
import { runRelayBenchmark } from './relay/run-relay';
import { startScrumOpsServer } from './relay/scrumops-server';
import { runUpdatePathBenchmark } from './relay/update-path';
import { startReferenceServer } from './relay/servers';
import { machine } from './stats';
import { runUiBenchmark } from './ui/run-ui';
import { runValidationBenchmark } from './validation';

const only = process.argv[2];
console.log(
	`# ScrumOps Board benchmarks\n\nMachine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}.\n`
);
if (!only || only === 'validation') console.log(runValidationBenchmark());
if (!only || only === 'measures') console.log(runMeasuresBenchmark());
if (!only || only === 'findings') console.log(await runFindingsLatencyBenchmark());
if (!only || only === 'relay') {
	console.log(
		await runRelayBenchmark([
			{ name: 'ScrumOps relay (SQLite, validation on)', start: startScrumOpsServer },
			{ name: '@y/websocket-server 0.1.1 (memory)', start: startReferenceServer }
		])
	);
}
if (!only || only === 'relay' || only === 'update-path')
	console.log(await runUpdatePathBenchmark());
if (!only || only === 'cluster') console.log(await runClusterBenchmark());
if (!only || only === 'ui') console.log(await runUiBenchmark());
