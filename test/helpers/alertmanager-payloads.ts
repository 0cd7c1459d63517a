/**
 * Alertmanager webhook notifications as published examples show them (payload version "4", the
 * format of https://prometheus.io/docs/alerting/latest/configuration/#webhook_config), kept
 * byte-for-byte in their fields so the intake is tested against what Alertmanager really sends.
 */

/**
 * The sample v4 payload of the `alertmanager-webhook-types` crate
 * (docs.rs/crate/alertmanager-webhook-types, assets/sample-v4-payload.json): a critical probe
 * failure, with `truncatedAlerts` and a `fingerprint`, as Alertmanager 0.25 sends.
 */
export const PROBE_FAILURE = {
	receiver: 'sms',
	status: 'firing',
	alerts: [
		{
			status: 'firing',
			labels: {
				alertname: 'ProbeFailure',
				instance: 'https://server.example.org',
				job: 'http_checks',
				monitor: 'master',
				severity: 'critical'
			},
			annotations: {
				description:
					'Instance https://server.example.org has been down for over 5m. Job: http_checks',
				summary: 'BlackBox Probe Failure: https://server.example.org'
			},
			startsAt: '2023-02-06T13:08:45.828Z',
			endsAt: '0001-01-01T00:00:00Z',
			generatorURL:
				'http://prometheus.example.org:9090/graph?g0.expr=probe_success+%3D%3D+0\\u0026g0.tab=1',
			fingerprint: '1a30ba71cca2921f'
		}
	],
	groupLabels: { alertname: 'ProbeFailure' },
	commonLabels: {
		alertname: 'ProbeFailure',
		instance: 'https://server.example.org',
		job: 'http_checks',
		monitor: 'master',
		severity: 'critical'
	},
	commonAnnotations: {
		description: 'Instance https://server.example.org has been down for over 5m. Job: http_checks',
		summary: 'BlackBox Probe Failure: https://server.example.org'
	},
	externalURL: 'http://prometheus.example.org:9093',
	version: '4',
	groupKey: '{}/{severity="critical"}:{alertname="ProbeFailure"}',
	truncatedAlerts: 0
};

/**
 * An older Alertmanager's notification (a published example, gist mobeigi/5a96f326…): no
 * `truncatedAlerts`, no `fingerprint`, no `severity` label, no `summary`, and a start time with
 * nanoseconds and an offset.
 */
export const TEST_ALERT = {
	receiver: 'webhook',
	status: 'firing',
	alerts: [
		{
			status: 'firing',
			labels: {
				alertname: 'Test',
				dc: 'eu-west-1',
				instance: 'localhost:9090',
				job: 'prometheus24'
			},
			annotations: { description: 'some description' },
			startsAt: '2018-08-03T09:52:26.739266876+02:00',
			endsAt: '0001-01-01T00:00:00Z',
			generatorURL:
				'http://example.com:9090/graph?g0.expr=go_memstats_alloc_bytes+%3E+0\u0026g0.tab=1'
		}
	],
	groupLabels: { alertname: 'Test', job: 'prometheus24' },
	commonLabels: {
		alertname: 'Test',
		dc: 'eu-west-1',
		instance: 'localhost:9090',
		job: 'prometheus24'
	},
	commonAnnotations: { description: 'some description' },
	externalURL: 'http://example.com:9093',
	version: '4',
	groupKey: '{}:{alertname="Test", job="prometheus24"}'
};

/** `payload` with its group (and every alert) resolved, as Alertmanager sends with send_resolved. */
export function resolved<T extends { status: string; alerts: { status: string }[] }>(
	payload: T,
	endsAt = '2023-02-06T14:00:00Z'
): T {
	return {
		...payload,
		status: 'resolved',
		alerts: payload.alerts.map((alert) => ({ ...alert, status: 'resolved', endsAt }))
	};
}
