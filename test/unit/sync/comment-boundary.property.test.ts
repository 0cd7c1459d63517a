/**
 * Hostile comments at the write boundary, without sockets: a member writes comments with any
 * body (any text, past the bound), mentions stored as anything (a set with odd or overlong
 * members, a list, a plain value, a Y.Text), extra fields of any JSON, and any author. The shape
 * check accepts exactly what the contract allows, the author check exactly the sender's own
 * comments, and whatever is let in, readers take the comment or reject it alone, never throwing.
 */
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import * as Y from 'yjs';
import { commentAuthorProblem } from '../../../server/validation/comment-authors';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { UpdateChecker } from '../../../src/lib/sync/shape/check-update';
import { DEFAULT_SHAPE_LIMITS } from '../../../src/lib/sync/shape/contract';
import { BoardProjection } from '../../../src/lib/sync/projection';
import { assertContractShape } from '../../helpers/contract-shape';

const SENDER = { id: 'ana', name: 'Ana', roles: ['team-member'] as const };
const LIMIT = DEFAULT_SHAPE_LIMITS.maxTextLength;

type Mentions =
	| { kind: 'set'; members: string[] }
	| { kind: 'list'; items: string[] }
	| { kind: 'plain'; value: unknown }
	| { kind: 'text' };

const body = fc.oneof(
	fc.string({ unit: 'grapheme', maxLength: 40 }),
	fc.string({ unit: 'binary', maxLength: 40 }),
	fc.integer({ min: LIMIT - 3, max: LIMIT + 3 }).map((n) => 'é'.repeat(n)),
	fc.integer(),
	fc.constant(null)
);
const member = fc.oneof(
	fc.constantFrom('ana', 'ben', '__proto__', ''),
	fc.string({ maxLength: 20 }),
	fc.integer({ min: 250, max: 260 }).map((n) => 'm'.repeat(n))
);
const mentions: fc.Arbitrary<Mentions> = fc.oneof(
	fc.record({ kind: fc.constant('set' as const), members: fc.array(member, { maxLength: 5 }) }),
	fc.record({ kind: fc.constant('list' as const), items: fc.array(member, { maxLength: 3 }) }),
	fc.record({ kind: fc.constant('plain' as const), value: fc.jsonValue({ maxDepth: 2 }) }),
	fc.record({ kind: fc.constant('text' as const) })
);
const comment = fc.record({
	id: fc.oneof(fc.constantFrom('c-1', 'c-2'), fc.string({ minLength: 1, maxLength: 12 })),
	authorId: fc.constantFrom('ana', 'ben', ''),
	body,
	mentions,
	extra: fc.option(
		fc.record({
			key: fc.constantFrom('targetKind', 'parentId', 'editedAt', 'note'),
			// Within the contract's nesting (3 levels): the extra field alone never refuses.
			value: fc.jsonValue({ maxDepth: 2 }).filter((v) => !JSON.stringify(v).includes('__proto__'))
		}),
		{ nil: undefined }
	)
});

/** The comment's Y.Map as a hostile client builds it. */
function write(doc: Y.Doc, c: Arbitrary): void {
	doc.transact(() => {
		const entity = new Y.Map<unknown>();
		doc.getMap('comments').set(c.id, entity);
		for (const [key, value] of Object.entries({
			id: c.id,
			targetKind: 'story',
			targetId: 's1',
			parentId: null,
			authorId: c.authorId,
			body: c.body,
			createdAt: '2026-11-23T09:00:00.000Z',
			editedAt: null
		}))
			entity.set(key, value);
		if (c.extra) entity.set(c.extra.key, c.extra.value);
		const m = c.mentions;
		if (m.kind === 'set') {
			const set = new Y.Map<unknown>();
			entity.set('mentions', set);
			for (const id of m.members) set.set(id, true);
		} else if (m.kind === 'list') {
			const list = new Y.Array<unknown>();
			entity.set('mentions', list);
			list.push(m.items);
		} else if (m.kind === 'text') {
			entity.set('mentions', new Y.Text('@ben'));
		} else entity.set('mentions', m.value);
	});
}
type Arbitrary = typeof comment extends fc.Arbitrary<infer T> ? T : never;

/** What the contract says of a comment's parts (D3, D14): the oracle. */
function allowed(c: Arbitrary): boolean {
	if (c.id.length > 256) return false;
	if (typeof c.body === 'string' && c.body.length > LIMIT) return false;
	if (c.mentions.kind !== 'set') return false;
	return c.mentions.members.every((m) => m.length <= 256);
}

test.prop([comment], { numRuns: 300 })(
	'[D6.13][D14] a hostile comment is accepted exactly when the contract allows it and its sender wrote it',
	(c) => {
		const server = new Y.Doc();
		const checker = new UpdateChecker(server, 'board', DEFAULT_SHAPE_LIMITS);
		const client = new Y.Doc();
		write(client, c);
		const update = Y.encodeStateAsUpdate(client);
		const verdict = checker.check(Y.decodeUpdate(update), update.byteLength);
		expect(verdict.kind).toBe(allowed(c) ? 'accept' : 'refuse');
		if (verdict.kind !== 'accept') return;

		const author = commentAuthorProblem(server, Y.decodeUpdate(update), SENDER);
		if (c.authorId === SENDER.id) expect(author).toBeNull();
		else {
			expect(author).toEqual({
				code: 'author',
				path: `comments/${c.id}`,
				problem: 'a new comment names its author, the person sending it (ana)'
			});
		}

		Y.applyUpdate(server, update);
		assertContractShape(server, 'board');
		const projection = new BoardProjection(new BoardDocs('acme', server), {
			now: Date.parse('2026-11-23T10:00:00.000Z')
		});
		const read = projection.state.comments.get(c.id);
		const rejected = projection.rejected.get(`comments/${c.id}`);
		expect(read === undefined).toBe(rejected !== undefined);
		if (read) expect(read.body).toBe(c.body);
		projection.destroy();
	}
);
