/**
 * [D19] The retrospective's rules as pure functions: the walk of its phases, when cards are
 * hidden, how cards group (cycles included), how votes count and are bounded, who facilitates,
 * and what the next retrospective says of an action.
 */
import { describe, expect, test } from 'vitest';
import {
	actionStatus,
	cardsHidden,
	countVotes,
	groupHeads,
	nextPhase,
	discussSecondsLeft,
	productOwnerOfSprint,
	retroGroups,
	retroSprintOf,
	retroPermissions,
	RETRO_PHASES,
	VOTES_PER_PERSON,
	votesLeft,
	type LiveRetro,
	type RetroCard,
	type RetroPhase,
	type RetroVotes
} from '../../../src/lib/domain/retrospective';
import { RetroItem } from '../../../src/lib/domain/schema';
import { person, sprint, team } from '../../helpers/board-builder';

const T = '2026-11-23T09:00:00.000Z';

function card(id: string, groupId: string | null = null, minute = 0): RetroCard {
	return {
		id,
		retroId: 'r1',
		teamId: 'web',
		authorId: 'ana',
		kind: 'went-well',
		text: `card ${id}`,
		groupId,
		createdAt: new Date(Date.parse(T) + minute * 60_000).toISOString()
	};
}

function retro(fields: Partial<LiveRetro> = {}): LiveRetro {
	return {
		id: 'r1',
		teamId: 'web',
		sprintId: 's1',
		facilitatorId: 'web-m1',
		phase: 'write',
		startedAt: T,
		phaseStartedAt: T,
		previousId: null,
		discussIndex: 0,
		discussEndsAt: null,
		...fields
	};
}

describe('[D19] phases', () => {
	test('the phases walk write → group → vote → discuss → actions → ended, and stay ended', () => {
		const walked: RetroPhase[] = [RETRO_PHASES[0]];
		for (let i = 0; i < RETRO_PHASES.length; i++) walked.push(nextPhase(walked.at(-1)!));
		expect(walked).toEqual([...RETRO_PHASES, 'ended']);
	});

	test.each([
		['write', true],
		['group', false],
		['vote', false],
		['ended', false]
	] as const)('cards are hidden in %s: %s', (phase, hidden) => {
		expect(cardsHidden(retro({ phase }))).toBe(hidden);
	});
});

describe('[D19] groups', () => {
	test('a chain of drops is one group, headed by the card at its end', () => {
		const heads = groupHeads([card('a', 'b'), card('b', 'c'), card('c'), card('d')]);
		expect(Object.fromEntries(heads)).toEqual({ a: 'c', b: 'c', c: 'c', d: 'd' });
	});

	test('two cards dropped onto each other at once are one group, headed by the smaller id', () => {
		const heads = groupHeads([card('x', 'm'), card('m', 'x'), card('z', 'x')]);
		expect(Object.fromEntries(heads)).toEqual({ x: 'm', m: 'm', z: 'm' });
	});

	test('a drop onto a card that is gone leaves the card on its own', () => {
		expect(groupHeads([card('a', 'gone')]).get('a')).toBe('a');
	});
});

describe('[D19] votes', () => {
	const cards = [card('a', null, 0), card('b', 'a', 1), card('c', null, 2)];

	test(`each person's votes count up to ${VOTES_PER_PERSON}, for the group of the card voted on`, () => {
		const votes = new Map<string, RetroVotes>([
			['ana', { retroId: 'r1', cardIds: ['b', 'c', 'c'] }],
			// A ballot past the limit (written by hand) counts its first three only.
			['bob', { retroId: 'r1', cardIds: ['a', 'a', 'a', 'c'] as string[] }],
			['cy', { retroId: 'old', cardIds: ['c'] }]
		]);
		expect(Object.fromEntries(countVotes('r1', cards, votes))).toEqual({ a: 4, c: 2 });
	});

	test('the discussion order is most votes first, then the earliest written group', () => {
		const votes = new Map<string, RetroVotes>([['ana', { retroId: 'r1', cardIds: ['c'] }]]);
		expect(retroGroups('r1', cards, votes).map((g) => [g.id, g.votes, g.cards.length])).toEqual([
			['c', 1, 1],
			['a', 0, 2]
		]);
		expect(retroGroups('r1', cards, new Map()).map((g) => g.id)).toEqual(['a', 'c']);
	});

	test('votes left: three, less those cast in this retrospective', () => {
		expect(votesLeft('r1', undefined)).toBe(3);
		expect(votesLeft('r1', { retroId: 'r1', cardIds: ['a', 'c'] })).toBe(1);
		expect(votesLeft('r1', { retroId: 'r0', cardIds: ['a', 'c'] })).toBe(3);
	});
});

