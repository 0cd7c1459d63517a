/**
 * What a Jira Cloud CSV export becomes on the board (docs/integrations.md, "Export, import and
 * Jira CSV"): epics become epics, stories and tasks become stories in file order, other issue
 * types are skipped with the reason. Pure: it reads a table already split into cells (the CSV
 * reader in server/jira-csv.ts does that) and decides, row by row, with the line of each row.
 */
import { z } from 'zod';
import { startOfDay } from './days';

/** A Jira issue that becomes an epic of the board. */
export const JiraEpicPlan = z.object({
	line: z.number().int().min(1),
	key: z.string(),
	title: z.string(),
	description: z.string()
});
export type JiraEpicPlan = z.infer<typeof JiraEpicPlan>;

/** A Jira issue that becomes a story at the end of the backlog. */
export const JiraStoryPlan = z.object({
	line: z.number().int().min(1),
	key: z.string(),
	title: z.string(),
	/** The Jira issue type: Story or Task. */
	type: z.string(),
	description: z.string(),
	/** The Jira key of its epic (`Parent` or `Epic Link`) when that epic is in the file. */
	epicKey: z.string().nullable(),
	points: z.number().min(0).max(10_000).nullable(),
	/** `Created` as an ISO instant; null when the file has none (the import's instant is used). */
	createdAt: z.string().nullable(),
	status: z.string(),
	priority: z.string(),
	assignee: z.string(),
	labels: z.array(z.string()),
	sprints: z.array(z.string())
});
export type JiraStoryPlan = z.infer<typeof JiraStoryPlan>;

/** A row the import leaves out, or reads only in part, and why. */
export const JiraNote = z.object({
	line: z.number().int().min(1),
	key: z.string(),
	reason: z.string()
});
export type JiraNote = z.infer<typeof JiraNote>;

/** What a Jira CSV file would create, what it skips, and what it reads only in part. */
export const JiraPlan = z.object({
	epics: z.array(JiraEpicPlan),
	stories: z.array(JiraStoryPlan),
	skipped: z.array(JiraNote),
	/** Rows imported with a part left out (points that are not a number, an unknown epic…). */
	notes: z.array(JiraNote)
});
export type JiraPlan = z.infer<typeof JiraPlan>;

/** A CSV file split into cells: the header row and each data row with the line it starts on. */
export interface JiraTable {
	header: readonly string[];
	rows: readonly { line: number; cells: readonly string[] }[];
}

/** Why the file as a whole cannot be imported, with the line it concerns (1: the header). */
export interface JiraTableProblem {
	line: number;
	reason: string;
}

const TITLE_MAX = 200;
const STORY_TYPES = new Set(['story', 'task']);
const POINT_COLUMNS = [
	'custom field (story point estimate)',
	'story point estimate',
	'custom field (story points)',
	'story points'
];
const EPIC_COLUMNS = ['parent key', 'parent', 'custom field (epic link)', 'epic link'];

/**
 * The plan for `table`, or the problem with its header. Story points need `teamId` (the team
 * whose estimate they become); `Created` is read as a time in `timeZone`, Jira's wall clock.
 */
