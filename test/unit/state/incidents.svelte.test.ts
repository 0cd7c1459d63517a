/**
 * The incident screens' state: the SLA countdown on a fake shared clock (R9), notifications of
 * resolved escalations for the originating team (R14), and the escalation targets offered (R7).
 */
import { flushSync } from 'svelte';
import { describe, expect, test } from 'vitest';
import { budgetOf } from '../../../src/lib/domain/budget';
import { escalationChoices, heldByTeams } from '../../../src/lib/domain/escalation';
import { swarmRoster, timelineLines } from '../../../src/lib/domain/incidents';
import type { WorkPackage } from '../../../src/lib/domain/schema';
import { durationText } from '../../../src/lib/domain/sla';
import {
	EscalationNotifications,
	escalationReturns
} from '../../../src/lib/state/escalation-notices.svelte';
import { SharedClock } from '../../../src/lib/state/shared-clock.svelte';
import { devices } from '../../helpers/personal-devices';
import { TemplateList } from '../../../src/lib/state/template-list.svelte';
import { SlaCountdown } from '../../../src/lib/state/sla-countdown.svelte';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import * as op from '../../../src/lib/sync/operations';
import { BoardProjection } from '../../../src/lib/sync/projection';
import { fixedContext } from '../../helpers/op-context';

const CREATED = Date.parse('2026-11-23T09:00:00.000Z');
const HOUR = 3_600_000;

function incident(patch: Partial<WorkPackage> = {}): WorkPackage {
	return {
		id: 'wp-1',
		storyId: 's-1',
		title: 'Checkout down',
		category: 'incident',
		severity: 'SEV1',
		submitterId: null,
		createdAt: new Date(CREATED).toISOString(),
		slaDeadline: new Date(CREATED + 4 * HOUR).toISOString(),
		planned: false,
		points: 7,
		status: 'open',
		completedAt: null,
		swarm: [],
		escalations: [],
		templateId: null,
		description: '',
		commanderId: null,
		commsLeadId: null,
		statusUpdates: [],
		alert: null,
		timeline: [],
		assigneeId: null,
		...patch
	};
}

function demo() {
	const docs = new BoardDocs('demo');
	const ctx = fixedContext('d', null, CREATED);
	const ids = seedDemoBoard(docs, ctx, '2026-11-23');
	const projection = new BoardProjection(docs, { now: CREATED });
	const wp = () => projection.state.workPackages.get(ids.incident)!;
	return { docs, ctx, ids, projection, wp };
}

describe('SLA countdown on the shared clock', () => {
	test.each([
		{ at: 0, state: 'on-track', label: 'SLA on track: 4 h 00 min left' },
		{ at: 2 * HOUR, state: 'on-track', label: 'SLA on track: 2 h 00 min left' },
		// Exactly a quarter left is not yet at risk (R9: "less than 25 %").
		{ at: 3 * HOUR, state: 'on-track', label: 'SLA on track: 1 h 00 min left' },
		{ at: 3 * HOUR + 1000, state: 'at-risk', label: 'SLA at risk: 59 min 59 s left' },
		{ at: 4 * HOUR, state: 'breached', label: 'SLA breached 0 s ago' },
		{ at: 5 * HOUR + 90_000, state: 'breached', label: 'SLA breached 1 h 01 min ago' }
	])('[R9] $at ms into a 4 h window: $state', ({ at, state, label }) => {
		const clock = new SharedClock({ now: () => CREATED + at - 30_000 });
		// The server is 30 s ahead of this browser: the countdown follows the server.
		clock.offsetMs = 30_000;
		const countdown = new SlaCountdown(clock, () => incident());
		expect(countdown.state).toBe(state);
		expect(countdown.label).toBe(label);
	});

	test('done work freezes at its completion; without a deadline there is no SLA', () => {
		const clock = new SharedClock({ now: () => CREATED + 10 * HOUR });
		const met = new SlaCountdown(clock, () =>
			incident({ status: 'done', completedAt: new Date(CREATED + HOUR).toISOString() })
		);
		expect(met.label).toBe('SLA met with 3 h 00 min to spare');
		const missed = new SlaCountdown(clock, () =>
			incident({ status: 'done', completedAt: new Date(CREATED + 5 * HOUR).toISOString() })
		);
		expect(missed.label).toBe('SLA missed by 1 h 00 min');
		expect(new SlaCountdown(clock, () => incident({ slaDeadline: null })).label).toBe('No SLA');
	});

	test('the countdown re-reads as the clock ticks', () => {
		let local = CREATED;
		const clock = new SharedClock({ now: () => local });
		const countdown = new SlaCountdown(clock, () => incident());
		expect(countdown.state).toBe('on-track');
		local = CREATED + 3.5 * HOUR;
		expect(countdown.state).toBe('at-risk');
		expect(durationText(2 * 86_400_000 + 3 * HOUR)).toBe('2 d 3 h');
	});
});

