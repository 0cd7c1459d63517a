/**
 * Reads a Jira Cloud CSV export into the plan of what it creates: the one reader the preview and
 * the import both use. csv-parse splits the text (quoted fields over several lines, doubled
 * quotes, a byte-order mark); this module picks the separator (`,` or `;`), bounds the file, and
 * turns every way a file can be unreadable into a refusal with its line. It never throws.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { MAX_JIRA_COLUMNS, MAX_JIRA_FIELD, MAX_JIRA_ROWS } from '../src/lib/contract/exchange';
import {
	planJiraImport,
	type JiraPlan,
	type JiraTable,
	type JiraTableProblem
} from '../src/lib/domain/jira-plan';

/** Most characters one row (all its fields) may hold, which bounds the parser's buffer. */
const MAX_ROW_CHARS = 256 * 1024;

/** The plan for a Jira CSV file, or why it cannot be read and on which line. */
export function jiraPlanOf(
	csv: string,
	options: { timeZone: string; withTeam: boolean }
): JiraPlan | JiraTableProblem {
	try {
		const table = readJiraCsv(csv);
		return 'reason' in table ? table : planJiraImport(table, options);
	} catch {
		// Nothing above is known to throw; should it ever, the request still gets an answer.
		return { line: 1, reason: 'the file cannot be read as a Jira CSV export' };
	}
}

/** The file's header and rows with the line each starts on, or the problem and its line. */
export function readJiraCsv(csv: string): JiraTable | JiraTableProblem {
	const text = csv.charCodeAt(0) === 0xfeff ? csv.slice(1) : csv;
	if (text.trim() === '') {
		return { line: 1, reason: 'the file is empty; export the issues from Jira again' };
	}
	const lines = text.split(/\r\n|\n|\r/);
	/** The first line after `end` that is not blank: where the next row starts. */
	const nextRowLine = (end: number) => {
		let line = end + 1;
		while (line <= lines.length && lines[line - 1]!.trim() === '') line++;
		return Math.min(line, lines.length);
	};
	let lastEnd = 0;
	const records: { line: number; cells: string[] }[] = [];
	try {
		parse(text, {
			delimiter: separatorOf(text),
			relax_column_count: true,
			skip_empty_lines: true,
			max_record_size: MAX_ROW_CHARS,
			// The row's own text, to count its lines: csv-parse's count is off inside quotes.
			raw: true,
			// With `raw`, csv-parse hands each row over as `{ record, raw }`.
			on_record: (row: unknown) => {
				const { record, raw } = row as { record: string[]; raw: string };
				const line = nextRowLine(lastEnd);
				records.push({ line, cells: record });
				lastEnd = line + lineBreaks(raw);
				return null;
			}
		});
	} catch (error) {
		const at = nextRowLine(lastEnd);
		if (!(error instanceof CsvError)) {
			return { line: at, reason: 'this row cannot be read as CSV' };
		}
		switch (error.code) {
			case 'CSV_QUOTE_NOT_CLOSED':
				return {
					line: at,
					reason:
						'a quoted field that starts on this row is never closed; the file may be cut short: export it again'
				};
			case 'CSV_INVALID_CLOSING_QUOTE':
				return {
					line: lineOf(error, at),
					reason:
						'a quote inside a quoted field is not doubled (write "" for a quote inside quotes)'
				};
			case 'CSV_MAX_RECORD_SIZE':
				return { line: at, reason: `a row is over ${MAX_ROW_CHARS} characters` };
			default:
				return { line: lineOf(error, at), reason: `this row is not CSV (${error.code})` };
		}
	}
	const [header, ...rows] = records;
	if (!header) return { line: 1, reason: 'the file has no header row' };
	if (header.cells.length > MAX_JIRA_COLUMNS) {
		return {
			line: header.line,
			reason: `the header has ${header.cells.length} columns; at most ${MAX_JIRA_COLUMNS} are read`
		};
	}
	if (rows.length > MAX_JIRA_ROWS) {
		return {
			line: rows[MAX_JIRA_ROWS]!.line,
			reason: `the file has ${rows.length} issues; import at most ${MAX_JIRA_ROWS} at a time (split the Jira export)`
		};
	}
	for (const row of records) {
		if (row.cells.length > MAX_JIRA_COLUMNS) {
			return { line: row.line, reason: `this row has more than ${MAX_JIRA_COLUMNS} fields` };
		}
		const long = row.cells.findIndex((cell) => cell.length > MAX_JIRA_FIELD);
		if (long >= 0) {
			const column = header.cells[long] ?? `column ${long + 1}`;
			return {
				line: row.line,
				reason: `its "${column.slice(0, 60)}" is over ${MAX_JIRA_FIELD} characters; shorten it in Jira`
			};
		}
	}
	return { header: header.cells, rows };
}

/**
 * The separator of the header line: `;` when it has more of them than `,` outside quotes (Jira
 * exports from a locale whose decimal mark is a comma), else `,`.
 */
function separatorOf(text: string): string {
	let commas = 0;
	let semicolons = 0;
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const char = text[i];
		if (char === '"') quoted = !quoted;
		else if (quoted) continue;
		else if (char === '\n' || char === '\r') break;
		else if (char === ',') commas++;
		else if (char === ';') semicolons++;
	}
	return semicolons > commas ? ';' : ',';
}

/** Line breaks inside a row's text (`\r\n`, `\n` or `\r`), its own delimiter left out. */
function lineBreaks(raw: string): number {
	return raw.replace(/[\r\n]+$/, '').match(/\r\n|\r|\n/g)?.length ?? 0;
}

function lineOf(error: CsvError, fallback: number): number {
	const line = (error as CsvError & { lines?: unknown }).lines;
	return typeof line === 'number' && line >= 1 ? line : fallback;
}
