/**
 * Relay benchmark: the same clients, in the same run, against every server given, one scenario
 * at a time (all servers for a scenario, then the next scenario, so a slow drift of the machine
 * is shared). Returns a markdown section. Standalone: `npx tsx bench/relay/run-relay.ts` runs it
 * against the reference server; BENCH_QUICK=1 makes a short smoke run.
 */
import { pathToFileURL } from 'node:url';
import { machine, mib, ms, table } from '../stats';
import {
	manyRooms,
	manyWriters,
	maxSustainedRate,
	loadedFanout,
	oneWriterManyReaders,
	P99_LIMIT_MS,
	presence,
	SHAPES,
	type MaxRateResult,
	type PhaseMeasure,
	type ScenarioOptions,
	type ScenarioResult
} from './scenarios';
import { waitForQuietMachine } from './proc';
import { startReferenceServer, type ServerFactory } from './servers';

export interface RelayServerEntry {
	/** Column header; keep it short. */
	name: string;
	start: ServerFactory;
}

export interface RelayBenchOptions extends ScenarioOptions {
	/**
	 * Before each run, wait until the machine's CPU use (100 = one core) is at most this much.
	 * Default 30; 0 or less skips the wait.
	 */
	quietThresholdPct?: number;
	/**
	 * Longest wait for a quiet machine before running anyway. Default 120 s (quick: 10 s); env
	 * BENCH_QUIET_WAIT_MS overrides.
	 */
	maxQuietWaitMs?: number;
	/**
	 * Rounds of each scenario (every server once per round, the order alternating between
	 * rounds). Default 3 (quick: 1); env BENCH_ROUNDS overrides.
	 */
	rounds?: number;
}

const quietWaitMs = (options: RelayBenchOptions, quick: boolean): number =>
	options.maxQuietWaitMs ?? (Number(process.env.BENCH_QUIET_WAIT_MS) || (quick ? 10_000 : 120_000));

type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

const count = (value: number) => value.toLocaleString('en-US');
const pct = (value: number) => (Number.isFinite(value) ? `${value.toFixed(0)} %` : 'n/a');
const latency = (value: number) => (Number.isFinite(value) ? ms(value) : 'n/a');

function delivered(measure: PhaseMeasure): string {
	const share = measure.expected > 0 ? (measure.delivered / measure.expected) * 100 : 100;
	const lost = measure.expected - measure.delivered;
	return `${count(measure.delivered)} / ${count(measure.expected)} (${share.toFixed(share === 100 ? 0 : 2)} %${lost > 0 ? `, ${count(lost)} missing` : ''})`;
}

/** Rows of one measured phase, one cell per server. */
function measureRows(outcomes: Outcome<ScenarioResult>[], unit: string): string[][] {
	const cell = (render: (result: ScenarioResult) => string) =>
		outcomes.map((outcome) => (outcome.ok ? render(outcome.value) : 'failed'));
	const m = (render: (measure: PhaseMeasure) => string) => cell((result) => render(result.measure));
	const rows: string[][] = [
		[
			'clients connected (measuring latency)',
			...cell((r) => `${r.clients.connected} / ${r.clients.planned} (${r.clients.measuring})`)
		],
		['latency p50', ...m((x) => latency(x.latency.p50))],
		['latency p95', ...m((x) => latency(x.latency.p95))],
		['**latency p99**', ...m((x) => `**${latency(x.latency.p99)}**`)],
		['latency max', ...m((x) => latency(x.latency.max))],
		[
			'first receiver of each edit: p50 / p99',
			...m((x) => `${latency(x.firstArrival.p50)} / ${latency(x.firstArrival.p99)}`)
		],
		['delivered / expected', ...m(delivered)],
		[
			`${unit} sent per second (achieved / target)`,
			...m((x) => `${x.achievedRate.toFixed(1)} / ${x.targetRate}`)
		],
		['server CPU (100 % = 1 core)', ...m((x) => pct(x.serverCpuPct))],
		['server peak RSS', ...m((x) => mib(x.serverPeakRssBytes))],
		[
			'load generator CPU / event loop busy',
			...m((x) => `${pct(x.generator.cpuPct)} / ${pct(x.generator.eventLoopBusyPct)}`)
		],
		['other processes on the machine, CPU', ...m((x) => pct(x.otherCpuPct))],
		['client errors', ...cell((r) => count(r.errorCount))]
	];
	if (outcomes.some((outcome) => outcome.ok && outcome.value.measure.converged !== null)) {
		rows.splice(7, 0, [
			'measuring clients converged',
			...m((x) => (x.converged ? `${x.converged.ok} / ${x.converged.total}` : 'n/a'))
		]);
	}
	return rows;
}

