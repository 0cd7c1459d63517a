/**
 * Where an alert group lands and how severe it is (docs/integrations.md, "Routing"), table-driven
 * from Alertmanager's documented example with the labels varied.
 */
import { describe, expect, test } from 'vitest';
import { AlertmanagerPayload } from '../../../src/lib/contract/alerts';
import {
	AlertRouting,
	alertName,
	alertTitle,
	severityFor,
	storyFor
} from '../../../src/lib/domain/alerts';
import { alertSummary, timelineLines } from '../../../src/lib/domain/incidents';
import { WorkPackage, type WorkPackageAlert } from '../../../src/lib/domain/schema';
import { PROBE_FAILURE, TEST_ALERT } from '../../helpers/alertmanager-payloads';

const routing = AlertRouting.parse({
	defaultStoryId: 'support',
	rules: [{ match: { service: 'payments' }, storyId: 'payments', defaultSeverity: 'SEV2' }]
});

/** The documented example with its alerts' and the group's labels changed by `labels`. */
function group(labels: Record<string, string>, base = PROBE_FAILURE) {
	const payload = AlertmanagerPayload.parse(base);
	return {
		...payload,
		commonLabels: { ...payload.commonLabels, ...labels },
		alerts: payload.alerts.map((alert) => ({ ...alert, labels: { ...alert.labels, ...labels } }))
	};
}

describe('severity from the severity label', () => {
	test.each([
		['critical', 'SEV1'],
		['major', 'SEV2'],
		['error', 'SEV2'],
		['warning', 'SEV3'],
		['minor', 'SEV3'],
		['Critical', 'SEV1'],
		['info', 'SEV3'],
		['page', 'SEV3']
	] as const)('[AR1] severity="%s" → %s', (label, expected) => {
		expect(severityFor(routing, group({ severity: label }))).toBe(expected);
	});

	test('[AR2] without a severity label the matching rule’s default applies, else the integration’s', () => {
		expect(severityFor(routing, AlertmanagerPayload.parse(TEST_ALERT))).toBe('SEV3');
		const payments = group({ service: 'payments', severity: 'info' });
		expect(severityFor(routing, payments)).toBe('SEV2');
	});

	test('[AR3] the admin’s reading replaces the built-in one, case aside', () => {
		const custom = AlertRouting.parse({
			defaultStoryId: 'support',
			severities: { page: 'SEV1', critical: 'SEV2' },
			defaultSeverity: 'non-production-defect'
		});
		expect(severityFor(custom, group({ severity: 'PAGE' }))).toBe('SEV1');
		expect(severityFor(custom, group({ severity: 'critical' }))).toBe('SEV2');
		expect(severityFor(custom, group({ severity: 'warning' }))).toBe('SEV3');
		expect(severityFor(custom, group({ severity: 'debug' }))).toBe('non-production-defect');
	});

	test('[AR4] a group takes the most urgent severity of its firing alerts', () => {
		const payload = AlertmanagerPayload.parse(PROBE_FAILURE);
		const base = payload.alerts[0]!;
		const mixed = {
			...payload,
			alerts: [
				{ ...base, labels: { ...base.labels, severity: 'warning' } },
				{ ...base, labels: { ...base.labels, severity: 'major' } },
				{ ...base, status: 'resolved' as const, labels: { ...base.labels, severity: 'critical' } }
			]
		};
		expect(severityFor(routing, mixed)).toBe('SEV2');
	});
});

describe('the story a group lands on', () => {
	test('[AR5] the first rule whose labels all match the group’s common labels, else the default story', () => {
		expect(storyFor(routing, group({ service: 'payments' }))).toBe('payments');
		expect(storyFor(routing, group({ service: 'search' }))).toBe('support');
		expect(storyFor(routing, AlertmanagerPayload.parse(TEST_ALERT))).toBe('support');
	});
});

describe('the title and names of the work', () => {
	test('[AR6] the summary annotation, else the alert name', () => {
		expect(alertTitle(AlertmanagerPayload.parse(PROBE_FAILURE))).toBe(
			'BlackBox Probe Failure: https://server.example.org'
		);
		expect(alertTitle(AlertmanagerPayload.parse(TEST_ALERT))).toBe('Test');
	});

	test('[AR7] a long summary is cut to a title, on one line', () => {
		const long = AlertmanagerPayload.parse({
			...PROBE_FAILURE,
			commonAnnotations: { summary: `Disk\nfull ${'x'.repeat(400)}` }
		});
		const title = alertTitle(long);
		expect(title.length).toBe(200);
		expect(title.startsWith('Disk full x')).toBe(true);
		expect(title.endsWith('…')).toBe(true);
	});

	test('[AR8] a firing alert is named by its alert name and instance', () => {
		const [alert] = AlertmanagerPayload.parse(PROBE_FAILURE).alerts;
		expect(alertName(alert!)).toBe('ProbeFailure on https://server.example.org');
	});
});

describe('the alert on its work package, as the incident view reads it', () => {
	const wp = (alert: Partial<WorkPackageAlert> | null) =>
		WorkPackage.parse({
			id: 'wp-1',
			storyId: 'support',
			title: 'Disk full',
			category: 'incident',
			severity: 'SEV1',
			submitterId: null,
			createdAt: '2026-12-01T09:00:00.000Z',
			slaDeadline: '2026-12-01T15:00:00.000Z',
			planned: false,
			points: null,
			status: 'open',
			completedAt: null,
			swarm: [],
			escalations: [],
			templateId: null,
			timeline: [
				{
					at: '2026-12-01T09:00:00.000Z',
					personId: null,
					action: 'created',
					detail: 'SEV1 Disk full'
				}
			],
			alert:
				alert === null
					? null
					: {
							integrationId: 'int-1',
							generatorUrl: null,
							firing: ['DiskFull on db-1'],
							firingCount: 1,
							lastNotifiedAt: '2026-12-01T09:01:00.000Z',
							resolvedAt: null,
							...alert
						}
		});

	test('[AR9] firing alerts by name, counting those not listed; resolved once resolved; none for people’s work', () => {
		expect(alertSummary(wp({}))).toBe('Firing: DiskFull on db-1');
		expect(alertSummary(wp({ firingCount: 4 }))).toBe('Firing: DiskFull on db-1 (+3 more)');
		expect(alertSummary(wp({ resolvedAt: '2026-12-01T10:00:00.000Z' }))).toBe('Alert resolved');
		expect(alertSummary(wp(null))).toBeNull();
	});

	test('[AR10] the timeline says when Alertmanager resolved the alert, in time order', () => {
		const lines = timelineLines(wp({ resolvedAt: '2026-12-01T10:00:00.000Z' }), () => undefined);
		expect(lines.map((line) => `${line.who} ${line.text}`)).toEqual([
			'Alertmanager says the alert resolved',
			'The board opened it SEV1 Disk full'
		]);
	});

	test('[AR11] a work package written before contract 2.4 reads without an alert', () => {
		const { alert: _alert, ...older } = wp(null);
		expect(WorkPackage.parse(older).alert).toBeNull();
	});
});
