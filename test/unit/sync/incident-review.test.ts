/**
 * The post-incident review as the swarm writes it: started from the incident's timeline and
 * status updates, rows edited one by one, action items turned into backlog stories and template
 * change requests, and marked done by the incident commander only.
 */
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { ScrumOpsError } from '../../../src/lib/domain/errors';
import { BoardDocs } from '../../../src/lib/sync/board-docs';
import { seedDemoBoard, type DemoIds } from '../../../src/lib/sync/demo';
import * as op from '../../../src/lib/sync/operations';
import { BoardProjection } from '../../../src/lib/sync/projection';
import { typeText } from '../../../src/lib/sync/shared-text';
import { fixedContext } from '../../helpers/op-context';

/** A SEV1 on the web support story, Ana commanding it, with a status update, completed. */
function completedIncident() {
	const docs = new BoardDocs('demo');
	const ctx = fixedContext('d', null);
	const ids = seedDemoBoard(docs, ctx, '2026-11-23');
	const as = (personId: string) => ({ ...ctx, actorId: personId });
	const wp = op.createWorkPackageFromTemplate(docs, as(ids.people.ana), {
		templateId: ids.templates.sev1,
		storyId: ids.stories.support,
		teamId: ids.teams.web,
		title: 'Checkout down'
	}).workPackage;
	op.setIncidentRole(docs, as(ids.people.ana), wp.id, 'commander', ids.people.ana);
	ctx.advance(5);
	op.postStatusUpdate(docs, as(ids.people.ana), wp.id, {
		state: 'identified',
		text: 'The payment gateway rejects every card'
	});
	ctx.advance(5);
	op.completeWorkPackage(docs, as(ids.people.ana), wp.id, {
		openTasks: 'complete',
		teamIds: [ids.teams.web]
	});
	const projection = new BoardProjection(docs, { now: Date.parse('2026-11-23T12:00:00.000Z') });
	return { docs, ctx, ids, as, wp, projection };
}

const review = (projection: BoardProjection, id: string) =>
	projection.state.incidentReviews.get(id)!;

function refused(fn: () => unknown): string {
	try {
		fn();
	} catch (error) {
		if (error instanceof ScrumOpsError) return error.message;
		throw error;
	}
	throw new Error('expected a refusal');
}

