/**
 * Alert intake rules: which story a group of firing alerts lands on, how severe it is, and what
 * its work package is called. The admin sets the routing when creating an integration; the
 * server applies it to every notification. Pure: the labels come in as plain records.
 */
import { z } from 'zod';
import { Id, Severity } from './schema';

/** A Prometheus label name: letters, digits and `_`, not starting with a digit. */
export const LabelName = z
	.string()
	.min(1)
	.max(128, 'label names are at most 128 characters')
	.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'label names use letters, digits and "_" (e.g. "service")');
/** A label value as Prometheus sends it. */
export const LabelValue = z.string().max(1024, 'label values are at most 1024 characters');

/** Matches a group whose every named label has exactly the value given. */
export const AlertRule = z.strictObject({
	match: z
		.record(LabelName, LabelValue)
		.refine((match) => Object.keys(match).length >= 1, 'a rule matches at least one label')
		.refine((match) => Object.keys(match).length <= 10, 'a rule matches at most 10 labels'),
	storyId: Id,
	/** Severity when the `severity` label maps to none; default the integration's. */
	defaultSeverity: Severity.optional()
});
export type AlertRule = z.infer<typeof AlertRule>;

/** What the `severity` label's values mean, unless the integration says otherwise. */
export const DEFAULT_SEVERITY_LABELS: Readonly<Record<string, Severity>> = {
	critical: 'SEV1',
	major: 'SEV2',
	error: 'SEV2',
	warning: 'SEV3',
	minor: 'SEV3'
};

/** What becomes of an alert's work package when Alertmanager says the alert is resolved. */
export const ON_RESOLVED = ['record', 'complete'] as const;

/** An integration's routing: where groups go, how severe they are, what resolution does. */
export const AlertRouting = z.strictObject({
	/** The recurring story (with SLA) that takes every group no rule matches. */
	defaultStoryId: Id,
	/** Tried in order; the first whose labels all match the group's common labels wins. */
	rules: z.array(AlertRule).max(20, 'at most 20 rules').default([]),
	/**
	 * `severity` label value → severity, replacing the built-in reading of those values
	 * (critical → SEV1, major/error → SEV2, warning/minor → SEV3).
	 */
	severities: z
		.record(LabelValue, Severity)
		.refine((map) => Object.keys(map).length <= 20, 'at most 20 severity values')
		.default({}),
	/** Severity of a group whose `severity` label maps to none. */
	defaultSeverity: Severity.default('SEV3'),
	/**
	 * `record`: a resolved alert is noted on its work package, and a person completes it.
	 * `complete`: the work package is completed too, its open tasks with it.
	 */
	onResolved: z.enum(ON_RESOLVED).default('record')
});
export type AlertRouting = z.infer<typeof AlertRouting>;

/** The parts of an alert the routing reads. */
export interface RoutedAlert {
	status: 'firing' | 'resolved';
	labels: Readonly<Record<string, string>>;
	annotations: Readonly<Record<string, string>>;
}

/** The parts of a notification (a group of alerts) the routing reads. */
export interface RoutedGroup {
	commonLabels: Readonly<Record<string, string>>;
	commonAnnotations: Readonly<Record<string, string>>;
	groupLabels: Readonly<Record<string, string>>;
	alerts: readonly RoutedAlert[];
}

/** Severities from the most to the least urgent: a group takes its most urgent alert's. */
const URGENCY: readonly Severity[] = ['SEV1', 'SEV2', 'SEV3', 'non-production-defect'];

/** The rule a group matches (its common labels), or null for the default story. */
export function matchingRule(routing: AlertRouting, group: RoutedGroup): AlertRule | null {
	return (
		routing.rules.find((rule) =>
			Object.entries(rule.match).every(([name, value]) => group.commonLabels[name] === value)
		) ?? null
	);
}

/** The story a group's work package opens under. */
export function storyFor(routing: AlertRouting, group: RoutedGroup): string {
	return matchingRule(routing, group)?.storyId ?? routing.defaultStoryId;
}

/** The severity one `severity` label value means, or null when it means none. */
export function severityOfLabel(routing: AlertRouting, value: string | undefined): Severity | null {
	if (value === undefined) return null;
	const key = value.trim().toLowerCase();
	const configured = Object.entries(routing.severities).find(
		([name]) => name.trim().toLowerCase() === key
	);
	if (configured) return configured[1];
	return Object.hasOwn(DEFAULT_SEVERITY_LABELS, key) ? DEFAULT_SEVERITY_LABELS[key]! : null;
}

/**
 * A group's severity: the most urgent its firing alerts' `severity` labels say (all of them when
 * none is firing), else the matching rule's default, else the integration's.
 */
export function severityFor(routing: AlertRouting, group: RoutedGroup): Severity {
	const firing = group.alerts.filter((alert) => alert.status === 'firing');
	const considered = firing.length > 0 ? firing : group.alerts;
	const said = considered
		.map((alert) => severityOfLabel(routing, alert.labels.severity))
		.filter((severity): severity is Severity => severity !== null);
	if (said.length > 0) {
		return URGENCY.find((severity) => said.includes(severity)) ?? said[0]!;
	}
	return matchingRule(routing, group)?.defaultSeverity ?? routing.defaultSeverity;
}

/** Longest title a work package takes (the schema's bound). */
const TITLE_MAX = 200;

/**
 * What the work package is called: the group's `summary` annotation, else its first alert's,
 * else the alert name; trimmed to one line and the title's length.
 */
export function alertTitle(group: RoutedGroup): string {
	const first = group.alerts[0];
	const candidates = [
		group.commonAnnotations.summary,
		first?.annotations.summary,
		group.groupLabels.alertname,
		group.commonLabels.alertname,
		first?.labels.alertname
	];
	const chosen = candidates
		.map((text) => text?.replace(/\s+/g, ' ').trim())
		.find((text) => text !== undefined && text !== '');
	const title = chosen ?? 'Alert from Alertmanager';
	return title.length > TITLE_MAX ? `${title.slice(0, TITLE_MAX - 1)}…` : title;
}

/** Most alert names a work package lists as firing now; the count says how many in all. */
export const MAX_FIRING_NAMES = 20;

/** How one firing alert is named on its work package: its alert name and instance. */
export function alertName(alert: RoutedAlert): string {
	const name = alert.labels.alertname?.trim() || 'alert';
	const instance = alert.labels.instance?.trim();
	const label = instance ? `${name} on ${instance}` : name;
	return label.length > 200 ? `${label.slice(0, 199)}…` : label;
}