/** Failures and first client errors under a table, so a bad figure comes with its reason. */
function notes(names: string[], outcomes: Outcome<{ errors: string[]; errorCount: number }>[]) {
	const lines: string[] = [];
	outcomes.forEach((outcome, index) => {
		if (!outcome.ok) {
			lines.push(`- ${names[index]} failed: ${outcome.error.split('\n')[0]}`);
		} else if (outcome.value.errorCount > 0) {
			const first = outcome.value.errors.map((error) => `\`${error}\``).join('; ');
			lines.push(`- ${names[index]}: ${outcome.value.errorCount} client errors, first: ${first}`);
		}
	});
	return lines.length > 0 ? `\n\n${lines.join('\n')}` : '';
}

function stepTable(names: string[], outcomes: Outcome<MaxRateResult>[]): string {
	const allRates = [
		...new Set(
			outcomes.flatMap((outcome) => (outcome.ok ? outcome.value.steps.map((s) => s.rate) : []))
		)
	].sort((a, b) => a - b);
	const headers = ['updates/s'];
	for (const name of names) {
		headers.push(`${name}: p50 / p99`, 'delivered', 'server CPU', 'generator busy', 'others CPU');
	}
	const rows = allRates.map((rate) => {
		const row = [String(rate)];
		for (const outcome of outcomes) {
			const step = outcome.ok ? outcome.value.steps.find((s) => s.rate === rate) : undefined;
			if (step === undefined) {
				row.push('—', '—', '—', '—', '—');
				continue;
			}
			const x = step.measure;
			const share = x.expected > 0 ? (x.delivered / x.expected) * 100 : 100;
			row.push(
				`${latency(x.latency.p50)} / ${step.pass ? '' : '**'}${latency(x.latency.p99)}${step.pass ? '' : '**'}${step.attempts > 1 ? ' (2nd try)' : ''}`,
				`${share.toFixed(share === 100 ? 0 : 2)} %`,
				pct(x.serverCpuPct),
				pct(x.generator.eventLoopBusyPct),
				pct(x.otherCpuPct)
			);
		}
		return row;
	});
	return table(headers, rows);
}

function extensionsLine(names: string[], outcomes: Outcome<{ extensions: string }>[]): string {
	return names
		.map((name, index) => {
			const outcome = outcomes[index]!;
			if (!outcome.ok) return `${name}: n/a`;
			return `${name}: ${outcome.value.extensions || 'none'}`;
		})
		.join('; ');
}

