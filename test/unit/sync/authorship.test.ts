/**
 * Role-guarded changes as the server records them in the board document's `authorship` map
 * (docs/schema.md, D12), read by the projection and reported by rule A1. Records are written
 * with the `yjs` package alone, the way the server writes them.
 */
import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { authorshipKey, type GuardedChange } from '../../../src/lib/domain/authorship';
import { validate } from '../../../src/lib/domain/validation/engine';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import { AUTHORSHIP_KEY } from '../../../src/lib/sync/layout';
import * as op from '../../../src/lib/sync/operations';
import { BoardProjection, type EntityChange } from '../../../src/lib/sync/projection';
import { fixedContext } from '../../helpers/op-context';
import { Network } from '../../helpers/replicas';

const NOW = Date.parse('2026-11-23T10:00:00.000Z');
const AT = '2026-11-23T09:30:00.000Z';
const SERVER = { kind: 'server-repair', actorId: null, intent: 'recordGuardedChange' };

function demo() {
	const docs = new BoardDocs('demo');
	const ctx = fixedContext('d');
	const ids = seedDemoBoard(docs, ctx, '2026-11-23');
	const projection = new BoardProjection(docs, { now: NOW });
	/** The A1 findings, after checking the live ones against a from-scratch validation. */
	const a1 = () => {
		expect(projection.findings()).toEqual(validate(projection.state, NOW));
		return projection.findings().filter((f) => f.rule === 'A1');
	};
	return { docs, ctx, ids, projection, a1 };
}

/** Writes a record the way the server does: a plain object under its key, in yjs only. */
function record(doc: Y.Doc, key: string, value: unknown): void {
	doc.transact(() => doc.getMap(AUTHORSHIP_KEY).set(key, value), SERVER);
}

function change(fields: Partial<GuardedChange> & Pick<GuardedChange, 'entityId' | 'field'>) {
	const value: GuardedChange = {
		collection: 'stories',
		personId: 'ana',
		personName: 'Ana',
		roles: ['team-member'],
		at: AT,
		...fields
	};
	return { key: authorshipKey(value.collection, value.entityId, value.field), value };
}

describe('[D12] role-guarded changes in the board document', () => {
	test('[A1] a team member changing a story’s duration is reported, and an authorized change clears it', () => {
		const { docs, ids, projection, a1 } = demo();
		const seen: EntityChange[] = [];
		projection.subscribe((changes) => seen.push(...changes));
		const byAna = change({ entityId: ids.stories.checkout, field: 'duration' });
		record(docs.board, byAna.key, byAna.value);

		expect(seen).toEqual([{ collection: 'authorship', id: byAna.key }]);
		expect(a1()).toEqual([
			{
				rule: 'A1',
				severity: 'warning',
				message:
					'Ana changed the duration of "One-click checkout" without the Product Owner role ' +
					'(their roles: team member).',
				refs: [
					{ kind: 'story', id: ids.stories.checkout },
					{ kind: 'person', id: 'ana' }
				]
			}
		]);

		const byPriya = change({
			entityId: ids.stories.checkout,
			field: 'duration',
			personId: ids.people.priya,
			personName: 'Priya (PO)',
			roles: ['product-owner']
		});
		record(docs.board, byPriya.key, byPriya.value);
		expect(a1()).toEqual([]);
		expect(projection.state.roleChanges.get(byPriya.key)?.personName).toBe('Priya (PO)');
	});

	test('[A1] a team member changing a team’s velocity is reported by team name', () => {
		const { docs, ids, a1 } = demo();
		const { key, value } = change({
			collection: 'teams',
			entityId: ids.teams.web,
			field: 'velocity'
		});
		record(docs.board, key, value);
		expect(a1().map((f) => f.message)).toEqual([
			'Ana changed the velocity of Web without the Scrum Master role (their roles: team member).'
		]);
	});

	test('[A1] the finding follows the story it names: renamed, then deleted', () => {
		const { docs, ctx, ids, a1 } = demo();
		const { key, value } = change({ entityId: ids.stories.checkout, field: 'sla' });
		record(docs.board, key, value);
		op.editStory(docs, ctx, ids.stories.checkout, { title: 'Checkout flow' });
		expect(a1().map((f) => f.message)).toEqual([
			'Ana changed the SLA setting of "Checkout flow" without the Product Owner role ' +
				'(their roles: team member).'
		]);
		docs.collection('stories').delete(ids.stories.checkout);
		expect(a1()).toEqual([]);
	});

	test('[D12] invalid records are ignored and listed as rejected until rewritten', () => {
		const { docs, ids, projection, a1 } = demo();
		const valid = change({ entityId: ids.stories.checkout, field: 'teaming' });
		const otherKey = authorshipKey('stories', ids.stories.search, 'teaming');
		const cases: [string, unknown, RegExp][] = [
			[valid.key, 'Ana did it', /expected object/],
			[valid.key, { ...valid.value, roles: ['boss'] }, /roles/],
			[valid.key, { ...valid.value, personName: '' }, /name is required/],
			[valid.key, new Y.Map(), /plain JSON object, not a Yjs type/],
			[otherKey, valid.value, /stored under key .* but describes/],
			[
				authorshipKey('stories', ids.stories.checkout, 'title'),
				{ ...valid.value, field: 'title' },
				/not a role-guarded field/
			]
		];
		for (const [key, value, reason] of cases) {
			record(docs.board, key, value);
			expect(projection.rejected.get(`authorship/${key}`)).toMatch(reason);
			expect(projection.state.roleChanges.has(key)).toBe(false);
			expect(a1()).toEqual([]);
			docs.authorship().delete(key);
			expect(projection.rejected.has(`authorship/${key}`)).toBe(false);
		}

		record(docs.board, valid.key, { ...valid.value, roles: 'team-member' });
		expect(a1()).toEqual([]);
		record(docs.board, valid.key, valid.value);
		expect(projection.rejected.has(`authorship/${valid.key}`)).toBe(false);
		expect(a1()).toHaveLength(1);
	});

	test('[D12] records already in the document are read when the projection starts', () => {
		const { docs, ids } = demo();
		const { key, value } = change({ entityId: ids.stories.hiring, field: 'productOwnerIds' });
		record(docs.board, key, value);
		const fresh = new BoardProjection(docs, { now: NOW });
		expect(
			fresh
				.findings()
				.filter((f) => f.rule === 'A1')
				.map((f) => f.message)
		).toEqual([expect.stringContaining('Ana changed the Product Owner of')]);
		fresh.destroy();
	});

	test('[A1] a record the server writes reaches every replica, which all report it', () => {
		const network = new Network(3, 7);
		const server = network.replicas[0]!;
		const ids = seedDemoBoard(server.docs, server.ctx, '2026-11-23');
		network.flush();
		const { key, value } = change({ entityId: ids.stories.checkout, field: 'productOwnerIds' });
		record(server.docs.board, key, value);
		network.flush();
		const messages = network.replicas.map((r) =>
			r.projection
				.findings()
				.filter((f) => f.rule === 'A1')
				.map((f) => f.message)
		);
		expect(messages).toEqual(
			Array(3).fill([
				'Ana changed the Product Owner of "One-click checkout" without the Product Owner ' +
					'role (their roles: team member).'
			])
		);
	});
});