export function planJiraImport(
	table: JiraTable,
	options: { timeZone: string; withTeam: boolean }
): JiraPlan | JiraTableProblem {
	const columns = indexColumns(table.header);
	if (!columns.has('summary')) {
		return {
			line: 1,
			reason:
				'the header has no "Summary" column; export the issues from Jira with "Export CSV (all fields)"'
		};
	}
	const cell = (cells: readonly string[], name: string) =>
		(columns.get(name) ?? []).map((i) => (cells[i] ?? '').trim()).find((v) => v !== '') ?? '';
	const all = (cells: readonly string[], name: string) =>
		(columns.get(name) ?? []).map((i) => (cells[i] ?? '').trim()).filter((v) => v !== '');
	const first = (cells: readonly string[], names: readonly string[]) =>
		names.map((name) => cell(cells, name)).find((v) => v !== '') ?? '';

	const plan: JiraPlan = { epics: [], stories: [], skipped: [], notes: [] };
	// Epics by key and by issue id: `Parent` holds either, depending on the export.
	const epicRefs = new Map<string, string>();
	for (const { line, cells } of table.rows) {
		const key = cell(cells, 'issue key') || `line ${line}`;
		const type = cell(cells, 'issue type');
		const title = cell(cells, 'summary');
		const skip = (reason: string) => plan.skipped.push({ line, key, reason });
		if (title === '') {
			skip('it has no Summary');
			continue;
		}
		if (title.length > TITLE_MAX) {
			skip(`its Summary is over ${TITLE_MAX} characters; shorten it in Jira and export again`);
			continue;
		}
		const kind = type.toLowerCase();
		const description = cell(cells, 'description');
		if (kind === 'epic') {
			plan.epics.push({ line, key, title, description });
			epicRefs.set(key, key);
			const issueId = cell(cells, 'issue id');
			if (issueId !== '') epicRefs.set(issueId, key);
			continue;
		}
		if (!STORY_TYPES.has(kind)) {
			skip(
				type === ''
					? 'it has no Issue Type'
					: `a ${type} is not imported: only epics, stories and tasks are`
			);
			continue;
		}
		const note = (reason: string) => plan.notes.push({ line, key, reason });
		const rawPoints = first(cells, POINT_COLUMNS);
		let points: number | null = null;
		if (rawPoints !== '') {
			const parsed = Number(rawPoints.replace(',', '.'));
			if (!Number.isFinite(parsed) || parsed < 0 || parsed > 10_000) {
				note(
					`story points "${rawPoints.slice(0, 40)}" are not a number from 0 to 10,000: left out`
				);
			} else if (!options.withTeam) {
				note('story points are left out: choose the team whose estimate they become');
			} else {
				points = parsed;
			}
		}
		const rawCreated = cell(cells, 'created');
		const createdAt = rawCreated === '' ? null : jiraInstant(rawCreated, options.timeZone);
		if (rawCreated !== '' && createdAt === null) {
			note(
				`"Created" (${rawCreated.slice(0, 40)}) is not a date this import reads: the import's time is used`
			);
		}
		plan.stories.push({
			line,
			key,
			title,
			type,
			description,
			epicKey: first(cells, EPIC_COLUMNS) || null,
			points,
			createdAt,
			status: cell(cells, 'status'),
			priority: cell(cells, 'priority'),
			assignee: cell(cells, 'assignee'),
			labels: all(cells, 'labels'),
			sprints: all(cells, 'sprint')
		});
	}
	// Epic links resolve once every epic is known: an epic may come after its stories.
	for (const story of plan.stories) {
		if (story.epicKey === null) continue;
		const epic = epicRefs.get(story.epicKey);
		if (epic === undefined) {
			plan.notes.push({
				line: story.line,
				key: story.key,
				reason: `its epic ${story.epicKey} is not an epic in this file: imported without an epic`
			});
		}
		story.epicKey = epic ?? null;
	}
	return plan;
}

/** Column name (lowercase, trimmed) → the indexes it is at; Jira repeats `Sprint`, `Labels`… */
function indexColumns(header: readonly string[]): Map<string, number[]> {
	const columns = new Map<string, number[]>();
	header.forEach((name, index) => {
		const key = name.trim().toLowerCase();
		const at = columns.get(key);
		if (at) at.push(index);
		else columns.set(key, [index]);
	});
	return columns;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * An ISO instant from a Jira date: its default `21/Nov/26 9:15 AM`, or `2026-11-21 09:15[:00]`,
 * read as a wall-clock time in `timeZone`; an ISO instant with an offset is taken as it is.
 * Null for anything else.
 */
export function jiraInstant(raw: string, timeZone: string): string | null {
	const text = raw.trim();
	if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text)) {
		const ms = Date.parse(text);
		return Number.isNaN(ms) ? null : new Date(ms).toISOString();
	}
	let day: string;
	let hour: number;
	let minute: number;
	const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::\d{2})?)?$/.exec(text);
	const jira =
		/^(\d{1,2})\/([A-Za-z]{3})\/(\d{2}|\d{4})(?: (\d{1,2}):(\d{2})(?: ?([AaPp][Mm]))?)?$/.exec(
			text
		);
	if (iso) {
		day = `${iso[1]}-${iso[2]}-${iso[3]}`;
		hour = Number(iso[4] ?? 0);
		minute = Number(iso[5] ?? 0);
	} else if (jira) {
		const month = MONTHS.indexOf(jira[2]!.toLowerCase());
		if (month < 0) return null;
		const year = jira[3]!.length === 2 ? 2000 + Number(jira[3]) : Number(jira[3]);
		day = `${year}-${String(month + 1).padStart(2, '0')}-${jira[1]!.padStart(2, '0')}`;
		hour = Number(jira[4] ?? 0);
		minute = Number(jira[5] ?? 0);
		const half = jira[6]?.toLowerCase();
		if (half !== undefined) {
			if (hour < 1 || hour > 12) return null;
			hour = (hour % 12) + (half === 'pm' ? 12 : 0);
		}
	} else {
		return null;
	}
	if (hour > 23 || minute > 59) return null;
	const midnight = Date.parse(`${day}T00:00:00.000Z`);
	// Date.parse rolls 31 Feb over to March: only days that exist are read.
	if (Number.isNaN(midnight) || new Date(midnight).toISOString().slice(0, 10) !== day) return null;
	return new Date(startOfDay(day, timeZone) + (hour * 60 + minute) * 60_000).toISOString();
}
