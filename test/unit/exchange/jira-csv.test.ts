/**
 * Reading Jira Cloud CSV exports: the awkward files Jira really writes (a byte-order mark, `;`
 * separators, descriptions over several lines, repeated `Sprint` and `Labels` columns, `Parent`
 * and `Epic Link`, both story point columns), and files it cannot read refused with their line.
 */
import { readFileSync } from 'node:fs';
import { fc, test as property } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { jiraInstant, type JiraPlan } from '../../../src/lib/domain/jira-plan';
import { jiraPlanOf, readJiraCsv } from '../../../server/jira-csv';

const fixture = (name: string) =>
	readFileSync(new URL(`../../fixtures/jira/${name}`, import.meta.url), 'utf8');

function planOf(name: string, options = { timeZone: 'UTC', withTeam: true }): JiraPlan {
	const plan = jiraPlanOf(fixture(name), options);
	if ('reason' in plan) throw new Error(`refused at line ${plan.line}: ${plan.reason}`);
	return plan;
}

describe('Jira CSV: what a Cloud export becomes', () => {
	test('epics become epics, stories and tasks stories in file order; the rest is skipped with its line', () => {
		const plan = planOf('cloud-all-fields.csv');
		expect(plan.epics).toEqual([
			{
				line: 2,
				key: 'SHOP-1',
				title: 'Checkout redesign',
				description: 'The whole checkout, again.'
			}
		]);
		expect(plan.stories.map((s) => [s.line, s.key, s.type])).toEqual([
			[3, 'SHOP-2', 'Story'],
			[8, 'SHOP-3', 'Task'],
			[12, 'SHOP-7', 'Story']
		]);
		expect(plan.skipped).toEqual([
			{
				line: 9,
				key: 'SHOP-4',
				reason: 'a Bug is not imported: only epics, stories and tasks are'
			},
			{
				line: 10,
				key: 'SHOP-5',
				reason: 'a Sub-task is not imported: only epics, stories and tasks are'
			},
			{ line: 11, key: 'SHOP-6', reason: 'it has no Summary' }
		]);
	});

	test('a quoted description over several lines, repeated Sprint and Labels, Parent by id or key, points and Created', () => {
		const [card, token, guest] = planOf('cloud-all-fields.csv').stories;
		expect(card).toMatchObject({
			title: 'Pay with a saved card',
			epicKey: 'SHOP-1', // Parent holds the epic's issue id, 10001
			points: 5,
			createdAt: '2026-11-22T14:05:00.000Z',
			sprints: ['Shop Sprint 4', 'Shop Sprint 5'],
			labels: ['payments', 'checkout'],
			assignee: 'Ana Lopez',
			status: 'To Do',
			priority: 'Medium'
		});
		expect(card!.description).toBe(
			'As a returning customer\r\nI want to pay with a card I saved\r\nso that I check out in seconds.\r\n\r\n- the card is masked "**** 4242"'
		);
		expect(token).toMatchObject({ epicKey: 'SHOP-1', points: 3, labels: ['backend'] });
		expect(guest).toMatchObject({
			epicKey: null,
			points: null,
			createdAt: '2026-11-25T16:45:00.000Z'
		});
	});

	test('what is read only in part is said, by line', () => {
		expect(planOf('cloud-all-fields.csv').notes).toEqual([
			{
				line: 12,
				key: 'SHOP-7',
				reason: 'story points "two" are not a number from 0 to 10,000: left out'
			},
			{
				line: 12,
				key: 'SHOP-7',
				reason: 'its epic SHOP-99 is not an epic in this file: imported without an epic'
			}
		]);
		const withoutTeam = planOf('cloud-all-fields.csv', { timeZone: 'UTC', withTeam: false });
		expect(withoutTeam.stories.every((s) => s.points === null)).toBe(true);
		expect(withoutTeam.notes).toContainEqual({
			line: 3,
			key: 'SHOP-2',
			reason: 'story points are left out: choose the team whose estimate they become'
		});
	});

	test('a `;` separated file with a byte-order mark, Epic Link, Story Points with a decimal comma', () => {
		const plan = planOf('semicolon-epic-link.csv', { timeZone: 'Europe/Berlin', withTeam: true });
		expect(plan.epics.map((e) => [e.key, e.description])).toEqual([
			['OPS-1', 'Metrics, logs and traces']
		]);
		expect(plan.stories).toMatchObject([
			{
				line: 3,
				key: 'OPS-2',
				epicKey: 'OPS-1',
				points: 2.5,
				labels: ['alerts', 'slo'],
				// 9:30 in Berlin (UTC+1 in December)
				createdAt: '2026-12-01T08:30:00.000Z',
				description:
					'Page when the budget burns; ticket when it smoulders.\nTwo windows: 1h and 6h.'
			},
			{ line: 5, key: 'OPS-3', points: 1, createdAt: '2026-12-02T22:00:00.000Z' }
		]);
	});
});

