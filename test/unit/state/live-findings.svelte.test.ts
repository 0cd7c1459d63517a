import { flushSync } from 'svelte';
import { describe, expect, test } from 'vitest';
import { LiveFindings } from '../../../src/lib/state/live-findings.svelte';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import * as op from '../../../src/lib/sync/operations';
import { BoardProjection } from '../../../src/lib/sync/projection';
import { fixedContext } from '../../helpers/op-context';

function demo() {
	const docs = new BoardDocs('demo');
	const ctx = fixedContext('d');
	const ids = seedDemoBoard(docs, ctx, '2026-11-23');
	const projection = new BoardProjection(docs, { now: Date.parse('2026-11-23T10:00:00Z') });
	return { docs, ctx, ids, live: new LiveFindings(projection) };
}

describe('LiveFindings', () => {
	test('[R13] an effect reading the findings re-runs when a second person joins the swarm', () => {
		const { docs, ctx, ids, live } = demo();
		const seen: string[][] = [];
		const stop = $effect.root(() => {
			$effect(() => {
				seen.push(live.current.map((f) => f.rule));
			});
		});
		flushSync();
		op.setSwarming(docs, ctx, ids.incident, ids.people.ben, true);
		flushSync();
		stop();
		expect(seen).toEqual([['R13', 'R15'], ['R15']]);
	});

	test('reading outside an effect still gives the current findings', () => {
		const { docs, ctx, ids, live } = demo();
		op.updateTeam(docs, ctx, ids.teams.web, { velocity: 10 });
		expect(live.current.map((f) => f.rule)).toContain('R1');
	});
});
