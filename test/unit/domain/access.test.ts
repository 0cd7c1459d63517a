/**
 * Who writes what on a board (R11): one rule, which the server applies when it grants a
 * connection to a document and the screens apply when they offer an edit. Both are held to it
 * here, so a screen never offers an edit the server would drop.
 */
import { describe, expect, test } from 'vitest';
import { AccessControl } from '../../../server/auth/access';
import { TokenIssuer, type Identity } from '../../../server/auth/tokens';
import { MemoryMemberStore } from '../../../server/store/members';
import { canReview, canWrite, isReadOnly } from '../../../src/lib/domain/access';
import type { Role } from '../../../src/lib/domain/schema';
import { BoardAccess } from '../../../src/lib/state/access.svelte';

interface Case {
	roles: Role[];
	teams: string[];
	readOnly: boolean;
	board: boolean;
	web: boolean;
	ops: boolean;
}

const CASES: Case[] = [
	{ roles: ['team-member'], teams: ['web'], readOnly: false, board: true, web: true, ops: false },
	{ roles: ['scrum-master'], teams: ['ops'], readOnly: false, board: true, web: false, ops: true },
	{
		roles: ['product-owner'],
		teams: ['web', 'ops'],
		readOnly: false,
		board: true,
		web: true,
		ops: true
	},
	// Someone in no team writes the board but no team's tasks.
	{
		roles: ['chief-product-owner'],
		teams: [],
		readOnly: false,
		board: true,
		web: false,
		ops: false
	},
	// A stakeholder reads everything and writes nothing, even listed in a team.
	{ roles: ['stakeholder'], teams: [], readOnly: true, board: false, web: false, ops: false },
	{ roles: ['stakeholder'], teams: ['web'], readOnly: true, board: false, web: false, ops: false },
	// Another role besides stakeholder gives the writes of that role.
	{
		roles: ['stakeholder', 'team-member'],
		teams: ['web'],
		readOnly: false,
		board: true,
		web: true,
		ops: false
	},
	// No role yet is not read-only: roles only ever take writes away as stakeholder.
	{ roles: [], teams: ['web'], readOnly: false, board: true, web: true, ops: false }
];

describe('the write scope of a person', () => {
	test.each(CASES)(
		'[R11] roles $roles in teams $teams: read-only $readOnly, writes the board $board, Web $web, Ops $ops',
		({ roles, teams, readOnly, board, web, ops }) => {
			const person = { roles, teams };
			expect(isReadOnly(roles)).toBe(readOnly);
			expect(canWrite(person, { teamId: null })).toBe(board);
			expect(canWrite(person, { teamId: 'web' })).toBe(web);
			expect(canWrite(person, { teamId: 'ops' })).toBe(ops);
		}
	);
});

describe('the server and the screens apply the same rule', () => {
	const access = new AccessControl({
		tokens: new TokenIssuer(new Uint8Array(32).fill(7)),
		members: new MemoryMemberStore()
	});
	const identity = (c: Case): Identity => ({
		boardId: 'acme',
		personId: 'p-1',
		name: 'Pat',
		teams: c.teams,
		roles: c.roles,
		admin: false,
		expiresAt: null
	});

	test.each(CASES)(
		'[R11] roles $roles in teams $teams: the server grants writes as canWrite says',
		(c) => {
			const person = identity(c);
			const board = { name: 'acme', boardId: 'acme', teamId: null, personId: null };
			expect(access.grant(person, board).canWrite).toBe(canWrite(c, board));
			for (const teamId of ['web', 'ops']) {
				const tasks = { name: `acme/team/${teamId}`, boardId: 'acme', teamId, personId: null };
				expect(access.grant(person, tasks).canWrite).toBe(canWrite(c, tasks));
			}
		}
	);

	test.each(CASES)(
		'roles $roles: a person writes their own personal document and cannot open anyone else’s',
		(c) => {
			const person = identity(c);
			const own = {
				name: `acme/person/${person.personId}`,
				boardId: 'acme',
				teamId: null,
				personId: person.personId
			};
			expect(access.grant(person, own).canWrite).toBe(true);
			const other = { ...own, name: 'acme/person/someone-else', personId: 'someone-else' };
			expect(() => access.grant(person, other)).toThrow(/its own person only/);
		}
	);

	test.each(CASES)(
		'[R11] roles $roles in teams $teams: the screens offer writes as canWrite says',
		(c) => {
			const screen = new BoardAccess({ roles: c.roles, teams: c.teams, admin: false });
			expect(screen.readOnly).toBe(isReadOnly(c.roles));
			for (const teamId of ['web', 'ops']) {
				expect(screen.canWriteTeam(teamId)).toBe(canWrite(c, { teamId }));
			}
		}
	);
});

describe('who reviews a sprint', () => {
	test.each<[readonly Role[], boolean]>([
		[['product-owner'], true],
		[['chief-product-owner'], true],
		[['scrum-master', 'product-owner'], true],
		[['scrum-master'], false],
		[['team-member'], false],
		[['stakeholder'], false],
		[[], false]
	])('roles %j accept or reject stories: %s', (roles, expected) => {
		expect(canReview(roles)).toBe(expected);
		expect(new BoardAccess({ roles: [...roles] }).canReview).toBe(expected);
	});
});
