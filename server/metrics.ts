/**
 * Prometheus metrics of one server instance (its own registry, so tests can run several
 * servers in one process): connections, rooms, traffic, persistence and validation latency,
 * findings by rule.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Finding } from '../src/lib/domain/findings';

export class ServerMetrics {
	readonly registry = new Registry();
	readonly connections = new Gauge({
		name: 'scrumops_connections',
		help: 'Open WebSocket connections',
		registers: [this.registry]
	});
	readonly rooms = new Gauge({
		name: 'scrumops_rooms',
		help: 'Documents loaded in memory',
		registers: [this.registry]
	});
	readonly connectionsClosed = new Counter({
		name: 'scrumops_connections_closed_total',
		help: 'Closed WebSocket connections by close code',
		labelNames: ['code'],
		registers: [this.registry]
	});
	readonly messagesReceived = new Counter({
		name: 'scrumops_messages_received_total',
		help: 'Frames received, by message type',
		labelNames: ['type'],
		registers: [this.registry]
	});
	readonly bytesReceived = new Counter({
		name: 'scrumops_bytes_received_total',
		help: 'Bytes received in frames',
		registers: [this.registry]
	});
	readonly rejections = new Counter({
		name: 'scrumops_rejections_total',
		help: 'Refused upgrades and connections closed for invalid input',
		registers: [this.registry]
	});
	readonly refusals = new Counter({
		name: 'scrumops_upgrades_refused_total',
		help: 'Upgrades refused for a missing, invalid or expired token (401) or another board (403)',
		labelNames: ['status'],
		registers: [this.registry]
	});
	readonly updatesRefused = new Counter({
		name: 'scrumops_updates_refused_total',
		help: 'Updates refused for breaking the document contract, by reason (docs/security.md)',
		labelNames: ['reason'],
		registers: [this.registry]
	});
	readonly updatesRelayed = new Counter({
		name: 'scrumops_updates_relayed_total',
		help: 'Document updates stored and relayed',
		registers: [this.registry]
	});
	readonly bytesRelayed = new Counter({
		name: 'scrumops_bytes_relayed_total',
		help: 'Update bytes sent to peers (update size × recipients)',
		registers: [this.registry]
	});
	readonly persistence = new Histogram({
		name: 'scrumops_persistence_seconds',
		help: 'Time from a change to its durable append',
		buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
		registers: [this.registry]
	});
	readonly validation = new Histogram({
		name: 'scrumops_validation_seconds',
		help: 'Time to revalidate a board and publish its findings',
		buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
		registers: [this.registry]
	});
	readonly boardsSpokenFor = new Gauge({
		name: 'scrumops_boards_spoken_for',
		help: 'Open boards whose findings and authorship records this instance writes (holds the lease of)',
		registers: [this.registry]
	});
	readonly findings = new Gauge({
		name: 'scrumops_findings',
		help: 'Current findings of open boards, by rule and severity',
		labelNames: ['board', 'rule', 'severity'],
		registers: [this.registry]
	});

	/** Label sets last set per board, so a rule that no longer fires drops out. */
	readonly #findingLabels = new Map<string, { rule: string; severity: string }[]>();

	constructor() {
		collectDefaultMetrics({ register: this.registry, prefix: 'scrumops_' });
	}

	/** Replaces a board's findings gauge with its current counts. */
	setFindings(boardId: string, findings: readonly Finding[] | null): void {
		const counts = new Map<string, number>();
		for (const f of findings ?? []) {
			const key = `${f.rule}\u0000${f.severity}`;
			counts.set(key, (counts.get(key) ?? 0) + 1);
		}
		for (const labels of this.#findingLabels.get(boardId) ?? []) {
			this.findings.remove({ board: boardId, ...labels });
		}
		const current: { rule: string; severity: string }[] = [];
		for (const [key, count] of counts) {
			const [rule, severity] = key.split('\u0000') as [string, string];
			this.findings.set({ board: boardId, rule, severity }, count);
			current.push({ rule, severity });
		}
		this.#findingLabels.set(boardId, current);
	}
}