describe('post-incident review', () => {
	test('starts with the timeline and the status updates of the incident, oldest first', () => {
		const { docs, as, ids, wp, projection } = completedIncident();
		op.startIncidentReview(docs, as(ids.people.ben), wp.id);
		const started = review(projection, wp.id);
		const texts = started.timeline.map((row) => row.text);
		expect(texts[0]).toBe('Ana opened it SEV1 Checkout down');
		expect(texts).toContain(
			'Ana posted an update: Identified: The payment gateway rejects every card'
		);
		expect(texts.at(-1)).toBe('Ana completed it 5 open tasks completed with it');
		expect(started.timeline.map((r) => r.at)).toEqual(started.timeline.map((r) => r.at).sort());
		expect(started).toMatchObject({ summary: '', doneAt: null, createdBy: ids.people.ben });
		expect(refused(() => op.startIncidentReview(docs, as(ids.people.ben), wp.id))).toContain(
			'already has a post-incident review'
		);
	});

	test('timeline rows are added, edited and removed one by one', () => {
		const { docs, as, ids, wp, projection } = completedIncident();
		op.startIncidentReview(docs, as(ids.people.ben), wp.id);
		const before = review(projection, wp.id).timeline.length;
		const row = op.addReviewTimelineRow(docs, as(ids.people.ben), wp.id, {
			text: 'Alert fired',
			at: '2026-11-23T08:59:00.000Z'
		});
		op.editReviewTimelineRow(docs, as(ids.people.chen), wp.id, row.id, {
			text: 'Checkout error alert fired'
		});
		const first = review(projection, wp.id).timeline.find((r) => r.id === row.id);
		expect(first).toMatchObject({ text: 'Checkout error alert fired', at: row.at });
		const opened = review(projection, wp.id).timeline.find((r) =>
			r.text.startsWith('Ana opened it')
		)!;
		op.removeReviewTimelineRow(docs, as(ids.people.chen), wp.id, opened.id);
		expect(review(projection, wp.id).timeline.map((r) => r.text)).not.toContain(opened.text);
		expect(review(projection, wp.id).timeline).toHaveLength(before);
		expect(
			refused(() =>
				op.editReviewTimelineRow(docs, as(ids.people.chen), wp.id, row.id, { text: '  ' })
			)
		).toContain('say what happened');
		expect(
			refused(() => op.removeReviewTimelineRow(docs, as(ids.people.chen), wp.id, opened.id))
		).toContain('someone may have removed it');
	});

	test('two people typing into the summary at once both keep their words', () => {
		const { docs, as, ids, wp } = completedIncident();
		op.startIncidentReview(docs, as(ids.people.ben), wp.id);
		const other = new BoardDocs('demo');
		Y.applyUpdate(other.board, Y.encodeStateAsUpdate(docs.board));
		const address = { collection: 'incidentReviews', id: wp.id, field: 'summary' } as const;
		typeText(docs, as(ids.people.ana), address, '', 'Cards failed.', 13);
		typeText(other, as(ids.people.ben), address, '', 'Gateway down.', 13);
		Y.applyUpdate(other.board, Y.encodeStateAsUpdate(docs.board));
		Y.applyUpdate(docs.board, Y.encodeStateAsUpdate(other.board));
		const summary = (d: BoardDocs) =>
			String(d.collection('incidentReviews').get(wp.id)!.get('summary'));
		expect(summary(docs)).toBe(summary(other));
		expect(summary(docs)).toContain('Cards failed.');
		expect(summary(docs)).toContain('Gateway down.');
	});

	test('an action item becomes a backlog story that links back to the review', () => {
		const { docs, as, ids, wp, projection } = completedIncident();
		op.startIncidentReview(docs, as(ids.people.ben), wp.id);
		const item = op.addActionItem(docs, as(ids.people.ben), wp.id, 'Alert on card rejections');
		const backlog = projection.state.stories.size;
		const story = op.createStoryFromActionItem(docs, as(ids.people.ben), wp.id, item.id);
		expect(projection.state.stories.size).toBe(backlog + 1);
		expect(op.backlogOrder(docs).at(-1)?.id).toBe(story.id);
		expect(projection.state.stories.get(story.id)).toMatchObject({
			title: 'Alert on card rejections',
			iWant: 'Alert on card rejections'
		});
		expect(projection.state.stories.get(story.id)!.soThat).toContain(
			`/board/demo/incidents/${wp.id}/review`
		);
		expect(review(projection, wp.id).actionItems[0]).toMatchObject({ storyId: story.id });
		// It lands with the Product Owners of the incident's story, so nobody has to find it an owner.
		const owners = projection.state.stories.get(wp.storyId)!.productOwnerIds;
		expect(owners.length).toBeGreaterThan(0);
		expect(projection.state.stories.get(story.id)!.productOwnerIds).toEqual(owners);
		expect(
			projection.findings().filter((f) => f.rule === 'R3' && f.refs.some((r) => r.id === story.id))
		).toEqual([]);
		expect(
			refused(() => op.createStoryFromActionItem(docs, as(ids.people.ben), wp.id, item.id))
		).toContain('already a story');
		expect(
			refused(() => op.editActionItem(docs, as(ids.people.ben), wp.id, item.id, 'Other'))
		).toContain('already a story');
	});

	test('an action item becomes a change request on a template, applied or declined there', () => {
		const { docs, as, ids, wp, projection } = completedIncident();
		op.startIncidentReview(docs, as(ids.people.ben), wp.id);
		const check = op.addActionItem(docs, as(ids.people.ben), wp.id, 'Check the gateway status');
		const page = op.addActionItem(docs, as(ids.people.ben), wp.id, 'Page the vendor at once');
		const template = ids.templates.sev1;
		const applied = op.proposeTemplateChange(docs, as(ids.people.ben), wp.id, check.id, template);
		const declined = op.proposeTemplateChange(docs, as(ids.people.ben), wp.id, page.id, template);
		expect(projection.state.templates.get(template)!.changeRequests).toMatchObject([
			{
				text: 'Check the gateway status',
				sourceKind: 'incidentReview',
				sourceId: wp.id,
				sourceItemId: check.id,
				status: 'open'
			},
			{ text: 'Page the vendor at once', status: 'open' }
		]);
		expect(review(projection, wp.id).actionItems).toMatchObject([
			{ templateId: template, changeRequestId: applied.id },
			{ templateId: template, changeRequestId: declined.id }
		]);

		op.decideChangeRequest(docs, as(ids.people.sam), template, applied.id, 'applied');
		op.decideChangeRequest(docs, as(ids.people.sam), template, declined.id, 'declined');
		const after = projection.state.templates.get(template)!;
		expect(after.tasks.map((t) => t.title)).toEqual([
			'Investigate',
			'Mitigate',
			'Resolve',
			'Verify',
			'Document',
			'Check the gateway status'
		]);
		expect(after.changeRequests.map((r) => [r.status, r.decidedBy])).toEqual([
			['applied', ids.people.sam],
			['declined', ids.people.sam]
		]);
		expect(
			refused(() =>
				op.decideChangeRequest(docs, as(ids.people.sam), template, applied.id, 'declined')
			)
		).toBe('This change request was already applied.');
	});

	test('only the incident commander marks the review done, and reopens it', () => {
		const { docs, as, ids, wp, projection } = completedIncident();
		op.startIncidentReview(docs, as(ids.people.ben), wp.id);
		expect(refused(() => op.markReviewDone(docs, as(ids.people.ben), wp.id))).toBe(
			'Only its incident commander, Ana, may mark its review done for "Checkout down".'
		);
		op.markReviewDone(docs, as(ids.people.ana), wp.id);
		expect(review(projection, wp.id)).toMatchObject({ doneBy: ids.people.ana });
		expect(review(projection, wp.id).doneAt).not.toBeNull();
		expect(
			refused(() => op.addActionItem(docs, as(ids.people.ben), wp.id, 'One more thing'))
		).toContain('marked done');
		expect(refused(() => op.reopenReview(docs, as(ids.people.ben), wp.id))).toContain(
			'Only its incident commander'
		);
		op.reopenReview(docs, as(ids.people.ana), wp.id);
		expect(review(projection, wp.id)).toMatchObject({ doneAt: null, doneBy: null });
	});

	test('without a commander, anyone in the teams of the swarm marks it done; nobody else', () => {
		const { docs, ctx, ids, as, projection } = completedIncidentWithoutCommander();
		const wp = [...projection.state.workPackages.values()].find((w) => w.title === 'Search down')!;
		op.startIncidentReview(docs, ctx, wp.id);
		// Ivan is in Ops L2 only; Ben, on the swarm, is in Web.
		expect(refused(() => op.markReviewDone(docs, as(ids.people.ivan), wp.id))).toContain(
			"Only someone in the swarm's teams"
		);
		op.markReviewDone(docs, as(ids.people.chen), wp.id);
		expect(review(projection, wp.id).doneBy).toBe(ids.people.chen);
	});

	test('an open incident cannot have its review marked done', () => {
		const docs = new BoardDocs('demo');
		const ctx = fixedContext('d', null);
		const ids: DemoIds = seedDemoBoard(docs, ctx, '2026-11-23');
		const wp = op.createWorkPackage(
			docs,
			{ ...ctx, actorId: ids.people.ana },
			{
				storyId: ids.stories.support,
				title: 'Slow pages',
				category: 'incident',
				severity: 'SEV2'
			}
		);
		op.setIncidentRole(
			docs,
			{ ...ctx, actorId: ids.people.ana },
			wp.id,
			'commander',
			ids.people.ana
		);
		op.startIncidentReview(docs, ctx, wp.id);
		expect(refused(() => op.markReviewDone(docs, { ...ctx, actorId: ids.people.ana }, wp.id))).toBe(
			'"Slow pages" is still open: complete the incident before its review is done.'
		);
	});

	test('[R19] a finished review ends the finding; reopening brings it back', () => {
		const { docs, as, ids, wp, projection } = completedIncident();
		projection.setNow(Date.parse('2026-12-10T12:00:00.000Z'));
		const r19 = () => projection.findings().filter((f) => f.rule === 'R19');
		expect(r19()).toHaveLength(1);
		op.startIncidentReview(docs, as(ids.people.ben), wp.id);
		expect(r19()).toHaveLength(1);
		op.markReviewDone(docs, as(ids.people.ana), wp.id);
		expect(r19()).toEqual([]);
		op.reopenReview(docs, as(ids.people.ana), wp.id);
		expect(r19()).toHaveLength(1);
		op.updateBoard(docs, as(ids.people.ana), { reviewDueDays: 30 });
		expect(r19()).toEqual([]);
		expect(refused(() => op.updateBoard(docs, as(ids.people.ana), { reviewDueDays: 91 }))).toBe(
			'Invalid board: reviewDueDays: a review is due at most 90 days after.'
		);
	});
});

function completedIncidentWithoutCommander() {
	const docs = new BoardDocs('demo');
	const ctx = fixedContext('d', null);
	const ids = seedDemoBoard(docs, ctx, '2026-11-23');
	const as = (personId: string) => ({ ...ctx, actorId: personId });
	const wp = op.createWorkPackage(docs, as(ids.people.ben), {
		storyId: ids.stories.support,
		title: 'Search down',
		category: 'incident',
		severity: 'SEV2'
	});
	op.setSwarming(docs, as(ids.people.ben), wp.id, ids.people.ben, true);
	op.completeWorkPackage(docs, as(ids.people.ben), wp.id, {
		openTasks: 'complete',
		teamIds: [ids.teams.web]
	});
	const projection = new BoardProjection(docs, { now: Date.parse('2026-11-23T12:00:00.000Z') });
	return { docs, ctx, ids, as, projection };
}