function method(quick: boolean, options: RelayBenchOptions, rounds: number): string {
	const v = quick ? 'quick' : 'full';
	const duration = (options.durationMs ?? (quick ? 2_000 : 10_000)) / 1000;
	const warmup = (options.warmupMs ?? (quick ? 500 : 1_000)) / 1000;
	const step = (options.stepMs ?? SHAPES.maxSustainedRate[v].stepMs) / 1000;
	const maxWait = quietWaitMs(options, quick) / 1000;
	const quiet = options.quietThresholdPct ?? 30;
	const cores = machine().split(' ×')[0];
	const writers = SHAPES.manyWriters[v];
	const people = SHAPES.presence[v];
	const max = SHAPES.maxSustainedRate[v];
	const lines = [
		`**Method.** \`bench/relay/\` starts each server as a child process on 127.0.0.1 and drives it with the same clients, in the same run. Each scenario gets a fresh server process (earlier rooms do not weigh on it) and runs against every server before the next scenario starts.`,
		'',
		`- _Rounds._ Each scenario runs ${rounds} time(s) against every server, the order of the servers alternating from one round to the next. A server's column shows its round with the median p99 (every figure in the column is from that round), and the p99 of each round is listed: on a shared 2-core machine one stall elsewhere can decide a single run's p99.`,
		`- _Clients._ One \`ws\` socket and one \`Y.Doc\` per simulated person, speaking the y-websocket protocol directly (sync step 1/2 on connect, \`0,2\` updates, \`1\` awareness) like the official client, without its reconnect timers and BroadcastChannel. permessage-deflate is offered, as browsers do; the server decides. A writer's edit rewrites the title of its own story (a valid one, created once connected, before the warm-up) with \`{ seq, sent-at }\` and a 70-character string, as JSON: one struct, which the server reads, parses and validates like a person's edit.`,
		`- _Latency_ = receive time − sent-at, read from the receiving client's Y.Map after it applied the update (presence: from the awareness state). All clients live in one Node process, so the clocks agree. Applying updates is what a browser does, but it costs the generator ~60 µs per update in a document with 200 writers (Yjs computes a state vector per transaction): where that would exceed the generator, a sample of clients, spread evenly over the room, applies and measures (${writers.measuring} of ${writers.writers} writers; ${people.measuring} of ${people.participants} presence participants; ${max.measuring} of ${max.readers} readers in the rate steps) and the others only count. The server's work is the same either way: it cannot tell what a client does with a frame.`,
		`- _First receiver of each edit_: for every edit (or cursor move), the latency at the measuring client it reached first. The generator handles one frame at a time, so with 200 receivers the last one waits for the 199 before it; the first receiver's latency is the server's own path (receive, apply, store, first send) plus loopback, with the least of that queueing.`,
		`- _Delivered / expected._ Every client counts the edits reaching it by their Yjs ids (writer client id and clock range, from \`Y.decodeUpdate\`; awareness: client id and clock), so a relay that merges updates is counted right. Expected = edits sent × other clients in the room; every client must receive every edit. _Converged_: measuring clients whose map ends at every writer's last edit.`,
		`- _Schedule._ Open loop: each sender has a fixed schedule (phases spread evenly, one 1 ms timer for all) and sends when due, whatever happened to earlier edits. ${warmup} s unmeasured warm-up, then ${duration} s measured; then the harness waits for edits in flight (until all arrived, or none has for 1.5 s).`,
		`- _Server CPU_: utime + stime of the process owning the listening socket (\`/proc/<pid>/stat\`; a wrapper such as \`npx tsx\` is looked through) over the load window, 100 % = one core. _Peak RSS_: highest \`VmRSS\` sampled every 200 ms over the phase.`,
		`- _The generator shares the ${cores}-core machine with the server._ It is one process, kept lean (no per-message work beyond Yjs's own, latency samples in a typed array); its CPU and event-loop busy share are shown. Near 100 % busy it reads arrivals late, and the latency then includes its own queueing. _Other processes_: the machine's busy CPU (\`/proc/stat\`) minus server and generator over the same window; the machine is shared, so before each run the harness waits up to ${maxWait} s for it to fall under ${quiet} % of a core.`,
		`- _Highest sustained rate_: one writer and ${max.readers} readers at ${max.rates.join(', ')} updates/s, ${step} s per step, stopping at the first step that fails: p99 above ${P99_LIMIT_MS} ms, an edit not delivered to every reader, the generator sending under 95 % of the rate, or a client error. A step failing on p99 alone is run once more (marked "2nd try"): one stall elsewhere on the machine can decide a p99.`,
		`- _Presence traffic_: these clients send only their own awareness changes. The official y-websocket 3.1.0 client also sends every remote change it applies back to the server, so real presence traffic into a relay is up to N times what is sent here (option \`echoRemoteAwareness\` makes these clients do the same). Presence is state, not a log: a participant's newer state supersedes the older ones, and a relay may send only the newest of a tick (ours does). A receiver therefore counts a cursor move as delivered when it received that state or a newer one of the same participant; latency is measured on the states it received.`
	];
	if (quick) {
		lines.push(
			'',
			'**Quick mode (BENCH_QUICK=1)**: fewer clients, short phases. A smoke test, not figures.'
		);
	}
	return lines.join('\n');
}

