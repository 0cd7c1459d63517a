/**
 * [D17] The relay's shape check on text fields: typing into a Y.Text is accepted up to the length
 * bound, formatting, embeds and keys are refused, and what a client of contract 1 writes (a plain
 * string, a Y.Array of criteria) is still taken, so the server can convert it.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import * as Y from 'yjs';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import { UpdateChecker, type UpdateVerdict } from '../../../src/lib/sync/shape/check-update';
import { DEFAULT_SHAPE_LIMITS, type ShapeLimits } from '../../../src/lib/sync/shape/contract';
import { fixedContext } from '../../helpers/op-context';

const LIMITS: ShapeLimits = { ...DEFAULT_SHAPE_LIMITS, maxTextLength: 200 };

/** A server copy and a client copy of one demo board, in step. */
function pair() {
	const client = new BoardDocs('acme');
	const ids = seedDemoBoard(client, fixedContext('ada'), '2026-11-23');
	const server = new Y.Doc();
	Y.applyUpdate(server, Y.encodeStateAsUpdate(client.board));
	const checker = new UpdateChecker(server, 'board', LIMITS);
	const story = client.collection('stories').get(ids.stories.checkout)!;
	/** Runs `edit` on the client and judges its update; accepted updates reach the server. */
	const judge = (edit: () => void): UpdateVerdict => {
		const updates: Uint8Array[] = [];
		const listen = (update: Uint8Array) => updates.push(update);
		client.board.on('update', listen);
		client.board.transact(edit);
		client.board.off('update', listen);
		const update = Y.mergeUpdates(updates);
		const verdict = checker.check(Y.decodeUpdate(update), update.byteLength);
		if (verdict.kind === 'accept') Y.applyUpdate(server, update);
		return verdict;
	};
	return { story, judge, server, storyId: ids.stories.checkout };
}

const kind = (verdict: UpdateVerdict) =>
	verdict.kind === 'refuse' ? `refuse: ${verdict.violation.problem}` : verdict.kind;

describe('[D17] text fields at the write boundary', () => {
	test.prop(
		[
			fc.array(
				fc.oneof(
					fc.record({ insert: fc.string({ unit: 'binary', maxLength: 60 }), at: fc.nat() }),
					fc.record({ remove: fc.nat({ max: 30 }), at: fc.nat() })
				),
				{ maxLength: 12 }
			)
		],
		{ numRuns: 60 }
	)(
		'typing and deleting anything is accepted exactly while the text stays within its bound',
		(edits) => {
			const { story, judge } = pair();
			const text = story.get('iWant') as Y.Text;
			for (const edit of edits) {
				const length = text.length;
				const at = edit.at % (length + 1);
				const verdict = judge(() => {
					if ('insert' in edit) text.insert(at, edit.insert);
					else text.delete(at, Math.min(edit.remove, length - at));
				});
				const expected = text.length <= LIMITS.maxTextLength ? 'accept' : 'refuse';
				expect(verdict.kind).toBe(expected);
				if (verdict.kind === 'refuse') {
					expect(verdict.violation.code).toBe('text-length');
					// The client drops what was refused, as the app does after the server says why.
					return;
				}
			}
		}
	);

	/** The verdict on one edit of a fresh board's checkout story. */
	const verdictOf = (edit: (story: Y.Map<unknown>) => void) => {
		const { story, judge } = pair();
		return kind(judge(() => edit(story)));
	};
	const soThat = (story: Y.Map<unknown>) => story.get('soThat') as Y.Text;

	test('formatting, embeds, keys and nested types in a text are refused', () => {
		expect(verdictOf((s) => soThat(s).insert(0, 'bold', { bold: true }))).toMatch(
			/^refuse: a Y.Text here holds plain text only/
		);
		expect(verdictOf((s) => soThat(s).insertEmbed(0, { image: 'x' }))).toMatch(/^refuse:/);
		expect(verdictOf((s) => soThat(s).setAttribute('lang', 'en'))).toMatch(/^refuse:/);
		expect(verdictOf((s) => soThat(s).insertEmbed(0, new Y.Map()))).toMatch(/^refuse:/);
		expect(verdictOf((s) => s.set('soThat', new Y.Map()))).toBe(
			'refuse: must be a Y.Text, not a Y.Map'
		);
		expect(verdictOf((s) => s.set('soThat', 42))).toBe(
			'refuse: must be a Y.Text (or, as before, a string)'
		);
		expect(verdictOf((s) => soThat(s).insert(0, 'plain words'))).toBe('accept');
	});

	test('what a client of contract 1 writes is taken: a plain string, criteria as a Y.Array', () => {
		expect(verdictOf((s) => s.set('iWant', 'to pay in one tap'))).toBe('accept');
		const { story, judge } = pair();
		expect(
			kind(
				judge(() => {
					const criteria = new Y.Array<string>();
					criteria.push(['One tap', 'Receipt']);
					story.set('acceptanceCriteria', criteria);
				})
			)
		).toBe('accept');
		expect(
			kind(judge(() => (story.get('acceptanceCriteria') as Y.Array<string>).push(['Refund'])))
		).toBe('accept');
		// …within the bounds that held for them.
		expect(verdictOf((s) => s.set('iWant', 'x'.repeat(LIMITS.maxTextLength + 1)))).toMatch(
			/^refuse: a text of 201 characters/
		);
	});
});
