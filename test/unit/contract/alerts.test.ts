/**
 * Alertmanager's webhook notification as the intake reads it: the published examples parse,
 * with nothing lost that the board uses; malformed notifications are refused saying what is
 * wrong; and the routing an admin sets reads as documented.
 */
import { describe, expect, test } from 'vitest';
import {
	AlertmanagerPayload,
	IntegrationRequest,
	MAX_ALERTS,
	MAX_LABELS
} from '../../../src/lib/contract/alerts';
import { PROBE_FAILURE, TEST_ALERT, resolved } from '../../helpers/alertmanager-payloads';

function problem(payload: unknown): string {
	const result = AlertmanagerPayload.safeParse(payload);
	expect(result.success, 'the payload should be refused').toBe(false);
	const issue = result.error!.issues[0]!;
	return `${issue.path.join('.')}: ${issue.message}`;
}

describe('the Alertmanager payload (webhook_config, version "4")', () => {
	test('[AI1] the documented example of Alertmanager 0.25 parses, labels, links and times intact', () => {
		const payload = AlertmanagerPayload.parse(PROBE_FAILURE);
		expect(payload.groupKey).toBe('{}/{severity="critical"}:{alertname="ProbeFailure"}');
		expect(payload.status).toBe('firing');
		expect(payload.truncatedAlerts).toBe(0);
		expect(payload.alerts).toHaveLength(1);
		const [alert] = payload.alerts;
		expect(alert!.labels.severity).toBe('critical');
		expect(alert!.annotations.summary).toBe('BlackBox Probe Failure: https://server.example.org');
		expect(alert!.generatorURL).toMatch(/^http:\/\/prometheus\.example\.org:9090\/graph\?/);
		expect(alert!.startsAt).toBe('2023-02-06T13:08:45.828Z');
		// The zero time: "not ended yet".
		expect(alert!.endsAt).toBe('0001-01-01T00:00:00Z');
	});

	test('[AI2] an older notification without truncatedAlerts or fingerprints, nanosecond times, parses', () => {
		const payload = AlertmanagerPayload.parse(TEST_ALERT);
		expect(payload.truncatedAlerts).toBe(0);
		expect(payload.alerts[0]!.startsAt).toBe('2018-08-03T09:52:26.739266876+02:00');
		expect(payload.commonAnnotations).toEqual({ description: 'some description' });
	});

	test('[AI3] a resolved group parses as resolved, and fields Alertmanager may add are ignored', () => {
		const payload = AlertmanagerPayload.parse({
			...resolved(PROBE_FAILURE),
			orgId: 1,
			alerts: resolved(PROBE_FAILURE).alerts.map((a) => ({ ...a, silenceURL: 'http://x' }))
		});
		expect(payload.status).toBe('resolved');
		expect(payload.alerts[0]!.status).toBe('resolved');
		expect(payload).not.toHaveProperty('orgId');
	});

	test('[AI4] an empty generatorURL reads as no link; a link that is not http(s) is refused', () => {
		const empty = structuredClone(PROBE_FAILURE);
		empty.alerts[0]!.generatorURL = '';
		expect(AlertmanagerPayload.parse(empty).alerts[0]!.generatorURL).toBeNull();
		const script = structuredClone(PROBE_FAILURE);
		script.alerts[0]!.generatorURL = 'javascript:alert(1)';
		expect(problem(script)).toMatch(/^alerts\.0\.generatorURL: .*http/);
	});

	test.each([
		['another payload version', { ...PROBE_FAILURE, version: '3' }, /^version: .*version "4"/],
		['no groupKey', { ...PROBE_FAILURE, groupKey: undefined }, /^groupKey: /],
		['an empty groupKey', { ...PROBE_FAILURE, groupKey: '' }, /^groupKey: groupKey is empty/],
		['no alerts', { ...PROBE_FAILURE, alerts: [] }, /^alerts: .*at least one alert/],
		['an unknown status', { ...PROBE_FAILURE, status: 'pending' }, /^status: /],
		[
			'a start time that is not RFC 3339',
			{ ...PROBE_FAILURE, alerts: [{ ...PROBE_FAILURE.alerts[0], startsAt: 'yesterday' }] },
			/^alerts\.0\.startsAt: /
		],
		[
			'a label value that is not a string',
			{ ...PROBE_FAILURE, commonLabels: { severity: 1 } },
			/^commonLabels\.severity: /
		],
		[
			'a label name Prometheus would not make',
			{ ...PROBE_FAILURE, commonLabels: { 'not a label': 'x' } },
			/^commonLabels\.not a label: .*label names/
		],
		[
			`more than ${MAX_ALERTS} alerts`,
			{ ...PROBE_FAILURE, alerts: Array(MAX_ALERTS + 1).fill(PROBE_FAILURE.alerts[0]) },
			/^alerts: .*max_alerts/
		],
		[
			`more than ${MAX_LABELS} labels`,
			{
				...PROBE_FAILURE,
				groupLabels: Object.fromEntries(
					Array.from({ length: MAX_LABELS + 1 }, (_, i) => [`l${i}`, 'x'])
				)
			},
			/^groupLabels: at most 64 labels/
		]
	])('[AI5] a notification with %s is refused, naming the field', (_what, payload, expected) => {
		expect(problem(payload)).toMatch(expected);
	});
});

describe('the integration an admin creates', () => {
	test('[AI6] defaults: no rules, the built-in severity reading, SEV3 otherwise, resolution recorded', () => {
		expect(IntegrationRequest.parse({ name: ' Prod ', defaultStoryId: 's1' })).toEqual({
			name: 'Prod',
			defaultStoryId: 's1',
			rules: [],
			severities: {},
			defaultSeverity: 'SEV3',
			onResolved: 'record'
		});
	});

	test('[AI7] a rule matches at least one label; unknown fields are refused', () => {
		const rule = (match: Record<string, string>) =>
			IntegrationRequest.safeParse({
				name: 'P',
				defaultStoryId: 's1',
				rules: [{ match, storyId: 's2' }]
			});
		expect(rule({ service: 'payments' }).success).toBe(true);
		expect(rule({}).error?.issues[0]?.message).toBe('a rule matches at least one label');
		expect(
			IntegrationRequest.safeParse({ name: 'P', defaultStoryId: 's1', token: 'mine' }).success
		).toBe(false);
	});
});