interface DocScenario {
	title: string;
	unit: string;
	run: (factory: ServerFactory, options: ScenarioOptions) => Promise<ScenarioResult>;
}

function docScenarios(quick: boolean): DocScenario[] {
	const v = quick ? 'quick' : 'full';
	const fanout = SHAPES.oneWriterManyReaders[v];
	const loaded = SHAPES.loadedFanout[v];
	const rooms = SHAPES.manyRooms[v];
	const writers = SHAPES.manyWriters[v];
	const people = SHAPES.presence[v];
	return [
		{
			title: `1 writer → ${fanout.readers} readers, one room, ${fanout.rate} updates/s`,
			unit: 'updates',
			run: oneWriterManyReaders
		},
		{
			title: `1 writer → ${loaded.readers} readers, one room, ${loaded.rate} updates/s (${loaded.measuring} readers measure)`,
			unit: 'updates',
			run: loadedFanout
		},
		{
			title: `${rooms.rooms} rooms × ${rooms.clientsPerRoom} clients, 1 writer per room at ${rooms.rate} updates/s`,
			unit: 'updates',
			run: manyRooms
		},
		{
			title: `${writers.writers} writers in one room, ${writers.rate} update/s each`,
			unit: 'updates',
			run: manyWriters
		},
		{
			title: `Presence: ${people.participants} participants moving a cursor at ${people.rate} Hz (awareness)`,
			unit: 'moves',
			run: presence
		}
	];
}

/**
 * The round whose p99 is the median of a server's rounds (the lower middle one for an even
 * count): a figure that one stall elsewhere on the machine cannot decide. A failed round
 * counts as the worst.
 */
