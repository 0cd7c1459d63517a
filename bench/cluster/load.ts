/**
 * Clients of a deployment and the phases they run: the relay benchmark's BenchClient, each
 * connected to the instance its placement gives it, with every latency sample recorded apart by
 * whether sender and receiver are on the same instance. Load is open-loop, as in the relay
 * benchmark (bench/relay/scenarios.ts): senders keep their schedule whatever earlier edits did.
 */
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { BenchClient, createTally, type Tally } from '../relay/client';
import {
	generatorWindow,
	machineWindow,
	processCpuSeconds,
	type GeneratorLoad
} from '../relay/proc';
import { drain, drive, summarizeSorted, type LatencySummary } from '../relay/scenarios';
import type { Deployment } from './deployment';

const CONNECT_CONCURRENCY = 25;
const ERRORS_KEPT = 8;

export interface ClientSpec {
	room: string;
	person: string;
	instance: number;
	label: string;
	/** Writes edits (doc load) or moves a cursor (presence load). */
	sender: boolean;
	measure: boolean;
}

/** Latency apart by where the receiver is: on the sender's instance, or another. */
export interface Split {
	same: Tally;
	cross: Tally;
}

const createSplit = (): Split => ({ same: createTally(), cross: createTally() });

export interface Resources {
	/** Per instance, 100 % = one core. */
	instanceCpuPct: number[];
	postgresCpuPct: number;
	redisCpuPct: number;
	/** Transactions committed per second in the deployment's database. */
	postgresCommitsPerSecond: number;
	redisCommandsPerSecond: number;
	redisKiBPerSecond: number;
	/** Connections the instances hold open to PostgreSQL at the end of the window. */
	postgresConnections: number;
	generator: GeneratorLoad;
	otherCpuPct: number;
}

export interface Measure {
	same: LatencySummary;
	cross: LatencySummary;
	all: LatencySummary;
	delivered: number;
	expected: number;
	sent: number;
	targetRate: number;
	achievedRate: number;
	resources: Resources;
	/** Client errors during this phase. */
	errors: number;
}

/** Clients of one kind of load, placed on a deployment's instances. */
export class Load {
	readonly errors: string[] = [];
	errorCount = 0;
	readonly clients: BenchClient[] = [];
	/** Which instance each client (by Yjs client id) is connected to. */
	private readonly instanceOf = new Map<number, number>();
	readonly tally: Tally = createTally();
	readonly split: Split = createSplit();
	/** Members by room, senders included. */
	readonly rooms = new Map<string, { members: BenchClient[]; senders: BenchClient[] }>();
	private phaseNumber = 0;
	/** Seconds the connections took, all together. */
	connectSeconds = 0;

	constructor(
		private readonly deployment: Deployment,
		private readonly kind: 'doc' | 'awareness'
	) {}

	readonly onError = (message: string) => {
		this.errorCount++;
		if (this.errors.length < ERRORS_KEPT) this.errors.push(message);
	};

	get senders(): BenchClient[] {
		return [...this.rooms.values()].flatMap((room) => room.senders);
	}

	get measuring(): { same: number; cross: number } {
		return { same: this.measuringOn.same, cross: this.measuringOn.cross };
	}

	private readonly measuringOn = { same: 0, cross: 0 };

	/** Connects the clients a batch at a time; failures are reported and left out. */
	async connect(specs: ClientSpec[]): Promise<void> {
		const started = performance.now();
		for (let start = 0; start < specs.length; start += CONNECT_CONCURRENCY) {
			const slice = specs.slice(start, start + CONNECT_CONCURRENCY);
			const urls = await Promise.all(
				slice.map((spec) => this.deployment.url(spec.instance, spec.room, spec.person))
			);
			await Promise.all(
				slice.map(async (spec, index) => {
					const instance = spec.instance % this.deployment.instances.length;
					const latencyTally = (sender: number) =>
						this.instanceOf.get(sender) === instance ? this.split.same : this.split.cross;
					const client = new BenchClient({
						url: urls[index]!,
						label: spec.label,
						docTally: this.kind === 'doc' ? this.tally : null,
						awarenessTally: this.kind === 'awareness' ? this.tally : null,
						measure: spec.measure,
						latencyTally,
						onError: this.onError
					});
					this.instanceOf.set(client.doc.clientID, instance);
					this.clients.push(client);
					try {
						await client.connect(30_000);
					} catch (error) {
						this.onError(error instanceof Error ? error.message : String(error));
						return;
					}
					let room = this.rooms.get(spec.room);
					if (!room) this.rooms.set(spec.room, (room = { members: [], senders: [] }));
					room.members.push(client);
					if (spec.sender) {
						room.senders.push(client);
						if (this.kind === 'doc') client.createStory();
					}
				})
			);
		}
		this.connectSeconds = (performance.now() - started) / 1000;
	}

