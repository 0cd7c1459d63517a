/**
 * Incident rules: the SLA clock of an open work package (R9) and enough people swarming on an
 * open SEV1 (R13).
 */
import { readSla } from '../../sla';
import { defineCheck } from '../context';
import { finding, formatDuration, formatInstant, refsOf } from './support';

/**
 * R9: an open work package past its SLA deadline is breached; near it, at risk.
 * Described in docs/domain.md#r9-sla-status.
 */
export const slaStatus = defineCheck({
	rule: 'R9',
	scope: 'workPackage',
	check(wp, ctx) {
		if (wp.status !== 'open' || wp.slaDeadline === null) return [];
		const reading = readSla(wp, ctx.now());
		if (reading.state !== 'breached' && reading.state !== 'at-risk') return [];
		const refs = [
			{ kind: 'workPackage' as const, id: wp.id },
			{ kind: 'story' as const, id: wp.storyId }
		];
		const label = `${wp.severity ? `${wp.severity} ` : ''}work package "${wp.title}"`;
		const due = formatInstant(wp.slaDeadline);
		const remaining = reading.remainingMs!;
		if (reading.state === 'breached') {
			return [
				finding(
					'R9',
					'error',
					`The SLA of ${label} was breached ${formatDuration(-remaining)} ago (deadline ${due}).`,
					refs
				)
			];
		}
		const window = reading.deadline! - Date.parse(wp.createdAt);
		return [
			finding(
				'R9',
				'warning',
				`The SLA of ${label} is at risk: ${formatDuration(remaining)} left of ` +
					`${formatDuration(window)} (deadline ${due}).`,
				refs
			)
		];
	}
});

/** Fewer people than this on an open SEV1 is not a swarm. */
const MIN_SWARM = 2;

/**
 * R13: an open SEV1 needs at least two people swarming on it.
 * Described in docs/domain.md#r13-swarm-on-sev1.
 */
export const swarmOnSev1 = defineCheck({
	rule: 'R13',
	scope: 'workPackage',
	check(wp) {
		if (wp.status !== 'open' || wp.severity !== 'SEV1') return [];
		const swarm = [...new Set(wp.swarm)];
		if (swarm.length >= MIN_SWARM) return [];
		const who = `${swarm.length} ${swarm.length === 1 ? 'person' : 'people'}`;
		return [
			finding(
				'R13',
				'warning',
				`Open SEV1 "${wp.title}" has ${who} swarming; a SEV1 needs at least ${MIN_SWARM}.`,
				[
					{ kind: 'workPackage', id: wp.id },
					{ kind: 'story', id: wp.storyId },
					...refsOf('person', swarm)
				]
			)
		];
	}
});