function medianRound(list: Outcome<ScenarioResult>[]): Outcome<ScenarioResult> {
	const p99 = (o: Outcome<ScenarioResult>) =>
		o.ok ? o.value.measure.latency.p99 : Number.POSITIVE_INFINITY;
	const sorted = [...list].sort((a, b) => p99(a) - p99(b));
	return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

async function attempt<T>(run: () => Promise<T>): Promise<Outcome<T>> {
	try {
		return { ok: true, value: await run() };
	} catch (error) {
		return { ok: false, error: error instanceof Error ? error.message : String(error) };
	}
}

/** Runs every scenario against every server and returns the markdown section. */
export async function runRelayBenchmark(
	servers: RelayServerEntry[],
	options: RelayBenchOptions = {}
): Promise<string> {
	const quick = options.quick ?? process.env.BENCH_QUICK === '1';
	const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
	const scenarioOptions: ScenarioOptions = { ...options, quick, log };
	const names = servers.map((server) => server.name);
	const threshold = options.quietThresholdPct ?? 30;
	const maxWait = quietWaitMs(options, quick);
	const settle = () =>
		threshold > 0 ? waitForQuietMachine(threshold, maxWait, log) : Promise.resolve(0);
	const sections: string[] = [];
	const rounds = Math.max(1, options.rounds ?? Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 3)));

	for (const scenario of docScenarios(quick)) {
		const runs: Outcome<ScenarioResult>[][] = servers.map(() => []);
		for (let round = 0; round < rounds; round++) {
			// Alternate the order, so a drift of the machine's load favours no server.
			const order = servers.map((_, index) => index);
			if (round % 2 === 1) order.reverse();
			for (const index of order) {
				const server = servers[index]!;
				log(`relay bench: ${scenario.title} — ${server.name} (round ${round + 1} of ${rounds})`);
				await settle();
				const outcome = await attempt(() => scenario.run(server.start, scenarioOptions));
				if (!outcome.ok) log(`  failed: ${outcome.error}`);
				else {
					const x = outcome.value.measure;
					log(
						`  p50 ${x.latency.p50.toFixed(2)} ms, p99 ${x.latency.p99.toFixed(2)} ms, ${x.delivered}/${x.expected} delivered, server CPU ${x.serverCpuPct.toFixed(0)} %`
					);
				}
				runs[index]!.push(outcome);
			}
		}
		const outcomes = runs.map(medianRound);
		const rows = measureRows(outcomes, scenario.unit);
		if (rounds > 1) {
			rows[3]![0] = `**latency p99, median of ${rounds} rounds**`;
			rows.splice(4, 0, [
				`p99 in each round (ms)`,
				...runs.map((list) =>
					list.map((o) => (o.ok ? o.value.measure.latency.p99.toFixed(1) : 'failed')).join(' · ')
				)
			]);
		}
		sections.push(
			`#### ${scenario.title}\n\n${table(['measure', ...names], rows)}${notes(names, outcomes)}`
		);
	}

	const rateOutcomes: Outcome<MaxRateResult>[] = [];
	for (const server of servers) {
		log(`relay bench: highest sustained rate — ${server.name}`);
		await settle();
		const outcome = await attempt(() => maxSustainedRate(server.start, scenarioOptions));
		if (!outcome.ok) log(`  failed: ${outcome.error}`);
		rateOutcomes.push(outcome);
	}
	const shapeMax = SHAPES.maxSustainedRate[quick ? 'quick' : 'full'];
	const summary = table(
		['measure', ...names],
		[
			[
				`**highest rate with p99 ≤ ${P99_LIMIT_MS} ms**, all delivered`,
				...rateOutcomes.map((outcome) => {
					if (!outcome.ok) return 'failed';
					const { highestPassingRate, steps } = outcome.value;
					const rate =
						highestPassingRate === null ? `< ${shapeMax.rates[0]}` : `${highestPassingRate}`;
					const last = steps[steps.length - 1];
					const generatorBound =
						last !== undefined && !last.pass && last.measure.generator.eventLoopBusyPct >= 90
							? '; the generator was ≥ 90 % busy there, so the server may go higher'
							: '';
					const limit =
						last === undefined
							? ''
							: last.pass
								? ' (every step passed)'
								: ` (next step: ${last.failure}${generatorBound})`;
					return `**${rate} updates/s**${limit}`;
				})
			]
		]
	);
	sections.push(
		`#### Highest sustained rate: 1 writer → ${shapeMax.readers} readers, rates ${shapeMax.rates.join(', ')} updates/s\n\n${summary}\n\n${stepTable(names, rateOutcomes)}${notes(names, rateOutcomes)}`
	);

	return [
		'## Relay: update propagation and presence',
		method(quick, options, rounds),
		`WebSocket extensions negotiated: ${extensionsLine(names, rateOutcomes)}.`,
		...sections
	].join('\n\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const started = Date.now();
	runRelayBenchmark([{ name: 'y-websocket-server 0.1.1', start: startReferenceServer }]).then(
		(markdown) => {
			console.log(
				`# Relay benchmark\n\nMachine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}. Took ${((Date.now() - started) / 1000).toFixed(0)} s.\n\n${markdown}`
			);
		},
		(error: unknown) => {
			console.error(error);
			process.exitCode = 1;
		}
	);
}