describe('Jira CSV: files that cannot be read are refused with their line', () => {
	test('an unterminated quote is refused at the row where the quoted field starts', () => {
		expect(readJiraCsv(fixture('unterminated-quote.csv'))).toEqual({
			line: 3,
			reason:
				'a quoted field that starts on this row is never closed; the file may be cut short: export it again'
		});
	});

	test('a quote inside a quoted field that is not doubled', () => {
		const refusal = readJiraCsv(fixture('stray-quote.csv'));
		expect(refusal).toMatchObject({ line: 3 });
		expect('reason' in refusal && refusal.reason).toBeTruthy();
	});

	test('a file without Summary, an empty file, a field or a file too large', () => {
		expect(jiraPlanOf('Key,Type\nA-1,Story\n', { timeZone: 'UTC', withTeam: true })).toMatchObject({
			line: 1,
			reason: expect.stringContaining('"Summary"')
		});
		expect(readJiraCsv('\ufeff\n\n')).toMatchObject({
			line: 1,
			reason: expect.stringContaining('empty')
		});
		expect(readJiraCsv(`Summary,Description\nA,"${'x'.repeat(10_001)}"\n`)).toMatchObject({
			line: 2,
			reason: expect.stringContaining('"Description" is over 10000 characters')
		});
		const many = `Summary\n${'A story\n'.repeat(5_001)}`;
		expect(readJiraCsv(many)).toMatchObject({
			line: 5_002,
			reason: expect.stringContaining('at most 5000')
		});
	});

	property.prop([
		fc.string({ unit: fc.constantFrom('a', ',', ';', '"', '\n', '\r', ' ', '\ufeff', 'é') })
	])(
		'whatever the text, the reader answers a table or a refusal with a line, and never throws',
		(text) => {
			const result = jiraPlanOf(`Summary,Issue Type\n${text}`, { timeZone: 'UTC', withTeam: true });
			if ('reason' in result) {
				expect(Number.isInteger(result.line)).toBe(true);
				expect(result.line).toBeGreaterThanOrEqual(1);
				expect(result.reason.length).toBeGreaterThan(0);
			} else {
				for (const row of [...result.stories, ...result.skipped])
					expect(row.line).toBeGreaterThanOrEqual(2);
			}
		}
	);
});

describe('Jira dates', () => {
	test.each([
		['21/Nov/26 9:15 AM', 'UTC', '2026-11-21T09:15:00.000Z'],
		['21/Nov/26 12:05 AM', 'UTC', '2026-11-21T00:05:00.000Z'],
		['21/Nov/2026 12:05 PM', 'UTC', '2026-11-21T12:05:00.000Z'],
		['2026-11-21 09:15', 'Australia/Sydney', '2026-11-20T22:15:00.000Z'],
		['2026-11-21T09:15:00+02:00', 'UTC', '2026-11-21T07:15:00.000Z'],
		['31/Feb/26 9:15 AM', 'UTC', null],
		['yesterday', 'UTC', null],
		['21/Nov/26 13:15 PM', 'UTC', null]
	])('%s in %s is %s', (raw, zone, expected) => {
		expect(jiraInstant(raw, zone)).toBe(expected);
	});
});
