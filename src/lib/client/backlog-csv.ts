/**
 * The backlog as a CSV table (header first, backlog order): what a Product Owner hands to a
 * spreadsheet. Written with the same RFC 4180 writer as the dashboard's tables (csv.ts).
 */
import type { Epic, Story, Team } from '../domain/schema';
import { toCsv, type CsvCell } from './csv';

export const BACKLOG_CSV_COLUMNS = [
	'Position',
	'Id',
	'Title',
	'Epic',
	'Teams',
	'Points',
	'Estimates',
	'Duration',
	'Work type',
	'Created'
] as const;

/** The stories as CSV text, in the order given; `position` is each story's place in the backlog. */
export function backlogCsv(
	stories: readonly Story[],
	context: {
		teams: readonly Team[];
		epics: readonly Epic[];
		position: (story: Story, row: number) => number;
	}
): string {
	const teamName = new Map(context.teams.map((team) => [team.id, team.name]));
	const epicTitle = new Map(context.epics.map((epic) => [epic.id, epic.title]));
	const rows: CsvCell[][] = stories.map((story, row) => {
		const estimates = Object.entries(story.estimates);
		return [
			context.position(story, row),
			story.id,
			story.title,
			story.epicId === null ? '' : (epicTitle.get(story.epicId) ?? story.epicId),
			story.teamIds.map((id) => teamName.get(id) ?? id).join('; '),
			estimates.length ? estimates.reduce((sum, [, points]) => sum + points, 0) : null,
			estimates.map(([id, points]) => `${teamName.get(id) ?? id}: ${points}`).join('; '),
			story.duration,
			story.workType,
			story.createdAt
		];
	});
	return toCsv([[...BACKLOG_CSV_COLUMNS], ...rows]);
}