describe('[D19] who facilitates', () => {
	const web = team({ id: 'web', scrumMasterId: 'web-m6' });
	const people = new Map([
		['web-m1', person({ id: 'web-m1' })],
		['web-m6', person({ id: 'web-m6', roles: ['scrum-master'] })]
	]);
	const viewer = (selfId: string, present: string[], canWriteTeam = true) => ({
		selfId,
		team: web,
		person: (id: string) => people.get(id),
		presentIds: new Set(present),
		canWriteTeam
	});

	test('the Scrum Master starts one; anyone on the team does while no Scrum Master is here', () => {
		expect(retroPermissions(null, viewer('web-m1', ['web-m1', 'web-m6'])).start).toBe(false);
		expect(retroPermissions(null, viewer('web-m6', ['web-m1', 'web-m6'])).start).toBe(true);
		expect(retroPermissions(null, viewer('web-m1', ['web-m1'])).start).toBe(true);
		expect(retroPermissions(null, viewer('outsider', ['outsider'])).start).toBe(false);
	});

	test('a facilitator who left is replaced by anyone; the Scrum Master may always take over', () => {
		const running = retro({ phase: 'vote' });
		expect(retroPermissions(running, viewer('web-m1', ['web-m1'])).facilitate).toBe(true);
		expect(retroPermissions(running, viewer('web-m2', ['web-m1', 'web-m2'])).takeOver).toBe(false);
		expect(retroPermissions(running, viewer('web-m2', ['web-m2'])).takeOver).toBe(true);
		expect(retroPermissions(running, viewer('web-m6', ['web-m1', 'web-m6'])).takeOver).toBe(true);
		expect(retroPermissions(running, viewer('web-m2', ['web-m2'], false)).takePart).toBe(false);
	});
});

describe('[D19] what became of an action', () => {
	const action = (fields: Partial<RetroItem>) =>
		RetroItem.parse({
			id: 'a1',
			teamId: 'web',
			sprintId: 's1',
			personId: null,
			kind: 'action',
			text: 'Pair on reviews',
			...fields
		});
	const lookup = {
		storyAccepted: (id: string) => id === 'done-story',
		impediment: (id: string) =>
			id === 'imp'
				? {
						id,
						teamId: 'web',
						sprintId: null,
						raisedBy: null,
						title: 'x',
						affectedTeamIds: [],
						description: '',
						status: 'resolved' as const,
						createdAt: T
					}
				: undefined,
		changeRequest: () => undefined
	};

	test.each([
		[{ storyId: 'done-story' }, 'story-accepted'],
		[{ storyId: 'open-story' }, 'story-open'],
		[{ impedimentId: 'imp' }, 'impediment-resolved'],
		[{ templateId: 't', changeRequestId: 'gone' }, 'not-followed'],
		[{}, 'not-followed']
	] as const)('%o reads as %s', (links, status) => {
		expect(actionStatus(action(links), lookup)).toBe(status);
	});

	test('an item written before 2.3 reads with no retrospective and no links', () => {
		const old = action({});
		expect([old.retroId, old.storyId, old.createdAt]).toEqual([null, null, null]);
	});
});

describe('[D19] who owns a story an action becomes', () => {
	test('the Product Owner of most of the sprint’s committed stories; none without any', () => {
		const owners: Record<string, string[]> = { a: ['po1'], b: ['po2'], c: ['po2'], d: [] };
		const sprint = { commitments: { a: 3, b: 5, c: 8, d: 1 } };
		expect(productOwnerOfSprint(sprint, (id) => owners[id])).toBe('po2');
		expect(productOwnerOfSprint({ commitments: {} }, () => undefined)).toBe(null);
	});
});

describe('[D19] the sprint it looks back on, and the shared timer', () => {
	const s = (id: string, state: 'planned' | 'active' | 'closed', end: string) =>
		sprint({ id, teamId: 'web', state, start: '2026-11-01', end });

	test('the active sprint, else the last closed one, else the latest planned', () => {
		const closedEarly = s('c1', 'closed', '2026-11-13');
		const closedLate = s('c2', 'closed', '2026-11-27');
		const active = s('a', 'active', '2026-12-11');
		expect(retroSprintOf('web', [closedEarly, active, closedLate])?.id).toBe('a');
		expect(retroSprintOf('web', [closedEarly, closedLate])?.id).toBe('c2');
		expect(retroSprintOf('web', [s('p', 'planned', '2026-12-25')])?.id).toBe('p');
		expect(retroSprintOf('mobile', [active])).toBe(null);
	});

	test('the timer reads the shared end instant: seconds left, never below 0, none when not set', () => {
		const endsAt = '2026-11-23T09:05:00.000Z';
		const discuss = retro({ phase: 'discuss', discussEndsAt: endsAt });
		expect(discussSecondsLeft(discuss, Date.parse('2026-11-23T09:03:30.000Z'))).toBe(90);
		expect(discussSecondsLeft(discuss, Date.parse('2026-11-23T09:06:00.000Z'))).toBe(0);
		expect(discussSecondsLeft(retro({ phase: 'discuss' }), Date.parse(T))).toBe(null);
		expect(discussSecondsLeft(retro({ phase: 'actions', discussEndsAt: endsAt }), 0)).toBe(null);
	});
});
