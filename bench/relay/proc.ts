/**
 * Resource figures: a server process's CPU and RSS from /proc (Linux), and the load generator's
 * own CPU and event-loop utilisation, which tell whether a latency figure is the server's or the
 * generator's.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/** Clock ticks per second for /proc/<pid>/stat times (USER_HZ, 100 on almost every Linux). */
const CLOCK_TICKS_PER_SECOND = (() => {
	try {
		const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
		return value > 0 ? value : 100;
	} catch {
		return 100;
	}
})();

/** utime + stime of `pid` in seconds, or NaN when the process is gone. */
export function processCpuSeconds(pid: number): number {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// Fields after the command name (which may contain spaces) start after the last ')':
		// state is field 3, utime field 14, stime field 15.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
	} catch {
		return Number.NaN;
	}
}

/** VmRSS of `pid` in bytes, or NaN when the process is gone. */
export function processRssBytes(pid: number): number {
	try {
		const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) * 1024 : Number.NaN;
	} catch {
		return Number.NaN;
	}
}

/** Samples a process's RSS every `intervalMs` and keeps the peak; measures CPU over windows. */
export class ProcessMonitor {
	private peak = 0;
	private timer: NodeJS.Timeout | null = null;

	constructor(
		readonly pid: number,
		private readonly intervalMs = 200
	) {}

	start(): void {
		this.sample();
		this.timer = setInterval(() => this.sample(), this.intervalMs);
	}

	private sample(): void {
		const rss = processRssBytes(this.pid);
		if (rss > this.peak) this.peak = rss;
	}

	/** Peak RSS since start or the last reset (sampled now too, so short windows see one). */
	peakRss(): number {
		this.sample();
		return this.peak;
	}

	resetPeak(): void {
		this.peak = 0;
		this.sample();
	}

	stop(): void {
		if (this.timer !== null) clearInterval(this.timer);
		this.timer = null;
	}

	/** Starts a CPU window; the returned function gives CPU % (100 = one core) since then. */
	cpuWindow(): () => number {
		const startCpu = processCpuSeconds(this.pid);
		const startWall = performance.now();
		return () => {
			const seconds = (performance.now() - startWall) / 1000;
			return ((processCpuSeconds(this.pid) - startCpu) / seconds) * 100;
		};
	}
}

export interface GeneratorLoad {
	/** CPU of this process (all threads), 100 = one core. */
	cpuPct: number;
	/** Share of wall time the event loop was busy: near 100 % the generator is the bottleneck. */
	eventLoopBusyPct: number;
}

/** Starts measuring the load generator itself; call the result at the end of the window. */
export function generatorWindow(): () => GeneratorLoad {
	const startCpu = process.cpuUsage();
	const startElu: EventLoopUtilization = performance.eventLoopUtilization();
	const startWall = performance.now();
	return () => {
		const cpu = process.cpuUsage(startCpu);
		const wallMicros = (performance.now() - startWall) * 1000;
		const elu = performance.eventLoopUtilization(startElu);
		return {
			cpuPct: ((cpu.user + cpu.system) / wallMicros) * 100,
			eventLoopBusyPct: elu.utilization * 100
		};
	};
}

/** Busy jiffies of all CPUs together from the first line of /proc/stat, or NaN. */
function machineBusySeconds(): number {
	try {
		const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
		// cpu user nice system idle iowait irq softirq steal …: everything but idle and iowait.
		const [user, nice, system, , , irq, softirq, steal] = line
			.trim()
			.split(/\s+/)
			.slice(1)
			.map(Number);
		return (
			((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) /
			CLOCK_TICKS_PER_SECOND
		);
	} catch {
		return Number.NaN;
	}
}

/**
 * Starts a window over the whole machine's CPU use; the result gives it in % (100 = one core).
 * Subtracting the server and the generator leaves what other processes took meanwhile: the
 * machine is shared, and a figure taken while something else ran should say so.
 */
export function machineWindow(): () => number {
	const start = machineBusySeconds();
	const startWall = performance.now();
	return () => ((machineBusySeconds() - start) / ((performance.now() - startWall) / 1000)) * 100;
}

/**
 * Waits until the machine's CPU use over one second is at most `thresholdPct` (100 = one core),
 * or `maxWaitMs` has passed. Returns the last reading. On a shared machine this keeps a run from
 * measuring someone else's test suite; the tables still show what other processes used.
 */
export async function waitForQuietMachine(
	thresholdPct: number,
	maxWaitMs: number,
	log: (line: string) => void
): Promise<number> {
	const deadline = performance.now() + maxWaitMs;
	let logged = false;
	for (;;) {
		const window = machineWindow();
		await new Promise((resolve) => setTimeout(resolve, 1000));
		const busy = window();
		if (busy <= thresholdPct || Number.isNaN(busy)) return busy;
		if (performance.now() >= deadline) {
			log(`  machine still ${busy.toFixed(0)} % busy after ${maxWaitMs / 1000} s; running anyway`);
			return busy;
		}
		if (!logged) {
			log(`  machine ${busy.toFixed(0)} % busy (other processes); waiting for it to settle`);
			logged = true;
		}
	}
}
