/**
 * What a person may do on the board, as the page decides it from the server's session, and
 * what the connection does when the server ends a session or restarts.
 */
import { flushSync } from 'svelte';
import { describe, expect, test } from 'vitest';
import { shouldReconnect } from '../../../src/lib/sync/connection/board-connection';
import { READ_ONLY_SENTENCE, readOnlyContext } from '../../../src/lib/client/read-only';
import { ScrumOpsError } from '../../../src/lib/domain/errors';
import { BoardAccess } from '../../../src/lib/state/access.svelte';
import { ConnectionState, type StatusSource } from '../../../src/lib/state/connection.svelte';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import * as op from '../../../src/lib/sync/operations';
import { fixedContext } from '../../helpers/op-context';

describe('BoardAccess', () => {
	test.each([
		{ roles: ['stakeholder'], teams: [], readOnly: true, writesWeb: false },
		{ roles: ['stakeholder'], teams: ['web'], readOnly: true, writesWeb: false },
		{ roles: ['stakeholder', 'team-member'], teams: ['web'], readOnly: false, writesWeb: true },
		{ roles: ['scrum-master'], teams: ['ops'], readOnly: false, writesWeb: false },
		{ roles: [], teams: ['web'], readOnly: false, writesWeb: true }
	] as const)(
		'roles $roles in teams $teams: read-only $readOnly, writes Web tasks $writesWeb',
		({ roles, teams, readOnly, writesWeb }) => {
			const access = new BoardAccess({ roles: [...roles], teams: [...teams] });
			expect(access.readOnly).toBe(readOnly);
			expect(access.canWriteTeam('web')).toBe(writesWeb);
		}
	);

	test('an effect sees the roles the server confirms', () => {
		const access = new BoardAccess({ roles: ['team-member'] });
		const seen: boolean[] = [];
		const stop = $effect.root(() => {
			$effect(() => {
				seen.push(access.readOnly);
			});
		});
		flushSync();
		access.update({ roles: ['stakeholder'], teams: [], admin: false });
		flushSync();
		stop();
		expect(seen).toEqual([false, true]);
	});
});

describe('readOnlyContext', () => {
	test('every operation is refused with the reason and writes nothing', () => {
		const docs = new BoardDocs('demo');
		const ids = seedDemoBoard(docs, fixedContext('seed'), '2026-11-23');
		const before = JSON.stringify(docs.board.toJSON());
		const ctx = readOnlyContext(fixedContext('k'));
		for (const intent of [
			() => op.createStory(docs, ctx, { title: 'A wish', productOwnerIds: [] }),
			() => op.moveStory(docs, ctx, ids.stories.hiring, 0),
			() => op.updateTeam(docs, ctx, ids.teams.web, { velocity: 1 })
		]) {
			expect(intent).toThrow(new ScrumOpsError(READ_ONLY_SENTENCE));
		}
		expect(JSON.stringify(docs.board.toJSON())).toBe(before);
	});
});

describe('reconnecting', () => {
	test.each([
		{ code: 1000, reconnects: true, why: 'a normal close' },
		{ code: 1001, reconnects: true, why: 'the server shutting down (SIGTERM)' },
		{ code: 1006, reconnects: true, why: 'a dropped connection (crash, SIGKILL, network)' },
		{ code: 1011, reconnects: true, why: 'a server error' },
		{ code: 1013, reconnects: true, why: 'try again later' },
		{ code: 1008, reconnects: false, why: 'a removed member or an expired session' },
		{ code: 4403, reconnects: false, why: "y-websocket's permanent range" }
	])('close $code ($why): reconnects $reconnects', ({ code, reconnects }) => {
		expect(shouldReconnect({ code })).toBe(reconnects);
	});

	test('the indicator says whether the network or the server is missing, and when it ended', () => {
		const source: StatusSource & { offlineCause: 'network' | 'server' | null } = {
			status: 'offline',
			offlineCause: 'server',
			onStatus: () => () => {}
		};
		const state = new ConnectionState(source);
		expect(state.label).toBe(
			'Offline: reconnecting to the server; edits are kept and sent when it answers'
		);
		source.offlineCause = 'network';
		expect(state.label).toBe('Offline: edits are kept and sent when you are back');
		(source as { status: string }).status = 'ended';
		expect(state.label).toBe('Disconnected');
	});
});
