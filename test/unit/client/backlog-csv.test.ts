/**
 * The backlog download: one row per story in backlog order, with the names people see (teams,
 * epics), and read back by the same CSV reader the Jira import uses, field for field.
 */
import { describe, expect, it } from 'vitest';
import { backlogCsv, BACKLOG_CSV_COLUMNS } from '../../../src/lib/client/backlog-csv';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import { BoardProjection } from '../../../src/lib/sync/projection';
import { compareRanked } from '../../../src/lib/domain/order';
import { readJiraCsv } from '../../../server/jira-csv';
import { fixedContext } from '../../helpers/op-context';

describe('backlog CSV', () => {
	it('has a row per story in backlog order, with team and epic names, that reads back', () => {
		const docs = new BoardDocs('demo');
		seedDemoBoard(docs, fixedContext('d'), '2026-11-23');
		const { state } = new BoardProjection(docs, { now: Date.parse('2026-11-23T10:00:00Z') });
		const stories = [...state.stories.values()].sort(compareRanked);
		const teams = [...state.teams.values()];
		const text = backlogCsv(stories, {
			teams,
			epics: [...state.epics.values()],
			position: (_story, row) => row + 1
		});
		const table = readJiraCsv(text);
		if ('reason' in table) throw new Error(table.reason);
		expect(table.header).toEqual([...BACKLOG_CSV_COLUMNS]);
		expect(table.rows.map((row) => row.cells[2])).toEqual(stories.map((s) => s.title));
		expect(table.rows.map((row) => row.cells[0])).toEqual(stories.map((_, i) => String(i + 1)));
		const estimated = stories.findIndex((s) => Object.keys(s.estimates).length > 0);
		const story = stories[estimated]!;
		const [teamId, points] = Object.entries(story.estimates)[0]!;
		const teamName = teams.find((t) => t.id === teamId)!.name;
		expect(table.rows[estimated]!.cells[6]).toContain(`${teamName}: ${points}`);
	});
});
