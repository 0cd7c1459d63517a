/**
 * Alert intake over HTTP: the integrations a board's admin creates (one token each), and the
 * notification Prometheus Alertmanager posts (its `webhook_configs` payload, version "4", as
 * https://prometheus.io/docs/alerting/latest/configuration/#webhook_config describes it). Every
 * part of a notification is bounded here, where it enters; the server trusts it afterwards.
 */
import { z } from 'zod';
import { AlertRouting, LabelName, LabelValue } from '../domain/alerts';
import { Id, Instant, WebLink } from '../domain/schema';

export { AlertRouting };

// ---------------------------------------------------------------------------------------------
// Integrations (the admin's)

/** An integration's name, e.g. "Prometheus production". */
export const IntegrationName = z
	.string()
	.trim()
	.min(1, 'an integration needs a name')
	.max(80, 'integration names are at most 80 characters');

/** `POST /api/boards/:id/integrations`: a name and the routing (at least the default story). */
export const IntegrationRequest = AlertRouting.extend({ name: IntegrationName });
export type IntegrationRequest = z.input<typeof IntegrationRequest>;

/** `POST /api/boards/:id/integrations` (201): the token is shown this once, never again. */
export const IntegrationCreated = z.object({
	id: Id,
	/** The bearer token Alertmanager sends (`http_config.authorization.credentials`). */
	token: z.string().min(1),
	/** Where Alertmanager posts, relative to the site: `/api/boards/<board>/alerts`. */
	url: z.string().startsWith('/api/boards/')
});
export type IntegrationCreated = z.infer<typeof IntegrationCreated>;

/** An integration that still takes alerts (not revoked), without its token. */
export const Integration = z.object({
	id: Id,
	name: z.string(),
	routing: AlertRouting,
	/** The admin who made it, by name; null if they are no longer on record. */
	createdBy: z.string().nullable(),
	createdAt: Instant
});
export type Integration = z.infer<typeof Integration>;

/** `GET /api/boards/:id/integrations`: the working integrations, newest first. */
export const Integrations = z.array(Integration);

// ---------------------------------------------------------------------------------------------
// Alertmanager's notification

/** Most alerts one notification may carry; set `max_alerts` in Alertmanager at or below it. */
export const MAX_ALERTS = 100;
/** Most labels (or annotations) on one alert or group. */
export const MAX_LABELS = 64;
/** Longest annotation value (descriptions, runbook links). */
export const MAX_ANNOTATION = 4096;
/** Largest notification body the intake reads, in bytes. */
export const MAX_ALERT_BODY_BYTES = 512 * 1024;

const bounded = <T extends z.ZodType<string>>(value: T, what: string) =>
	z
		.record(LabelName, value, {
			error: (issue) =>
				issue.code === 'invalid_key'
					? `${JSON.stringify(issue.input)} is not a label name: label names use letters, digits and "_"`
					: undefined
		})
		.refine((record) => Object.keys(record).length <= MAX_LABELS, `at most ${MAX_LABELS} ${what}`);

/** Labels (`alertname`, `severity`, …) of an alert or a group. */
export const Labels = bounded(LabelValue, 'labels');
/** Annotations (`summary`, `description`, …): longer values than labels. */
export const Annotations = bounded(
	z.string().max(MAX_ANNOTATION, `annotation values are at most ${MAX_ANNOTATION} characters`),
	'annotations'
);

/** Firing or resolved: of one alert, or of the group (firing while any alert fires). */
export const AlertStatus = z.enum(['firing', 'resolved']);

/**
 * An RFC 3339 instant as Alertmanager writes it: nanoseconds and offsets allowed, and the zero
 * time `0001-01-01T00:00:00Z` for "not yet ended".
 */
const Rfc3339 = z.iso.datetime({ offset: true });

/**
 * A link from a notification: an http(s) URL, or nothing. Alertmanager sends `""` when the
 * sender gave no link; anything else that is not a web link is refused.
 */
const OptionalLink = z.union([z.literal('').transform(() => null), WebLink]);

/** One alert of the group, as Alertmanager sends it; fields it adds later are ignored. */
export const AlertmanagerAlert = z.object({
	status: AlertStatus,
	labels: Labels,
	annotations: Annotations.default({}),
	startsAt: Rfc3339,
	endsAt: Rfc3339.optional(),
	generatorURL: OptionalLink.default(''),
	fingerprint: z.string().max(64).optional()
});
export type AlertmanagerAlert = z.infer<typeof AlertmanagerAlert>;

/** The body of Alertmanager's webhook notification, payload version "4". */
export const AlertmanagerPayload = z.object({
	version: z.literal('4', {
		error: 'Alertmanager webhook payloads are version "4"; this intake reads that version only'
	}),
	/** Identifies the group across notifications: the same group, the same key. */
	groupKey: z.string().min(1, 'groupKey is empty').max(4096, 'groupKey is over 4096 characters'),
	truncatedAlerts: z.number().int().nonnegative().default(0),
	status: AlertStatus,
	receiver: z.string().max(256),
	groupLabels: Labels.default({}),
	commonLabels: Labels.default({}),
	commonAnnotations: Annotations.default({}),
	externalURL: OptionalLink.default(''),
	alerts: z
		.array(AlertmanagerAlert)
		.min(1, 'a notification carries at least one alert')
		.max(MAX_ALERTS, `at most ${MAX_ALERTS} alerts per notification; set max_alerts`)
});
export type AlertmanagerPayload = z.infer<typeof AlertmanagerPayload>;

/** What the intake did with a notification. */
export const ALERT_OUTCOMES = ['opened', 'updated', 'resolved', 'ignored'] as const;

/** `POST /api/boards/:id/alerts` (200): the work package the group has, and what happened. */
export const AlertsAccepted = z.object({
	outcome: z.enum(ALERT_OUTCOMES),
	/** Null when nothing was open for a resolved group (`ignored`). */
	workPackageId: Id.nullable()
});
export type AlertsAccepted = z.infer<typeof AlertsAccepted>;