describe('notifications of resolved escalations (R14)', () => {
	test('the originating team is notified when the receiving team resolves, newest first', () => {
		const { docs, ctx, ids, projection } = demo();
		const lookup = {
			story: (id: string) => projection.state.stories.get(id),
			person: (id: string) => projection.state.people.get(id),
			team: (id: string) => projection.state.teams.get(id)
		};
		const notices = (teams: string[]) =>
			escalationReturns(projection.state.workPackages.values(), lookup, 'someone', teams);

		op.escalate(docs, ctx, ids.incident, ids.stories.secondLine, 'database locks');
		expect(notices([ids.teams.web])).toEqual([]);

		const jo = { ...ctx, actorId: ids.people.jo };
		op.resolveEscalation(docs, jo, ids.incident);
		ctx.advance(30);
		op.escalate(docs, ctx, ids.incident, ids.stories.secondLine, 'locks again');
		op.resolveEscalation(docs, jo, ids.incident);

		const web = notices([ids.teams.web]);
		expect(web.map((n) => n.id)).toEqual([`${ids.incident}:1`, `${ids.incident}:0`]);
		expect(web[0]).toMatchObject({
			workPackageTitle: 'Checkout returns HTTP 500 for EU cards',
			toStoryTitle: 'Second-level production support',
			resolvedByName: 'Jo'
		});
		// The receiving team and other teams are not the ones to tell.
		expect(notices([ids.teams.ops])).toEqual([]);
		expect(notices([ids.teams.mobile])).toEqual([]);
	});

	test('a person who joins the team later is not notified of what was resolved before', () => {
		const { docs, ctx, ids, projection } = demo();
		const lookup = {
			story: (id: string) => projection.state.stories.get(id),
			person: (id: string) => projection.state.people.get(id),
			team: (id: string) => projection.state.teams.get(id)
		};
		op.escalate(docs, ctx, ids.incident, ids.stories.secondLine, 'database locks');
		op.resolveEscalation(docs, { ...ctx, actorId: ids.people.jo }, ids.incident);
		ctx.advance(60);
		op.setTeamMember(docs, ctx, ids.teams.web, 'newcomer', true);
		const newcomer = () =>
			escalationReturns(projection.state.workPackages.values(), lookup, 'newcomer', [
				ids.teams.web
			]);
		expect(newcomer()).toEqual([]);

		ctx.advance(5);
		op.escalate(docs, ctx, ids.incident, ids.stories.secondLine, 'locks again');
		op.resolveEscalation(docs, { ...ctx, actorId: ids.people.jo }, ids.incident);
		expect(newcomer().map((n) => n.id)).toEqual([`${ids.incident}:1`]);
	});

	test('a notice dismissed on one device is dismissed on the others, and toasts on none', () => {
		const [laptop, phone] = devices();
		const list = [notice('wp-1:0', '2026-11-23T10:00:00.000Z')];
		const visit = Date.parse('2026-11-23T10:01:00.000Z');
		const onLaptop = new EscalationNotifications(
			() => list,
			laptop,
			() => visit
		);
		const onPhone = new EscalationNotifications(
			() => list,
			phone,
			() => visit
		);
		// Until the personal document has heard from the other devices, nothing toasts.
		expect(onLaptop.unseen).toEqual([]);
		laptop.markReady(visit);
		phone.markReady(visit);
		const seen: number[] = [];
		const stop = $effect.root(() => {
			$effect(() => {
				seen.push(onPhone.unseen.length);
			});
		});
		flushSync();
		onLaptop.markSeen(['wp-1:0']);
		flushSync();
		stop();
		expect(seen).toEqual([1, 0]);
		expect(onPhone.isSeen('wp-1:0')).toBe(true);
		expect(onPhone.all).toHaveLength(1);
	});
});

const notice = (id: string, resolvedAt: string, workPackageDone = false) => ({
	id,
	workPackageId: id.split(':')[0]!,
	workPackageTitle: 'Checkout down',
	fromStoryId: 's',
	toStoryTitle: 'Second line',
	resolvedAt,
	resolvedByName: 'Jo',
	workPackageDone
});

