/**
 * Cluster benchmark: the same clients against one instance on SQLite, one on PostgreSQL, and
 * three on PostgreSQL + Redis, each instance its own process, in one run. Per setup: update
 * latency for readers on the writer's instance and on another under the relay benchmark's
 * loaded fan-out, presence across instances, the highest sustained update rate, and many small
 * boards at rising load. Returns a markdown section. BENCH_QUICK=1 makes a short smoke run.
 */
import { performance } from 'node:perf_hooks';
import { machine, ms, table } from '../stats';
import { waitForQuietMachine } from '../relay/proc';
import { P99_LIMIT_MS, SHAPES, spread, type LatencySummary } from '../relay/scenarios';
import { POOL_MAX, startDeployment, type Deployment, type Setup } from './deployment';
import { Load, type ClientSpec, type Measure } from './load';

/** Longest wait for a quiet machine before each setup: the whole run stays near 5 minutes. */
const QUIET_WAIT_MS = 20_000;

export const SETUPS: Setup[] = [
	{ name: '1 instance, SQLite', instances: 1, store: 'sqlite', redis: false },
	{ name: '1 instance, PostgreSQL', instances: 1, store: 'postgres', redis: false },
	{ name: '3 instances, PostgreSQL + Redis', instances: 3, store: 'postgres', redis: true }
];

