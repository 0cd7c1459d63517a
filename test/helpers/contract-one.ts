/**
 * A board as a client of contract 1.x wrote it with plain yjs: free text as plain strings,
 * acceptance criteria as a Y.Array of strings, `schemaVersion` 1 (docs/schema.md, D17).
 */
import * as Y from 'yjs';

export const CONTRACT_ONE_STORY = {
	asA: 'shopper',
	iWant: 'to pay with a saved card',
	soThat: 'checkout is quick',
	successMeasure: 'conversion +2 %',
	criteria: ['Saved card is used', 'Receipt is e-mailed']
};

/** Writes board `boardId` into `doc` the contract 1 way, with one team, one story and one epic. */
export function writeContractOneBoard(doc: Y.Doc, boardId: string): void {
	doc.transact(() => {
		const meta = doc.getMap('meta');
		meta.set('id', boardId);
		meta.set('name', 'Acme');
		meta.set('vision', 'Checkout that never stops');
		const goals = new Y.Array<string>();
		goals.push(['99.9 % availability']);
		meta.set('operationalGoals', goals);
		const sla = new Y.Map<number>();
		for (const [severity, minutes] of Object.entries({
			SEV1: 360,
			SEV2: 1440,
			SEV3: 4320,
			'non-production-defect': 10080
		})) {
			sla.set(severity, minutes);
		}
		meta.set('slaPolicy', sla);
		meta.set('targetOpsPercent', 30);
		meta.set('splitTolerance', 10);
		meta.set('createdAt', '2026-11-01T09:00:00.000Z');
		meta.set('schemaVersion', 1);

		const epic = new Y.Map<unknown>();
		for (const [key, value] of Object.entries({
			id: 'e-1',
			title: 'Checkout',
			description: 'Everything about paying'
		})) {
			epic.set(key, value);
		}
		doc.getMap('epics').set('e-1', epic);

		doc.getMap('stories').set('s-1', contractOneStory('s-1'));
	});
}

/** A story entity as contract 1 stored it. */
export function contractOneStory(id: string, story = CONTRACT_ONE_STORY): Y.Map<unknown> {
	const map = new Y.Map<unknown>();
	const criteria = new Y.Array<string>();
	criteria.push(story.criteria);
	for (const [key, value] of Object.entries({
		id,
		title: 'Pay with a saved card',
		asA: story.asA,
		iWant: story.iWant,
		soThat: story.soThat,
		acceptanceCriteria: criteria,
		successMeasure: story.successMeasure,
		productOwnerIds: new Y.Map(),
		epicId: 'e-1',
		rank: 'a0',
		duration: 'finite',
		teaming: 'single',
		teamIds: new Y.Map(),
		workType: 'dev',
		sla: 'none',
		escalationAllowed: false,
		escalationTargetIds: new Y.Map(),
		estimates: new Y.Map(),
		createdAt: '2026-11-01T09:00:00.000Z'
	})) {
		map.set(key, value);
	}
	return map;
}
