/**
 * Escalation rules: a hop goes only where the originating story allows, to an operational story
 * being worked on now (R7); it never resets the SLA clock (R8); and the work package comes back
 * before the originating team completes it (R14).
 */
import type { Finding, Ref } from '../../findings';
import type { EscalationHop, WorkPackage } from '../../schema';
import { hopProblems, inactiveTargetProblems } from '../../escalation';
import { defineCheck, type RuleContext } from '../context';
import { finding, formatInstant, listing, refsOf, storyTitle } from './support';

/**
 * R7: every hop is legal, and the hop the work package sits on now targets an active sprint.
 * Described in docs/domain.md#r7-escalation-is-legal.
 */
export const escalationIsLegal = defineCheck({
	rule: 'R7',
	scope: 'workPackage',
	check(wp, ctx) {
		const current = currentHopIndex(wp);
		const findings: Finding[] = [];
		wp.escalations.forEach((hop, i) => {
			const reasons = illegalReasons(hop, ctx);
			if (i === current) reasons.push(...inactiveTarget(hop, ctx));
			if (reasons.length === 0) return;
			findings.push(
				finding(
					'R7',
					'error',
					`${hopLabel(wp, i, hop, ctx)} is not allowed: ${reasons.join('; ')}.`,
					hopRefs(wp, hop, ctx)
				)
			);
		});
		return findings;
	}
});

/** The hop the work sits on now: the last unresolved one, while the work package is open. */
function currentHopIndex(wp: WorkPackage): number {
	if (wp.status !== 'open') return -1;
	for (let i = wp.escalations.length - 1; i >= 0; i--) {
		if (wp.escalations[i]?.resolvedAt === null) return i;
	}
	return -1;
}

/** Why a hop breaks R7 regardless of when it is checked; empty when it is legal. */
function illegalReasons(hop: EscalationHop, ctx: RuleContext): string[] {
	return hopProblems(hop.fromStoryId, hop.toStoryId, ctx);
}

/** The receiving team must be working the target story in a sprint that is active now. */
function inactiveTarget(hop: EscalationHop, ctx: RuleContext): string[] {
	return inactiveTargetProblems(hop.toStoryId, ctx);
}

/**
 * R8: each hop recorded the severity and deadline of its time; they must still hold.
 * Described in docs/domain.md#r8-sla-clock-survives-escalation.
 */
export const slaSurvivesEscalation = defineCheck({
	rule: 'R8',
	scope: 'workPackage',
	check(wp, ctx) {
		const findings: Finding[] = [];
		wp.escalations.forEach((hop, i) => {
			const changes: string[] = [];
			if (hop.severity !== wp.severity) {
				changes.push(`severity ${hop.severity ?? 'none'} → ${wp.severity ?? 'none'}`);
			}
			if (!sameInstant(hop.slaDeadline, wp.slaDeadline)) {
				changes.push(
					`SLA deadline ${deadlineText(hop.slaDeadline)} → ${deadlineText(wp.slaDeadline)}`
				);
			}
			if (changes.length === 0) return;
			findings.push(
				finding(
					'R8',
					'error',
					`${hopLabel(wp, i, hop, ctx)} changed ${changes.join(' and ')}; escalating never changes ` +
						`a work package's severity or SLA deadline.`,
					hopRefs(wp, hop, ctx)
				)
			);
		});
		return findings;
	}
});

/** Instants may carry different offsets for the same moment. */
function sameInstant(a: string | null, b: string | null): boolean {
	if (a === null || b === null) return a === b;
	return Date.parse(a) === Date.parse(b);
}

function deadlineText(deadline: string | null): string {
	return deadline === null ? 'none' : formatInstant(deadline);
}

/**
 * R14: the originating team completes an escalated work package only after every receiving team
 * resolved its hop; once all hops are resolved the originating team is told it may complete it.
 * Described in docs/domain.md#r14-escalation-returns.
 */
export const escalationReturns = defineCheck({
	rule: 'R14',
	scope: 'workPackage',
	check(wp, ctx) {
		const last = wp.escalations.at(-1);
		if (!last) return [];
		const unresolved = wp.escalations.filter((hop) => hop.resolvedAt === null);
		if (wp.status === 'done' && unresolved.length > 0) {
			const targets = unresolved.map((hop) => storyTitle(ctx, hop.toStoryId));
			return [
				finding(
					'R14',
					'error',
					`Work package "${wp.title}" was completed before the receiving team resolved it: ` +
						`the escalation to ${listing([...new Set(targets)])} is still open.`,
					[
						{ kind: 'workPackage', id: wp.id },
						{ kind: 'story', id: wp.storyId },
						...refsOf(
							'story',
							unresolved.map((hop) => hop.toStoryId)
						)
					]
				)
			];
		}
		if (wp.status === 'open' && unresolved.length === 0) {
			return [
				finding(
					'R14',
					'info',
					`Work package "${wp.title}" returned from ${storyTitle(ctx, last.toStoryId)}: ` +
						`the originating team can complete it.`,
					[
						{ kind: 'workPackage', id: wp.id },
						{ kind: 'story', id: wp.storyId },
						{ kind: 'story', id: last.toStoryId }
					]
				)
			];
		}
		return [];
	}
});

/** Names a hop for messages: 'Escalation of "Login fails" from "Checkout" to "Support"'. */
function hopLabel(wp: WorkPackage, index: number, hop: EscalationHop, ctx: RuleContext): string {
	const count = wp.escalations.length;
	const position = count > 1 ? ` (hop ${index + 1} of ${count})` : '';
	return (
		`Escalation of work package "${wp.title}" from ${storyTitle(ctx, hop.fromStoryId)} ` +
		`to ${storyTitle(ctx, hop.toStoryId)}${position}`
	);
}

function hopRefs(wp: WorkPackage, hop: EscalationHop, ctx: RuleContext): Ref[] {
	const stories = [hop.fromStoryId, hop.toStoryId].filter((id) => ctx.story(id) !== undefined);
	return [{ kind: 'workPackage' as const, id: wp.id }, ...refsOf('story', stories)];
}
