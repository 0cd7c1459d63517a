/** A table's rows as CSV: fields with commas, quotes or line breaks are quoted, nothing else. */
import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../../src/lib/client/csv';

describe('CSV', () => {
	it('leaves plain fields as they are and writes null as an empty field', () => {
		expect(csvField('Web 1')).toBe('Web 1');
		expect(csvField(12.5)).toBe('12.5');
		expect(csvField(0)).toBe('0');
		expect(csvField(null)).toBe('');
		expect(csvField(undefined)).toBe('');
	});

	it('quotes a field with a comma', () => {
		expect(csvField('Checkout, one click')).toBe('"Checkout, one click"');
	});

	it('quotes a field with a double quote and doubles the quote', () => {
		expect(csvField('the "incident" category')).toBe('"the ""incident"" category"');
		expect(csvField('"')).toBe('""""');
	});

	it('quotes a field with a line break', () => {
		expect(csvField('two\nlines')).toBe('"two\nlines"');
		expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
	});

	it('writes one CRLF-terminated line per row', () => {
		expect(
			toCsv([
				['Sprint', 'Committed', 'Note'],
				['Web 1', 11, 'a, b'],
				['Web "2"', null, 'x\ny']
			])
		).toBe('Sprint,Committed,Note\r\nWeb 1,11,"a, b"\r\n"Web ""2""",,"x\ny"\r\n');
		expect(toCsv([])).toBe('');
	});
});
