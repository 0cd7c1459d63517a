/**
 * Tables as CSV (RFC 4180): a field with a comma, a double quote or a line break is quoted, its
 * quotes doubled; lines end in CRLF. `downloadCsv` hands the text to the browser as a file.
 */

export type CsvCell = string | number | null | undefined;

/** One field: empty for null, quoted when it holds a separator, a quote or a line break. */
export function csvField(value: CsvCell): string {
	if (value === null || value === undefined) return '';
	const text = String(value);
	return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The rows as CSV text, one line per row. */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
	return rows.map((row) => row.map(csvField).join(',') + '\r\n').join('');
}

/** Offers `text` as a download named `filename` (a Blob URL, let go of once clicked). */
export function downloadCsv(filename: string, text: string): void {
	downloadText(filename, text, 'text/csv;charset=utf-8');
}

/** Offers `text` of media `type` as a download named `filename` (a board export file…). */
export function downloadText(filename: string, text: string, type: string): void {
	const url = URL.createObjectURL(new Blob([text], { type }));
	const link = document.createElement('a');
	link.href = url;
	link.download = filename;
	link.hidden = true;
	document.body.append(link);
	link.click();
	link.remove();
	setTimeout(() => URL.revokeObjectURL(url), 0);
}