describe('[R14] notices that ask for nothing do not toast', () => {
	test('someone who first visits later is not told about work resolved long before; it stays in the list', () => {
		const list = [
			notice('wp-old:0', '2026-11-01T10:00:00.000Z'),
			notice('wp-new:0', '2026-11-23T09:58:00.000Z')
		];
		const firstVisit = Date.parse('2026-11-23T10:00:00.000Z');
		const [laptop, phone] = devices();
		laptop.markReady(firstVisit);
		const notices = new EscalationNotifications(
			() => list,
			laptop,
			() => firstVisit
		);
		expect(notices.unseen.map((n) => n.id)).toEqual(['wp-new:0']);
		expect(notices.all).toHaveLength(2);
		// The first visit is the person's, on any device: a later one does not make old notices new.
		phone.markReady(firstVisit + 86_400_000);
		const later = new EscalationNotifications(
			() => list,
			phone,
			() => firstVisit + 86_400_000
		);
		expect(later.unseen.map((n) => n.id)).toEqual(['wp-new:0']);
	});

	test('a notice whose work package is already done does not toast', () => {
		const list = [notice('wp-1:0', '2026-11-23T10:05:00.000Z', true)];
		const [inbox] = devices();
		const at = Date.parse('2026-11-23T10:00:00.000Z');
		inbox.markReady(at);
		const notices = new EscalationNotifications(
			() => list,
			inbox,
			() => at
		);
		expect(notices.unseen).toEqual([]);
		expect(notices.all).toHaveLength(1);
	});
});

describe('escalation targets (R7)', () => {
	test('legal targets are offered; the others are shown with their reasons', () => {
		const { docs, ctx, ids, projection, wp } = demo();
		const finite = op.createStory(docs, ctx, {
			title: 'Rewrite the payment service',
			productOwnerIds: [ids.people.priya],
			sla: 'policy'
		}).id;
		op.editStory(docs, ctx, ids.stories.support, {
			escalationTargetIds: [ids.stories.secondLine, finite, ids.stories.hiring]
		});
		const choices = escalationChoices(wp(), projection.state.stories, projection.state.sprints);
		expect(choices.legal.map((o) => o.title)).toEqual(['Second-level production support']);
		expect(choices.refused.map((o) => o.title).sort()).toEqual([
			'Hire a site reliability engineer',
			'Rewrite the payment service'
		]);
		const hiring = choices.refused.find((o) => o.storyId === ids.stories.hiring)!;
		expect(hiring.problems.join('; ')).toMatch(/SLA settings differ/);
		expect(hiring.problems.join('; ')).toMatch(/not planned .* in any active sprint/);

		// Closing the target's sprint takes it off the legal list.
		op.closeSprint(docs, ctx, ids.sprints.ops);
		const after = escalationChoices(wp(), projection.state.stories, projection.state.sprints);
		expect(after.legal).toEqual([]);
	});

	test('the receiving team holds it until it resolves; budget, roster and timeline by name', () => {
		const { docs, ctx, ids, projection, wp } = demo();
		const story = (id: string) => projection.state.stories.get(id);
		const person = (id: string) => projection.state.people.get(id);
		op.escalate(
			docs,
			{ ...ctx, actorId: ids.people.ana },
			ids.incident,
			ids.stories.secondLine,
			'db'
		);
		expect(heldByTeams(wp(), story, [ids.teams.ops])).toBe(true);
		expect(heldByTeams(wp(), story, [ids.teams.web])).toBe(false);
		op.resolveEscalation(docs, { ...ctx, actorId: ids.people.jo }, ids.incident);
		expect(heldByTeams(wp(), story, [ids.teams.ops])).toBe(false);

		const sprints = [...projection.state.sprints.values()];
		const burn = budgetOf(wp(), sprints, [...projection.state.workPackages.values()], 'UTC');
		expect(burn?.sprint.name).toBe('Web 14');
		expect(burn?.budget).toMatchObject({ reserved: 9, used: 7, left: 2 });

		const roster = swarmRoster(wp(), person, new Set([ids.people.ana]));
		expect(roster).toEqual([{ personId: ids.people.ana, name: 'Ana', here: true }]);

		const lines = timelineLines(wp(), person);
		expect(lines[0]).toMatchObject({ who: 'Jo', action: 'returned' });
		expect(lines[1]).toMatchObject({
			who: 'Ana',
			text: 'escalated it to "Second-level production support": db'
		});
		expect(lines.at(-1)).toMatchObject({ who: 'The board', action: 'created' });
	});
});

describe('templates', () => {
	test('the list follows created and edited templates', () => {
		const { docs, ctx } = demo();
		const list = new TemplateList(docs);
		const seen: string[][] = [];
		const stop = $effect.root(() => {
			$effect(() => {
				seen.push(list.current.map((t) => t.name));
			});
		});
		flushSync();
		const id = op.createTemplate(docs, ctx, {
			name: 'Certificate expiry',
			category: 'incident',
			tasks: [{ title: 'Renew', estimate: 1 }]
		}).id;
		flushSync();
		op.editTemplate(docs, ctx, id, { name: 'Certificate renewal' });
		flushSync();
		stop();
		expect(seen[0]).toEqual([
			'Non-production defect',
			'SEV1 incident',
			'SEV2 incident',
			'SEV3 incident'
		]);
		expect(seen.at(-1)).toContain('Certificate renewal');
		expect(seen.at(-1)).not.toContain('Certificate expiry');
	});
});