/** Shapes, full and quick; the fan-out and presence ones are the relay benchmark's. */
function shapes(quick: boolean) {
	const v = quick ? 'quick' : 'full';
	return {
		fanout: SHAPES.loadedFanout[v],
		// The cross-instance path on its own: little load, every reader measures.
		light: { readers: 6, measuring: 6, rate: 20 },
		presence: SHAPES.presence[v],
		maxRate: quick
			? { readers: 10, measuring: 5, rates: [200, 400], stepMs: 1_500 }
			: { readers: 50, measuring: 10, rates: [200, 400, 800, 1600, 3200], stepMs: 3_000 },
		boards: quick
			? { boards: 20, people: 6, boardRates: [2, 4], stepMs: 1_500 }
			: { boards: 300, people: 6, boardRates: [1, 2, 4, 8, 16], stepMs: 4_000 },
		durationMs: quick ? 2_000 : 5_000,
		warmupMs: quick ? 500 : 1_000
	};
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

async function attempt<T>(run: () => Promise<T>): Promise<Outcome<T>> {
	try {
		return { ok: true, value: await run() };
	} catch (error) {
		return { ok: false, error: error instanceof Error ? error.message : String(error) };
	}
}

interface PhaseResult {
	measure: Measure;
	connected: number;
	planned: number;
	measuring: { same: number; cross: number };
	errors: string[];
	errorCount: number;
	connectSeconds: number;
}

interface Step {
	rate: number;
	measure: Measure;
	pass: boolean;
	failure: string | null;
	attempts: number;
}

interface StepsResult {
	steps: Step[];
	highest: number | null;
	connected: number;
	planned: number;
	errors: string[];
	errorCount: number;
	connectSeconds: number;
}

interface SetupResult {
	setup: Setup;
	light: Outcome<PhaseResult>;
	fanout: Outcome<PhaseResult>;
	presence: Outcome<PhaseResult>;
	maxRate: Outcome<StepsResult>;
	boards: Outcome<StepsResult>;
	/** Three instances only: the same boards with each board's people on one instance. */
	boardsAffine: Outcome<StepsResult> | null;
}

/** Runs `body` on a load, always closing its clients. */
async function withLoad<T>(
	deployment: Deployment,
	kind: 'doc' | 'awareness',
	specs: ClientSpec[],
	body: (load: Load) => Promise<T>
): Promise<T> {
	const load = new Load(deployment, kind);
	try {
		await load.connect(specs);
		const same = specs.filter((s) => s.measure && s.instance % deployment.instances.length === 0);
		load.noteMeasuring(same.length, specs.filter((s) => s.measure).length - same.length);
		return await body(load);
	} finally {
		await load.close();
	}
}

function phaseResult(load: Load, planned: number, measure: Measure): PhaseResult {
	return {
		measure,
		connected: load.connected,
		planned,
		measuring: load.measuring,
		errors: load.errors,
		errorCount: load.errorCount,
		connectSeconds: load.connectSeconds
	};
}

/** 1 writer on instance 1 → N readers spread round-robin over the instances. */
function fanoutSpecs(room: string, readers: number, measuring: number): ClientSpec[] {
	return [
		{ room, person: 'writer', instance: 0, label: `${room} writer`, sender: true, measure: false },
		...Array.from({ length: readers }, (_, i) => ({
			room,
			person: `reader-${i}`,
			instance: i,
			label: `${room} reader ${i}`,
			sender: false,
			measure: spread(i, readers, measuring)
		}))
	];
}

async function fanout(
	deployment: Deployment,
	quick: boolean,
	shape: 'light' | 'fanout'
): Promise<PhaseResult> {
	const s = shapes(quick);
	const { readers, measuring, rate } = s[shape];
	const specs = fanoutSpecs(shape, readers, measuring);
	return withLoad(deployment, 'doc', specs, async (load) => {
		await load.phase(rate, s.warmupMs);
		return phaseResult(load, specs.length, await load.phase(rate, s.durationMs));
	});
}

async function presence(deployment: Deployment, quick: boolean): Promise<PhaseResult> {
	const s = shapes(quick);
	const { participants, measuring, rate } = s.presence;
	const specs: ClientSpec[] = Array.from({ length: participants }, (_, i) => ({
		room: 'presence',
		person: `participant-${i}`,
		instance: i,
		label: `participant ${i}`,
		sender: true,
		measure: spread(i, participants, measuring)
	}));
	return withLoad(deployment, 'awareness', specs, async (load) => {
		await load.phase(rate, Math.max(s.warmupMs, 1000 / rate));
		return phaseResult(load, specs.length, await load.phase(rate, s.durationMs));
	});
}

/**
 * Runs `rates` in order until a step fails: p99 over the limit, an edit not delivered to every
 * receiver, the generator sending under 95 % of the rate, or a client error. A step failing on
 * p99 alone is run once more (one stall elsewhere on a shared machine can decide a p99).
 */
async function steps(
	load: Load,
	rates: readonly number[],
	perSender: (rate: number) => number,
	stepMs: number,
	warmupMs: number,
	log: (line: string) => void
): Promise<{ steps: Step[]; highest: number | null }> {
	await load.phase(perSender(rates[0]!), warmupMs);
	const judge = (x: Measure): string | null =>
		x.delivered < x.expected
			? `${x.expected - x.delivered} not delivered`
			: x.all.p99 > P99_LIMIT_MS
				? `p99 > ${P99_LIMIT_MS} ms`
				: x.achievedRate < 0.95 * x.targetRate
					? 'generator could not send at this rate'
					: x.errors > 0
						? 'client errors'
						: null;
	const done: Step[] = [];
	let highest: number | null = null;
	for (const rate of rates) {
		let measure = await load.phase(perSender(rate), stepMs);
		let failure = judge(measure);
		let attempts = 1;
		if (failure !== null && failure.startsWith('p99')) {
			log(`    ${rate}: p99 ${measure.all.p99.toFixed(1)} ms — trying once more`);
			measure = await load.phase(perSender(rate), stepMs);
			failure = judge(measure);
			attempts = 2;
		}
		log(
			`    ${rate}: p50 ${measure.all.p50.toFixed(1)} ms, p99 ${measure.all.p99.toFixed(1)} ms, ${measure.delivered}/${measure.expected} delivered, generator ${measure.resources.generator.eventLoopBusyPct.toFixed(0)} % busy${failure ? ` — ${failure}` : ''}`
		);
		done.push({ rate, measure, pass: failure === null, failure, attempts });
		if (failure !== null) break;
		highest = rate;
	}
	return { steps: done, highest };
}

async function maxRate(
	deployment: Deployment,
	quick: boolean,
	log: (line: string) => void
): Promise<StepsResult> {
	const s = shapes(quick);
	const specs = fanoutSpecs('maxrate', s.maxRate.readers, s.maxRate.measuring);
	return withLoad(deployment, 'doc', specs, async (load) => ({
		...(await steps(load, s.maxRate.rates, (rate) => rate, s.maxRate.stepMs, s.warmupMs, log)),
		connected: load.connected,
		planned: specs.length,
		errors: load.errors,
		errorCount: load.errorCount,
		connectSeconds: load.connectSeconds
	}));
}

/**
 * Many small boards: every person writes (the board's rate shared among its people), one
 * person per board measures. `affine`: all of a board's people on one instance (a balancer
 * routing by board); otherwise connections round-robin over the instances.
 */
async function boards(
	deployment: Deployment,
	quick: boolean,
	affine: boolean,
	log: (line: string) => void
): Promise<StepsResult> {
	const s = shapes(quick).boards;
	const specs: ClientSpec[] = [];
	for (let b = 0; b < s.boards; b++) {
		for (let j = 0; j < s.people; j++) {
			specs.push({
				room: `board-${b}`,
				person: `person-${j}`,
				instance: affine ? b : b * s.people + j,
				label: `board-${b} person ${j}`,
				sender: true,
				measure: j === b % s.people
			});
		}
	}
	const { warmupMs } = shapes(quick);
	return withLoad(deployment, 'doc', specs, async (load) => {
		log(`    ${load.connected} connected in ${load.connectSeconds.toFixed(1)} s`);
		return {
			...(await steps(load, s.boardRates, (rate) => rate / s.people, s.stepMs, warmupMs, log)),
			connected: load.connected,
			planned: specs.length,
			errors: load.errors,
			errorCount: load.errorCount,
			connectSeconds: load.connectSeconds
		};
	});
}

// ---------------------------------------------------------------------------------------------
// Markdown

const lat = (value: number) => (Number.isFinite(value) ? ms(value) : 'n/a');
const pct = (value: number) => (Number.isFinite(value) ? `${value.toFixed(0)} %` : 'n/a');
const count = (value: number) => Math.round(value).toLocaleString('en-US');
const pair = (x: LatencySummary) => (x.count > 0 ? `${lat(x.p50)} / ${lat(x.p99)}` : 'n/a');

function deliveredCell(x: Measure): string {
	const share = x.expected > 0 ? (x.delivered / x.expected) * 100 : 100;
	const lost = x.expected - x.delivered;
	return `${share.toFixed(share === 100 ? 0 : 2)} %${lost > 0 ? ` (${count(lost)} missing)` : ''}`;
}

function added(x: Measure, at: 'p50' | 'p99'): string {
	if (x.same.count === 0 || x.cross.count === 0) return 'n/a';
	const delta = x.cross[at] - x.same[at];
	return `${delta >= 0 ? '+' : '−'}${lat(Math.abs(delta))}`;
}

function cpuCell(x: Measure): string {
	const r = x.resources;
	const instances = r.instanceCpuPct.map((value) => value.toFixed(0)).join(' + ');
	return r.instanceCpuPct.length > 1
		? `${instances} = ${pct(r.instanceCpuPct.reduce((a, b) => a + b, 0))}`
		: pct(r.instanceCpuPct[0]!);
}

function storeCell(setup: Setup, x: Measure): string {
	const r = x.resources;
	if (setup.store === 'sqlite') return '(in the instance)';
	return `${pct(r.postgresCpuPct)}, ${count(r.postgresCommitsPerSecond)} commits/s, ${r.postgresConnections} connections`;
}

function redisCell(setup: Setup, x: Measure): string {
	if (!setup.redis) return '—';
	const r = x.resources;
	return `${pct(r.redisCpuPct)}, ${count(r.redisCommandsPerSecond)} commands/s, ${count(r.redisKiBPerSecond)} KiB/s`;
}

function phaseTable(
	results: SetupResult[],
	pick: (r: SetupResult) => Outcome<PhaseResult>,
	unit: string
): string {
	const names = results.map((r) => r.setup.name);
	const cell = (render: (x: PhaseResult, setup: Setup) => string) =>
		results.map((r) => {
			const outcome = pick(r);
			return outcome.ok ? render(outcome.value, r.setup) : 'failed';
		});
	const m = (render: (x: Measure, setup: Setup) => string) =>
		cell((x, setup) => render(x.measure, setup));
	const rows: string[][] = [
		[
			'clients connected (measuring: on instance 1 / on others)',
			...cell((x) => `${x.connected} / ${x.planned} (${x.measuring.same} / ${x.measuring.cross})`)
		],
		['**same instance: p50 / p99**', ...m((x) => `**${pair(x.same)}**`)],
		['same instance: p95', ...m((x) => lat(x.same.p95))],
		['**other instance: p50 / p99**', ...m((x) => `**${pair(x.cross)}**`)],
		['other instance: p95', ...m((x) => (x.cross.count > 0 ? lat(x.cross.p95) : 'n/a'))],
		[
			'**cross-instance added at p99** (at p50)',
			...m((x) => `**${added(x, 'p99')}** (${added(x, 'p50')})`)
		],
		[
			'all receivers: p50 / p95 / p99 / max',
			...m((x) => `${lat(x.all.p50)} / ${lat(x.all.p95)} / ${lat(x.all.p99)} / ${lat(x.all.max)}`)
		],
		[
			'delivered / expected',
			...m((x) => `${count(x.delivered)} / ${count(x.expected)} (${deliveredCell(x)})`)
		],
		[
			`${unit} sent per second (achieved / target)`,
			...m((x) => `${x.achievedRate.toFixed(0)} / ${x.targetRate}`)
		],
		['instance CPU (100 % = 1 core)', ...m((x) => cpuCell(x))],
		['PostgreSQL: backends CPU, commits, connections', ...m((x, setup) => storeCell(setup, x))],
		['Redis: CPU, commands, traffic', ...m((x, setup) => redisCell(setup, x))],
		[
			'load generator CPU / event loop busy',
			...m(
				(x) =>
					`${pct(x.resources.generator.cpuPct)} / ${pct(x.resources.generator.eventLoopBusyPct)}`
			)
		],
		['other processes on the machine, CPU', ...m((x) => pct(x.resources.otherCpuPct))],
		['client errors', ...cell((x) => count(x.errorCount))]
	];
	return table(['measure', ...names], rows) + notes(results.map((r) => [r.setup.name, pick(r)]));
}

function notes(list: [string, Outcome<{ errors: string[]; errorCount: number }> | null][]): string {
	const lines: string[] = [];
	for (const [name, outcome] of list) {
		if (outcome === null) continue;
		if (!outcome.ok) lines.push(`- ${name} failed: ${outcome.error.split('\n')[0]}`);
		else if (outcome.value.errorCount > 0) {
			const first = outcome.value.errors.map((error) => `\`${error}\``).join('; ');
			lines.push(`- ${name}: ${outcome.value.errorCount} client errors, first: ${first}`);
		}
	}
	return lines.length > 0 ? `\n\n${lines.join('\n')}` : '';
}

function highestCell(outcome: Outcome<StepsResult> | null, unit: string): string {
	if (outcome === null) return '—';
	if (!outcome.ok) return 'failed';
	const { highest, steps: done } = outcome.value;
	const last = done[done.length - 1];
	const rate = highest === null ? `< ${done[0]?.rate ?? '?'}` : `${highest}`;
	const bound =
		last !== undefined && !last.pass && last.measure.resources.generator.eventLoopBusyPct >= 90
			? '; the generator was ≥ 90 % busy there'
			: '';
	const why =
		last === undefined
			? ''
			: last.pass
				? ' (every step passed)'
				: ` (next step: ${last.failure}${bound})`;
	return `**${rate} ${unit}**${why}`;
}

function stepsTable(
	columns: [string, Setup, Outcome<StepsResult> | null][],
	rateLabel: string
): string {
	const rates = [
		...new Set(
			columns.flatMap(([, , o]) => (o !== null && o.ok ? o.value.steps.map((s) => s.rate) : []))
		)
	].sort((a, b) => a - b);
	const present = columns.filter(([, , o]) => o !== null);
	const headers = [rateLabel];
	for (const [name] of present) {
		headers.push(
			`${name}: same p50 / p99`,
			'other p99',
			'delivered',
			'instances CPU',
			'generator busy / others CPU'
		);
	}
	const rows = rates.map((rate) => {
		const row = [String(rate)];
		for (const [, , outcome] of present) {
			const step =
				outcome !== null && outcome.ok
					? outcome.value.steps.find((s) => s.rate === rate)
					: undefined;
			if (step === undefined) {
				row.push('—', '—', '—', '—', '—');
				continue;
			}
			const x = step.measure;
			const mark = (text: string) => (step.pass ? text : `**${text}**`);
			row.push(
				`${pair(x.same)}${step.attempts > 1 ? ' (2nd try)' : ''}`,
				x.cross.count > 0 ? mark(lat(x.cross.p99)) : 'n/a',
				deliveredCell(x),
				cpuCell(x),
				`${pct(x.resources.generator.eventLoopBusyPct)} / ${pct(x.resources.otherCpuPct)}`
			);
		}
		return row;
	});
	return table(headers, rows);
}

function boardsResourceTable(columns: [string, Setup, Outcome<StepsResult> | null][]): string {
	const rows: string[][] = [];
	for (const [name, setup, outcome] of columns) {
		if (outcome === null || !outcome.ok) continue;
		for (const step of outcome.value.steps) {
			const x = step.measure;
			rows.push([
				name,
				String(step.rate),
				`${x.achievedRate.toFixed(0)} / ${x.targetRate.toFixed(0)}`,
				`${lat(x.all.p50)} / ${lat(x.all.p99)}`,
				storeCell(setup, x),
				redisCell(setup, x),
				pct(x.resources.otherCpuPct)
			]);
		}
	}
	return table(
		[
			'setup',
			'updates/s per board',
			'updates/s sent (achieved / target)',
			'all: p50 / p99',
			'PostgreSQL: CPU, commits, connections',
			'Redis: CPU, commands, traffic',
			'others CPU'
		],
		rows
	);
}

function method(quick: boolean): string {
	const s = shapes(quick);
	const cores = machine().split(' ×')[0];
	const lines = [
		`**Method.** \`bench/cluster/\` starts each setup fresh: its instances as child processes of \`bench/cluster/instance.ts\` (the production assembly of \`server/index.ts\` without the web app: the store chosen by \`DATABASE_URL\`, Redis fan-out and shared connection tickets with \`REDIS_URL\`, the 2 s member re-read on PostgreSQL, \`DATABASE_POOL_MAX=${POOL_MAX}\`, the per-connection rate limit lifted as in the relay benchmark), a new PostgreSQL database (\`createTestDatabase\`) and a private \`redis-server\` on a free port, both removed after the setup. The instances share one \`SCRUMOPS_SECRET\` made for the run; every client presents a session token signed with it, for its own person and board, as people who joined do (the first connection registers them as members). Every scenario runs against every setup with the same clients: the relay benchmark's (\`bench/relay/client.ts\`), in this process.`,
		'',
		`- _Machine._ ${cores} cores for everything: the instances, PostgreSQL, Redis and the load generator. Three instances do not get three cores: they take turns on two, with the database and the generator. Nothing is pinned.`,
		`- _Placement._ Connections go round-robin over the instances (client _i_ to instance _i_ mod N), as a balancer without sticky sessions spreads them; a writer or the first sender is on instance 1. With one instance, every reader is on the writer's instance and the "other instance" rows are n/a.`,
		`- _Same / other instance._ Every latency sample (receive time − sent-at, read after the receiver applied the update, as in the relay benchmark) is filed by whether the receiver is on the sender's instance. _Cross-instance added at p99_ = other-instance p99 − same-instance p99, in the same phase.`,
		`- _The path alone_: 1 writer → ${s.light.readers} readers (two on each of three instances), ${s.light.rate} updates/s, every reader measures: what crossing instances costs when nothing else is queued.`,
		`- _Fan-out under load_: the relay benchmark's loaded fan-out: 1 writer → ${s.fanout.readers} readers in one document at ${s.fanout.rate} updates/s, ${s.fanout.measuring} readers (spread evenly, so about a third on each instance) apply and measure. ${s.warmupMs / 1000} s warm-up, ${s.durationMs / 1000} s measured, then edits in flight are waited for.`,
		`- _Presence_: the relay benchmark's: ${s.presence.participants} participants in one document moving a cursor at ${s.presence.rate} Hz (awareness), ${s.presence.measuring} of them measure; a sample is same-instance when the cursor's owner is on the receiver's instance.`,
		`- _Highest sustained rate_: 1 writer → ${s.maxRate.readers} readers (${s.maxRate.measuring} measure), ${s.maxRate.rates.join(', ')} updates/s, ${s.maxRate.stepMs / 1000} s per step, until a step fails: p99 of all measuring readers above ${P99_LIMIT_MS} ms, an edit not delivered to every reader (acks fell behind), the generator sending under 95 % of the rate, or a client error. A step failing on p99 alone is run once more ("2nd try").`,
		`- _Many small boards_: ${s.boards.boards} boards × ${s.boards.people} people (${s.boards.boards * s.boards.people} connections), each board its own document; every person edits their own story, the board's rate shared among its people, so each edit goes to ${s.boards.people - 1} others; one person per board measures. The board rate steps through ${s.boards.boardRates.join(', ')} updates/s per board (${s.boards.boardRates.map((r) => r * s.boards.boards).join(', ')} updates/s in all), ${s.boards.stepMs / 1000} s per step, with the same pass criterion as above. Round-robin spreads every board's people over all three instances, so every instance opens every board; the three-instance setup also runs the boards with each board's people on one instance (board _b_ on instance _b_ mod 3), as a balancer routing by board would place them.`,
		`- _Resources_: instance CPU from \`/proc/<pid>/stat\` of each instance process; PostgreSQL: CPU of the backends serving the database (\`pg_stat_activity\`; not the WAL writer or checkpointer), commits per second from \`pg_stat_database\` (flushed about once a second, so approximate), connections open at the end of the window; Redis: its process's CPU and \`INFO stats\` (commands, bytes in + out). _Other processes_: the machine's busy CPU minus all of those and the generator; the machine is shared, so before each setup the harness waits up to ${QUIET_WAIT_MS / 1000} s for it to fall under 30 % of a core.`
	];
	if (quick)
		lines.push(
			'',
			'**Quick mode (BENCH_QUICK=1)**: fewer clients, short phases. A smoke test, not figures.'
		);
	return lines.join('\n');
}

function render(results: SetupResult[], quick: boolean, seconds: number): string {
	const s = shapes(quick);
	const sections: string[] = [];
	sections.push(
		`#### The path alone: 1 writer → ${s.light.readers} readers, ${s.light.rate} updates/s\n\n${phaseTable(results, (r) => r.light, 'updates')}`
	);
	sections.push(
		`#### Update fan-out under load: 1 writer → ${s.fanout.readers} readers, ${s.fanout.rate} updates/s\n\n${phaseTable(results, (r) => r.fanout, 'updates')}`
	);
	sections.push(
		`#### Presence: ${s.presence.participants} participants moving a cursor at ${s.presence.rate} Hz\n\n${phaseTable(results, (r) => r.presence, 'moves')}`
	);
	const maxColumns = results.map((r): [string, Setup, Outcome<StepsResult> | null] => [
		r.setup.name,
		r.setup,
		r.maxRate
	]);
	sections.push(
		`#### Highest sustained rate: 1 writer → ${s.maxRate.readers} readers\n\n${table(
			['measure', ...results.map((r) => r.setup.name)],
			[
				[
					`**highest rate with p99 ≤ ${P99_LIMIT_MS} ms**, all delivered`,
					...results.map((r) => highestCell(r.maxRate, 'updates/s'))
				]
			]
		)}\n\n${stepsTable(maxColumns, 'updates/s')}${notes(results.map((r) => [r.setup.name, r.maxRate]))}`
	);
	const boardColumns: [string, Setup, Outcome<StepsResult> | null][] = [];
	for (const r of results) {
		boardColumns.push([r.setup.name, r.setup, r.boards]);
		if (r.boardsAffine !== null)
			boardColumns.push([`${r.setup.name}, by board`, r.setup, r.boardsAffine]);
	}
	const perBoard = (outcome: Outcome<StepsResult> | null) =>
		outcome !== null && outcome.ok && outcome.value.highest !== null ? outcome.value.highest : null;
	const one = results.find((r) => r.setup.instances === 1 && r.setup.store === 'postgres');
	const three = results.find((r) => r.setup.instances > 1);
	const ratio = (a: number | null, b: number | null) =>
		a !== null && b !== null ? `${(b / a).toFixed(1)}×` : 'n/a';
	const summaryRows: string[][] = [
		[
			'**highest board load with p99 ≤ 50 ms, all delivered**',
			...boardColumns.map(([, , o]) => highestCell(o, 'updates/s per board'))
		],
		[
			'connections made (connect time)',
			...boardColumns.map(([, , o]) =>
				o === null
					? '—'
					: o.ok
						? `${o.value.connected} / ${o.value.planned} (${o.value.connectSeconds.toFixed(1)} s)`
						: 'failed'
			)
		]
	];
	sections.push(
		`#### Many small boards: ${s.boards.boards} boards × ${s.boards.people} people\n\n${table(['measure', ...boardColumns.map(([name]) => name)], summaryRows)}\n\nBoard load of 3 instances against 1 (both on PostgreSQL): round-robin ${ratio(perBoard(one?.boards ?? null), perBoard(three?.boards ?? null))}, by board ${ratio(perBoard(one?.boards ?? null), perBoard(three?.boardsAffine ?? null))} (target ≥ 2×).\n\n${stepsTable(boardColumns, 'updates/s per board')}\n\n${boardsResourceTable(boardColumns)}${notes(boardColumns.map(([name, , o]) => [name, o]))}`
	);
	return [
		'## Several instances: SQLite, PostgreSQL, PostgreSQL + Redis',
		`Run of ${new Date().toISOString().slice(0, 10)} with \`npm run bench -- cluster\`; ${machine()}; took ${seconds.toFixed(0)} s.`,
		method(quick),
		...sections
	].join('\n\n');
}

export async function runClusterBenchmark(
	options: { quick?: boolean; log?: (line: string) => void; setups?: Setup[] } = {}
): Promise<string> {
	const quick = options.quick ?? process.env.BENCH_QUICK === '1';
	const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
	const started = performance.now();
	const results: SetupResult[] = [];
	for (const setup of options.setups ?? SETUPS) {
		log(`cluster bench: ${setup.name}`);
		await waitForQuietMachine(30, quick ? 5_000 : QUIET_WAIT_MS, log);
		const deployment = await startDeployment(setup, log);
		try {
			const run = async <T>(what: string, body: () => Promise<T>): Promise<Outcome<T>> => {
				log(`  ${what}`);
				const outcome = await attempt(body);
				if (!outcome.ok) log(`    failed: ${outcome.error}`);
				return outcome;
			};
			const light = await run('light load', () => fanout(deployment, quick, 'light'));
			const fan = await run('fan-out', () => fanout(deployment, quick, 'fanout'));
			if (fan.ok) {
				const x = fan.value.measure;
				log(
					`    same p99 ${lat(x.same.p99)}, other p99 ${lat(x.cross.p99)}, ${x.delivered}/${x.expected}`
				);
			}
			const people = await run('presence', () => presence(deployment, quick));
			const rate = await run('highest sustained rate', () => maxRate(deployment, quick, log));
			const small = await run('small boards', () => boards(deployment, quick, false, log));
			const affine =
				setup.instances > 1
					? await run('small boards, by board', () => boards(deployment, quick, true, log))
					: null;
			results.push({
				setup,
				light,
				fanout: fan,
				presence: people,
				maxRate: rate,
				boards: small,
				boardsAffine: affine
			});
		} finally {
			await deployment.stop();
		}
	}
	return render(results, quick, (performance.now() - started) / 1000);
}
