/**
 * [E1] A board exported to one file and imported again is the same board: entity for entity, the
 * same findings, whatever the collections and fields (the file is generic over the layout).
 */
import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { generateBoard } from '../../../bench/board-generator';
import { BoardExport, EXPORT_FORMAT } from '../../../src/lib/contract/exchange';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { buildImport, exportBoard, ImportRefusal } from '../../../src/lib/sync/board-file';
import { seedDemoBoard } from '../../../src/lib/sync/demo';
import { BoardProjection } from '../../../src/lib/sync/projection';
import { fixedContext } from '../../helpers/op-context';

const NOW = Date.parse('2026-11-23T10:00:00.000Z');

/** Exports `docs`, sends the file through JSON and its schema, and imports it as board `copy`. */
function roundTrip(docs: BoardDocs): { copy: BoardDocs; file: BoardExport } {
	docs.openTeamDocs();
	const file = BoardExport.parse(
		JSON.parse(JSON.stringify(exportBoard(docs, { exportedBy: null, now: NOW })))
	);
	const built = buildImport(file, 'copy');
	const copy = new BoardDocs(
		'copy',
		built.board,
		(teamId) => built.teams.get(teamId) ?? new Y.Doc()
	);
	return { copy, file };
}

/** Every entity of the projection, by collection, with the board id left out. */
function entitiesOf(docs: BoardDocs) {
	const projection = new BoardProjection(docs, { now: NOW });
	const { board, ...collections } = projection.state;
	const entities = Object.fromEntries(
		Object.entries(collections).map(([name, map]) => [
			name,
			Object.fromEntries(
				[...(map as ReadonlyMap<string, unknown>)].sort(([a], [b]) => (a < b ? -1 : 1))
			)
		])
	);
	const findings = [...projection.findings()];
	const rejected = [...projection.rejected];
	projection.destroy();
	return { board: { ...board, id: null }, entities, findings, rejected };
}

describe('[E1] board export and import', () => {
	test('the demo board comes back entity for entity, with the same findings', () => {
		const docs = new BoardDocs('demo');
		seedDemoBoard(docs, fixedContext('d'), '2026-11-23');
		const { copy, file } = roundTrip(docs);
		const before = entitiesOf(docs);
		const after = entitiesOf(copy);
		expect(after).toEqual(before);
		expect(before.findings.length).toBeGreaterThan(0);
		expect(after.board).toMatchObject({ name: before.board.name });
		expect(copy.meta().get('id')).toBe('copy');
		expect(file.omitted).toEqual([]);
		// The live standup and the server's authorship record travel too.
		for (const [teamId, doc] of docs.teams()) {
			expect(copy.team(teamId).getMap('standup').toJSON()).toEqual(doc.getMap('standup').toJSON());
		}
		expect(copy.authorship().toJSON()).toEqual(docs.authorship().toJSON());
	});

	test('the 10,000-story benchmark board comes back entity for entity, with the same findings', () => {
		const { docs } = generateBoard({
			teams: 50,
			stories: 10_000,
			tasks: 20_000,
			openWorkPackages: 2_000
		});
		const { copy } = roundTrip(docs);
		const before = entitiesOf(docs);
		const after = entitiesOf(copy);
		expect(Object.keys(after.entities.stories as object)).toHaveLength(10_000);
		expect(after).toEqual(before);
	}, 60_000);

	test('a field the layout does not list yet (another version’s) travels as the value it holds', () => {
		const docs = new BoardDocs('demo');
		const ids = seedDemoBoard(docs, fixedContext('d'), '2026-11-23');
		docs.collection('stories').get(ids.stories.checkout)!.set('valueEstimate', 8);
		const { copy, file } = roundTrip(docs);
		expect(file.board.collections.stories![ids.stories.checkout]).toMatchObject({
			valueEstimate: 8
		});
		expect(copy.collection('stories').get(ids.stories.checkout)!.get('valueEstimate')).toBe(8);
	});

	test('a file of another kind, another version or with an unknown collection is refused, saying where', () => {
		const docs = new BoardDocs('demo');
		seedDemoBoard(docs, fixedContext('d'), '2026-11-23');
		docs.openTeamDocs();
		const file = exportBoard(docs, { exportedBy: null, now: NOW });
		const notOurs = BoardExport.safeParse({ ...file, format: 'trello' });
		expect(notOurs.success).toBe(false);
		expect(notOurs.error?.issues[0]?.message).toContain(EXPORT_FORMAT);
		const newer = BoardExport.safeParse({ ...file, version: 2 });
		expect(newer.error?.issues[0]?.message).toMatch(/version 1/);

		const unknown = structuredClone(file);
		unknown.board.collections.gadgets = {};
		expect(() => buildImport(unknown, 'copy')).toThrow(
			/board\/gadgets: this server has no collection "gadgets"/
		);

		const badSet = structuredClone(file);
		const storyId = Object.keys(badSet.board.collections.stories!)[0]!;
		badSet.board.collections.stories![storyId]!.teamIds = 'web';
		expect(() => buildImport(badSet, 'copy')).toThrow(ImportRefusal);
		expect(() => buildImport(badSet, 'copy')).toThrow(
			`board/stories/${storyId}/teamIds: a set field`
		);

		const tooLong = structuredClone(file);
		tooLong.board.collections.stories![storyId]!.title = 'x'.repeat(10_001);
		expect(() => buildImport(tooLong, 'copy')).toThrow(new RegExp(`stories/${storyId}/title`));

		const strayTeam = structuredClone(file);
		strayTeam.teams.ghost = { collections: {}, standup: {} };
		expect(() => buildImport(strayTeam, 'copy')).toThrow(/teams\/ghost: a team document of a team/);
	});
});