	/** Which receivers measure, by where they are relative to the senders they hear from. */
	noteMeasuring(same: number, cross: number): void {
		this.measuringOn.same = same;
		this.measuringOn.cross = cross;
	}

	get connected(): number {
		return this.clients.filter((client) => client.open).length;
	}

	/** One phase at `ratePerSender`; its figures whether measured or a warm-up. */
	async phase(ratePerSender: number, durationMs: number): Promise<Measure> {
		const phase = this.phaseNumber++;
		const tallies = [this.tally, this.split.same, this.split.cross];
		for (const tally of tallies) {
			tally.phase = phase;
			tally.delivered = 0;
			tally.latency.reset();
			tally.first.reset();
			tally.from.clear();
		}
		const senders = this.senders;
		for (const sender of senders) {
			const id = sender.doc.clientID;
			this.tally.from.set(
				id,
				this.kind === 'doc'
					? Y.getState(sender.doc.store, id)
					: (sender.awareness?.meta.get(id)?.clock ?? 0) + 1
			);
		}
		const errorsBefore = this.errorCount;
		const window = await resourceWindow(this.deployment);
		const started = performance.now();
		await drive(senders, ratePerSender, durationMs, (client) =>
			this.kind === 'doc' ? client.write(phase) : client.moveCursor(phase)
		);
		const resources = await window();
		const elapsed = performance.now() - started;
		let expected = 0;
		let sent = 0;
		for (const room of this.rooms.values()) {
			for (const sender of room.senders) {
				sent += sender.sent;
				expected += sender.sent * (room.members.length - 1);
			}
		}
		await drain(this.tally, expected);
		const all = Float64Array.from([
			...this.split.same.latency.sorted(),
			...this.split.cross.latency.sorted()
		]).sort();
		return {
			same: summarizeSorted(this.split.same.latency.sorted()),
			cross: summarizeSorted(this.split.cross.latency.sorted()),
			all: summarizeSorted(all),
			delivered: this.tally.delivered,
			expected,
			sent,
			targetRate: ratePerSender * senders.length,
			achievedRate: sent / (elapsed / 1000),
			resources,
			errors: this.errorCount - errorsBefore
		};
	}

	async close(): Promise<void> {
		await Promise.all(this.clients.map((client) => client.close()));
	}
}

/** Starts measuring the deployment's processes, the generator and the machine over a window. */
async function resourceWindow(deployment: Deployment): Promise<() => Promise<Resources>> {
	const { postgres, redis } = deployment;
	const cpu = deployment.monitors.map((monitor) => monitor.cpuWindow());
	const generator = generatorWindow();
	const machine = machineWindow();
	const started = performance.now();
	const backendsBefore = postgres ? await postgres.backends() : [];
	const pgCpuBefore = new Map(backendsBefore.map((pid) => [pid, processCpuSeconds(pid)]));
	const commitsBefore = postgres ? await postgres.commits() : 0;
	const redisCpuBefore = redis ? processCpuSeconds(redis.pid) : 0;
	const redisBefore = redis ? await redis.stats() : { commands: 0, bytes: 0 };
	return async () => {
		const instanceCpuPct = cpu.map((window) => window());
		const generatorLoad = generator();
		const machinePct = machine();
		const seconds = (performance.now() - started) / 1000;
		let postgresCpuPct = 0;
		let postgresConnections = 0;
		let postgresCommitsPerSecond = 0;
		if (postgres) {
			const backends = await postgres.backends();
			postgresConnections = backends.length;
			let used = 0;
			for (const pid of new Set([...backendsBefore, ...backends])) {
				const now = processCpuSeconds(pid);
				if (Number.isFinite(now)) used += now - (pgCpuBefore.get(pid) ?? 0);
			}
			postgresCpuPct = (used / seconds) * 100;
			postgresCommitsPerSecond = ((await postgres.commits()) - commitsBefore) / seconds;
		}
		let redisCpuPct = 0;
		let redisCommandsPerSecond = 0;
		let redisKiBPerSecond = 0;
		if (redis) {
			redisCpuPct = ((processCpuSeconds(redis.pid) - redisCpuBefore) / seconds) * 100;
			const after = await redis.stats();
			redisCommandsPerSecond = (after.commands - redisBefore.commands) / seconds;
			redisKiBPerSecond = (after.bytes - redisBefore.bytes) / 1024 / seconds;
		}
		const accounted =
			instanceCpuPct.reduce((sum, value) => sum + value, 0) +
			postgresCpuPct +
			redisCpuPct +
			generatorLoad.cpuPct;
		return {
			instanceCpuPct,
			postgresCpuPct,
			redisCpuPct,
			postgresCommitsPerSecond,
			redisCommandsPerSecond,
			redisKiBPerSecond,
			postgresConnections,
			generator: generatorLoad,
			otherCpuPct: Math.max(0, machinePct - accounted)
		};
	};
}
