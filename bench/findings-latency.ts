/**
 * Edit → findings: how long after one person's edit another person's board shows the finding
 * the server computed. Our server in-process with SQLite, two boards of the official client.
 */
import * as op from '../src/lib/sync/operations';
import { BoardClient } from '../test/helpers/board-client';
import { startTestServer } from '../test/helpers/server';
import { median, ms, percentile, table } from './stats';

const EDITS = 100;

export async function runFindingsLatencyBenchmark(): Promise<string> {
	// SQLite in a temp directory, tokens as in production, the production debounce.
	const server = await startTestServer({ store: 'sqlite', validationDebounceMs: 50 });
	const sm = await BoardClient.open(server, 'bench');
	const watcher = await BoardClient.open(server, 'bench', { personId: 'watcher', name: 'Watcher' });
	await Promise.all([sm.synced(), watcher.synced()]);
	const ctx = op.liveContext('bench');
	op.createBoard(sm.docs, ctx, { name: 'Bench' });
	const team = op.createTeam(sm.docs, ctx, { name: 'Ops', velocity: 30 });
	const story = op.createStory(sm.docs, ctx, { title: 'Upgrade', teamIds: [team.id] });
	const sprint = op.planSprint(sm.docs, ctx, {
		teamId: team.id,
		name: 'Sprint 1',
		start: '2026-11-23',
		end: '2026-12-06'
	});
	const hasR1 = () => watcher.publishedFindings().some((f) => f.rule === 'R1');
	const samples: number[] = [];
	for (let i = 0; i < EDITS; i++) {
		const overCommit = i % 2 === 0;
		const started = performance.now();
		op.commitStory(sm.docs, ctx, sprint.id, story.id, overCommit ? 31 : 20);
		while (hasR1() !== overCommit) await new Promise((resolve) => setImmediate(resolve));
		samples.push(performance.now() - started);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	sm.destroy();
	watcher.destroy();
	await server.close();
	return [
		'### Edit → findings on another screen',
		'',
		`**Method.** Our server in this process (SQLite, default 50 ms validation debounce), two boards ` +
			`of the official y-websocket client. ${EDITS} edits alternate a commitment between 31 and ` +
			`20 points against velocity 30; each sample is the time from the edit until the other ` +
			`board's published findings gain or lose the R1 finding. Target: within 500 ms.`,
		'',
		table(
			['measure', 'median', 'p99', 'max'],
			[
				[
					'edit → R1 shown or cleared elsewhere',
					ms(median(samples)),
					ms(percentile(samples, 99)),
					ms(Math.max(...samples))
				]
			]
		)
	].join('\n');
}
