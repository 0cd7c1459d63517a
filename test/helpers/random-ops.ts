/**
 * A random user intent from the full operation set, with arguments drawn from what the replica
 * currently sees. Intents the board refuses (ScrumOpsError) count as refused, like a user who
 * clicked a button that was no longer valid; any other error fails the test.
 */
import * as prng from 'lib0/prng';
import * as Y from 'yjs';
import { authorshipKey, GUARDED_FIELDS } from '../../src/lib/domain/authorship';
import { ScrumOpsError } from '../../src/lib/domain/errors';
import { ROLES, SEVERITIES, type Severity } from '../../src/lib/domain/schema';
import type { TransactionOrigin } from '../../src/lib/sync/layout';
import * as op from '../../src/lib/sync/operations';
import { readCards } from '../../src/lib/sync/retro-cards';
import { currentText, typeText } from '../../src/lib/sync/shared-text';
import type { Replica } from './replicas';

type Intent = (replica: Replica, gen: prng.PRNG) => void;

const SERVER: TransactionOrigin = {
	kind: 'server-repair',
	actorId: null,
	intent: 'recordGuardedChange'
};

const pick = <T>(gen: prng.PRNG, items: readonly T[]): T | undefined =>
	items.length === 0 ? undefined : prng.oneOf(gen, items as T[]);
const points = (gen: prng.PRNG) => prng.uint32(gen, 1, 13);
const severity = (gen: prng.PRNG): Severity => prng.oneOf(gen, [...SEVERITIES]);

function ids<T extends { id: string }>(
	map: ReadonlyMap<string, T>,
	keep: (v: T) => boolean = () => true
) {
	return [...map.values()]
		.filter(keep)
		.map((v) => v.id)
		.sort();
}

/** Each intent is named after the operation it exercises. */
export const INTENTS: Record<string, Intent> = {
	createStory(r, gen) {
		const s = r.projection.state;
		const team = pick(gen, ids(s.teams));
		op.createStory(
			r.docs,
			r.ctx,
			{
				title: `Story ${prng.word(gen, 3, 8)}`,
				duration: prng.bool(gen) ? 'finite' : 'recurring',
				teaming: prng.uint32(gen, 0, 3) === 0 ? 'multiple' : 'single',
				workType: prng.bool(gen) ? 'dev' : 'ops',
				sla: prng.bool(gen) ? 'policy' : 'none',
				teamIds: team ? [team] : [],
				productOwnerIds: ids(s.people).slice(0, 1),
				estimates: team ? { [team]: points(gen) } : {}
			},
			prng.uint32(gen, 0, s.stories.size)
		);
	},
	editStory(r, gen) {
		const s = r.projection.state;
		const id = pick(gen, ids(s.stories));
		if (!id) return;
		const story = s.stories.get(id)!;
		const field = prng.uint32(gen, 0, 5);
		const patch =
			field === 0
				? { duration: story.duration === 'finite' ? ('recurring' as const) : ('finite' as const) }
				: field === 1
					? { teaming: story.teaming === 'single' ? ('multiple' as const) : ('single' as const) }
					: field === 2
						? { sla: story.sla === 'none' ? ('policy' as const) : ('none' as const) }
						: field === 3
							? { teamIds: ids(s.teams).filter(() => prng.bool(gen)) }
							: field === 4
								? {
										escalationAllowed: prng.bool(gen),
										escalationTargetIds: ids(s.stories).filter(() => prng.uint32(gen, 0, 4) === 0)
									}
								: { title: `Story ${prng.word(gen, 3, 8)}` };
		op.editStory(r.docs, r.ctx, id, patch);
	},
	setStoryValue(r, gen) {
		const s = r.projection.state;
		const id = pick(gen, ids(s.stories));
		if (!id) return;
		op.editStory(r.docs, r.ctx, id, {
			successTarget: prng.uint32(gen, 0, 100),
			successDirection: prng.bool(gen) ? 'at-least' : 'at-most',
			valueEstimate: prng.bool(gen) ? points(gen) : null,
			experiment: prng.bool(gen),
			hypothesis: `We believe ${prng.word(gen, 3, 8)}`
		});
	},
	recordObservation(r, gen) {
		const story = pick(gen, ids(r.projection.state.stories));
		if (story) op.recordObservation(r.docs, r.ctx, { storyId: story, value: points(gen) });
	},
	removeObservation(r, gen) {
		const id = pick(gen, ids(r.projection.state.observations));
		if (id) op.removeObservation(r.docs, r.ctx, id);
	},
	judgeExperiment(r, gen) {
		const s = r.projection.state;
		const accepted = new Set(
			[...s.sprints.values()].flatMap((p) =>
				Object.keys(p.reviews).filter((id) => p.reviews[id]!.outcome === 'accepted')
			)
		);
		const id = pick(
			gen,
			ids(s.stories, (st) => st.experiment && accepted.has(st.id))
		);
		if (id) {
			op.judgeExperiment(r.docs, r.ctx, id, prng.bool(gen) ? 'validated' : 'invalidated', 'seen');
		}
	},
	addDoneCriterion(r, gen) {
		const s = r.projection.state;
		const team = prng.bool(gen) ? (pick(gen, ids(s.teams)) ?? null) : null;
		op.addDoneCriterion(r.docs, r.ctx, {
			text: `Done when ${prng.word(gen, 3, 8)}`,
			teamId: team,
			workType: prng.uint32(gen, 0, 2) === 0 ? 'ops' : null
		});
	},
	retireDoneCriterion(r, gen) {
		const id = pick(
			gen,
			ids(r.projection.state.doneCriteria, (c) => c.retiredAt === null)
		);
		if (id) op.retireDoneCriterion(r.docs, r.ctx, id);
	},
	tickDone(r, gen) {
		const s = r.projection.state;
		const story = pick(gen, ids(s.stories));
		const criterion = pick(
			gen,
			ids(s.doneCriteria, (c) => c.retiredAt === null)
		);
		if (story && criterion) op.setDoneTick(r.docs, r.ctx, story, criterion, prng.bool(gen));
	},
	setProductOwner(r, gen) {
		const s = r.projection.state;
		const story = pick(gen, ids(s.stories));
		const person = pick(gen, ids(s.people));
		if (story && person) op.setProductOwner(r.docs, r.ctx, story, person);
	},
	moveStory(r, gen) {
		const s = r.projection.state;
		const story = pick(gen, ids(s.stories));
		if (story) op.moveStory(r.docs, r.ctx, story, prng.uint32(gen, 0, s.stories.size));
	},
	setEstimate(r, gen) {
		const s = r.projection.state;
		const story = pick(gen, ids(s.stories));
		const team = pick(gen, ids(s.teams));
		if (story && team)
			op.setEstimate(r.docs, r.ctx, story, team, prng.uint32(gen, 0, 4) === 0 ? null : points(gen));
	},
	commitStory(r, gen) {
		const s = r.projection.state;
		const sprint = pick(
			gen,
			ids(s.sprints, (p) => p.state !== 'closed')
		);
		const story = pick(gen, ids(s.stories));
		if (sprint && story) op.commitStory(r.docs, r.ctx, sprint, story, points(gen));
	},
	uncommitStory(r, gen) {
		const s = r.projection.state;
		const sprint = pick(
			gen,
			ids(s.sprints, (p) => Object.keys(p.commitments).length > 0)
		);
		if (!sprint) return;
		const story = pick(gen, Object.keys(s.sprints.get(sprint)!.commitments).sort());
		if (story) op.uncommitStory(r.docs, r.ctx, sprint, story);
	},
	reserveUnknownWork(r, gen) {
		const s = r.projection.state;
		const sprint = pick(
			gen,
			ids(s.sprints, (p) => p.state !== 'closed')
		);
		const story = pick(
			gen,
			ids(s.stories, (st) => st.duration === 'recurring')
		);
		if (sprint && story) op.reserveUnknownWork(r.docs, r.ctx, sprint, story, points(gen));
	},
	planKnownWork(r, gen) {
		const s = r.projection.state;
		const sprint = pick(
			gen,
			ids(s.sprints, (p) => p.state !== 'closed')
		);
		const wp = pick(gen, ids(s.workPackages));
		if (sprint && wp) op.planKnownWork(r.docs, r.ctx, sprint, wp, points(gen));
	},
	planSprint(r, gen) {
		const team = pick(gen, ids(r.projection.state.teams));
		if (!team) return;
		const day = 23 + prng.uint32(gen, 0, 20);
		const start = new Date(Date.UTC(2026, 10, day)).toISOString().slice(0, 10);
		const end = new Date(Date.UTC(2026, 10, day + 13)).toISOString().slice(0, 10);
		op.planSprint(r.docs, r.ctx, { teamId: team, name: `Sprint ${day}`, start, end });
	},
	startSprint(r, gen) {
		const sprint = pick(
			gen,
			ids(r.projection.state.sprints, (p) => p.state === 'planned')
		);
		if (sprint) op.startSprint(r.docs, r.ctx, sprint);
	},
	closeSprint(r, gen) {
		const sprint = pick(
			gen,
			ids(r.projection.state.sprints, (p) => p.state === 'active')
		);
		if (sprint) op.closeSprint(r.docs, r.ctx, sprint);
	},
	reviewStory(r, gen) {
		const s = r.projection.state;
		const sprint = pick(
			gen,
			ids(s.sprints, (p) => Object.keys(p.commitments).length > 0)
		);
		if (!sprint) return;
		const story = pick(gen, Object.keys(s.sprints.get(sprint)!.commitments).sort());
		if (!story) return;
		const recurring = s.stories.get(story)?.duration === 'recurring';
		op.reviewStory(
			r.docs,
			r.ctx,
			sprint,
			story,
			recurring ? 'noted' : prng.bool(gen) ? 'accepted' : 'rejected'
		);
	},
	createWorkPackage(r, gen) {
		const story = pick(gen, ids(r.projection.state.stories));
		if (story) {
			op.createWorkPackage(r.docs, r.ctx, {
				storyId: story,
				title: `Incident ${prng.word(gen, 3, 8)}`,
				category: prng.oneOf(gen, ['incident', 'request', 'monitoring']),
				severity: severity(gen),
				planned: prng.bool(gen)
			});
		}
	},
	createWorkPackageFromTemplate(r, gen) {
		const s = r.projection.state;
		const template = pick(gen, ids(s.templates));
		const story = pick(gen, ids(s.stories));
		const team = pick(gen, ids(s.teams));
		if (template && story && team) {
			op.createWorkPackageFromTemplate(r.docs, r.ctx, {
				templateId: template,
				storyId: story,
				teamId: team
			});
		}
	},
	setSeverity(r, gen) {
		const wp = pick(gen, ids(r.projection.state.workPackages));
		if (wp) op.setSeverity(r.docs, r.ctx, wp, severity(gen));
	},
	escalate(r, gen) {
		const s = r.projection.state;
		const wp = pick(
			gen,
			ids(s.workPackages, (w) => w.status === 'open')
		);
		const target = pick(gen, ids(s.stories));
		if (wp && target) op.escalate(r.docs, r.ctx, wp, target, 'needs specialists');
	},
	resolveEscalation(r, gen) {
		const wp = pick(
			gen,
			ids(r.projection.state.workPackages, (w) => w.escalations.length > 0)
		);
		if (wp) op.resolveEscalation(r.docs, r.ctx, wp);
	},
	setSwarming(r, gen) {
		const s = r.projection.state;
		const wp = pick(gen, ids(s.workPackages));
		const person = pick(gen, ids(s.people));
		if (wp && person) op.setSwarming(r.docs, r.ctx, wp, person, prng.uint32(gen, 0, 3) > 0);
	},
	completeWorkPackage(r, gen) {
		const s = r.projection.state;
		const wp = pick(gen, ids(s.workPackages));
		if (!wp) return;
		if (s.workPackages.get(wp)!.status === 'open') {
			op.completeWorkPackage(r.docs, r.ctx, wp, {
				openTasks: prng.oneOf(gen, [...op.OPEN_TASK_CHOICES]),
				teamIds: ids(s.teams)
			});
		} else op.reopenWorkPackage(r.docs, r.ctx, wp);
	},
	setIncidentRole(r, gen) {
		const s = r.projection.state;
		const wp = pick(gen, ids(s.workPackages));
		const person = prng.bool(gen) ? (pick(gen, ids(s.people)) ?? null) : null;
		if (wp) {
			op.setIncidentRole(r.docs, r.ctx, wp, prng.bool(gen) ? 'commander' : 'comms', person);
		}
	},
	postStatusUpdate(r, gen) {
		const s = r.projection.state;
		const wp = pick(
			gen,
			ids(s.workPackages, (w) => w.commanderId !== null)
		);
		if (!wp) return;
		// Speaks as the commander (another replica's person may hold the role meanwhile).
		const commander = s.workPackages.get(wp)!.commanderId!;
		op.postStatusUpdate(r.docs, { ...r.ctx, actorId: commander }, wp, {
			state: prng.oneOf(gen, ['investigating', 'identified', 'monitoring', 'resolved'] as const),
			text: `Update ${prng.word(gen, 3, 8)}`
		});
	},
	startIncidentReview(r, gen) {
		const s = r.projection.state;
		const wp = pick(
			gen,
			ids(s.workPackages, (w) => !s.incidentReviews.has(w.id))
		);
		if (wp) op.startIncidentReview(r.docs, r.ctx, wp);
	},
	addReviewTimelineRow(r, gen) {
		const review = pick(gen, ids(r.projection.state.incidentReviews));
		if (review) {
			op.addReviewTimelineRow(r.docs, r.ctx, review, { text: `Row ${prng.word(gen, 3, 8)}` });
		}
	},
	editReviewTimelineRow(r, gen) {
		const review = pick(gen, [...r.projection.state.incidentReviews.values()]);
		const row = review && pick(gen, review.timeline);
		if (review && row) {
			op.editReviewTimelineRow(
				r.docs,
				r.ctx,
				review.id,
				row.id,
				prng.bool(gen) ? { text: `Edited ${prng.word(gen, 3, 8)}` } : { at: r.ctx.now() }
			);
		}
	},
	removeReviewTimelineRow(r, gen) {
		const review = pick(gen, [...r.projection.state.incidentReviews.values()]);
		const row = review && pick(gen, review.timeline);
		if (review && row) op.removeReviewTimelineRow(r.docs, r.ctx, review.id, row.id);
	},
	typeReviewText(r, gen) {
		const review = pick(gen, ids(r.projection.state.incidentReviews));
		if (!review) return;
		const address = {
			collection: 'incidentReviews',
			id: review,
			field: prng.oneOf(gen, ['summary', 'impact', 'contributingFactors', 'wentWell'])
		} as const;
		const before = currentText(r.docs, address);
		const at = prng.uint32(gen, 0, before.length);
		const word = prng.word(gen, 1, 6);
		const after = before.slice(0, at) + word + before.slice(at);
		typeText(r.docs, r.ctx, address, before, after, at + word.length);
	},
	addActionItem(r, gen) {
		const review = pick(gen, ids(r.projection.state.incidentReviews));
		if (review) op.addActionItem(r.docs, r.ctx, review, `Action ${prng.word(gen, 3, 8)}`);
	},
	createStoryFromActionItem(r, gen) {
		const review = pick(gen, [...r.projection.state.incidentReviews.values()]);
		const item = review && pick(gen, review.actionItems);
		if (review && item) op.createStoryFromActionItem(r.docs, r.ctx, review.id, item.id);
	},
	proposeTemplateChange(r, gen) {
		const s = r.projection.state;
		const review = pick(gen, [...s.incidentReviews.values()]);
		const item = review && pick(gen, review.actionItems);
		const template = pick(gen, ids(s.templates));
		if (review && item && template) {
			op.proposeTemplateChange(r.docs, r.ctx, review.id, item.id, template);
		}
	},
	decideChangeRequest(r, gen) {
		const template = pick(
			gen,
			[...r.projection.state.templates.values()].filter((t) => t.changeRequests.length > 0)
		);
		const request = template && pick(gen, template.changeRequests);
		if (template && request) {
			op.decideChangeRequest(
				r.docs,
				r.ctx,
				template.id,
				request.id,
				prng.bool(gen) ? 'applied' : 'declined'
			);
		}
	},
	markReviewDone(r, gen) {
		const s = r.projection.state;
		const review = pick(gen, [...s.incidentReviews.values()]);
		const wp = review && s.workPackages.get(review.id);
		if (!review || !wp) return;
		// As the commander, or as someone in the swarm's teams when nobody commands it.
		const actorId = wp.commanderId ?? wp.swarm[0] ?? pick(gen, ids(s.people)) ?? null;
		const ctx = { ...r.ctx, actorId };
		if (review.doneAt === null) op.markReviewDone(r.docs, ctx, review.id);
		else op.reopenReview(r.docs, ctx, review.id);
	},
	addTask(r, gen) {
		const s = r.projection.state;
		const team = pick(gen, ids(s.teams));
		if (team) {
			op.addTask(r.docs, r.ctx, team, {
				title: `Task ${prng.word(gen, 3, 8)}`,
				workPackageId: pick(gen, ids(s.workPackages)) ?? null,
				estimate: prng.bool(gen) ? points(gen) : null
			});
		}
	},
	moveTask(r, gen) {
		const task = pick(gen, [...r.projection.state.tasks.values()]);
		if (task) {
			op.moveTask(
				r.docs,
				r.ctx,
				task.homeTeamId,
				task.id,
				prng.oneOf(gen, ['todo', 'doing', 'done'] as const),
				prng.uint32(gen, 0, 5)
			);
		}
	},
	editTask(r, gen) {
		const s = r.projection.state;
		const task = pick(gen, [...s.tasks.values()]);
		if (task)
			op.editTask(r.docs, r.ctx, task.homeTeamId, task.id, {
				assigneeId: pick(gen, ids(s.people)) ?? null
			});
	},
	updateTeam(r, gen) {
		const team = pick(gen, ids(r.projection.state.teams));
		if (team) op.updateTeam(r.docs, r.ctx, team, { velocity: prng.uint32(gen, 10, 40) });
	},
	setTeamMember(r, gen) {
		const s = r.projection.state;
		const team = pick(gen, ids(s.teams));
		const person = pick(gen, ids(s.people));
		if (team && person) op.setTeamMember(r.docs, r.ctx, team, person, prng.bool(gen));
	},
	setRoles(r, gen) {
		const person = pick(gen, ids(r.projection.state.people));
		if (person)
			op.setRoles(
				r.docs,
				r.ctx,
				person,
				prng.bool(gen) ? ['team-member'] : ['product-owner', 'scrum-master']
			);
	},
	addPerson(r, gen) {
		op.addPerson(r.docs, r.ctx, { name: `Person ${prng.word(gen, 3, 8)}`, roles: ['team-member'] });
	},
	createTeam(r, gen) {
		if (prng.uint32(gen, 0, 3) === 0)
			op.createTeam(r.docs, r.ctx, {
				name: `Team ${prng.word(gen, 3, 6)}`,
				velocity: prng.uint32(gen, 10, 40)
			});
	},
	ceremonies(r, gen) {
		const s = r.projection.state;
		const team = pick(gen, ids(s.teams));
		const person = pick(gen, ids(s.people));
		const sprint = pick(gen, ids(s.sprints));
		if (!team || !person) return;
		const kind = prng.uint32(gen, 0, 3);
		if (kind === 0)
			op.raiseImpediment(r.docs, r.ctx, {
				teamId: team,
				title: 'Build server down',
				affectedTeamIds: ids(s.teams).filter(() => prng.bool(gen))
			});
		else if (kind === 1)
			op.addStandupEntry(r.docs, r.ctx, {
				teamId: team,
				personId: person,
				sprintId: sprint ?? null,
				day: '2026-11-23',
				done: 'x',
				next: 'y',
				impediments: ''
			});
		else if (kind === 2 && sprint)
			op.addRetroItem(r.docs, r.ctx, {
				teamId: team,
				sprintId: sprint,
				kind: 'to-improve',
				text: 'Fewer meetings'
			});
		else {
			const impediment = pick(
				gen,
				ids(s.impediments, (i) => i.status === 'open')
			);
			if (impediment) op.resolveImpediment(r.docs, r.ctx, impediment);
		}
	},
	/**
	 * The live standup of a team, as facilitators on several screens run it: start a round (with
	 * absent people and updates left before it), move on, skip or mark the speaker absent, take
	 * over, end it (which keeps its summary), or leave an update for the day.
	 */
	standup(r, gen) {
		const s = r.projection.state;
		const teamId = pick(gen, ids(s.teams));
		if (!teamId) return;
		const members = [...(s.teams.get(teamId)?.memberIds ?? [])].sort();
		const person = pick(gen, members) ?? pick(gen, ids(s.people));
		const standup = op.readStandup(r.docs, teamId);
		const turn = standup && standup.step >= 0 ? standup.speakerIds[standup.step] : undefined;
		const kind = prng.uint32(gen, 0, 6);
		if (kind === 0 || !standup) {
			const speakerIds = members.filter(() => prng.bool(gen));
			op.startStandup(r.docs, r.ctx, teamId, {
				facilitatorId: person ?? 'nobody',
				speakerIds,
				asyncIds: speakerIds.filter(() => prng.uint32(gen, 0, 3) === 0),
				absentIds: members.filter((id) => !speakerIds.includes(id)),
				incidentIds: ids(s.workPackages).slice(0, prng.uint32(gen, 0, 2)),
				incidentsFirst: prng.bool(gen)
			});
		} else if (kind === 1) op.advanceStandup(r.docs, r.ctx, teamId, standup.step);
		else if (kind === 2 && turn)
			op.skipSpeaker(r.docs, r.ctx, teamId, { step: standup.step, personId: turn });
		else if (kind === 3 && turn)
			op.markAbsent(r.docs, r.ctx, teamId, { step: standup.step, personId: turn });
		else if (kind === 4 && person) op.takeOverStandup(r.docs, r.ctx, teamId, person);
		else if (kind === 5) op.endStandup(r.docs, r.ctx, teamId);
		else if (person)
			op.recordStandup(r.docs, r.ctx, {
				teamId,
				personId: person,
				sprintId: null,
				day: '2026-11-23',
				done: `Done ${prng.word(gen, 1, 10)}`,
				next: 'More',
				impediments: prng.bool(gen) ? 'Blocked by review' : '',
				round: prng.bool(gen) ? null : (standup?.startedAt ?? null),
				blocks: ids(s.teams).filter((id) => id !== teamId && prng.bool(gen))
			});
	},
	templates(r, gen) {
		const template = pick(gen, ids(r.projection.state.templates));
		if (template && prng.bool(gen))
			op.editTemplate(r.docs, r.ctx, template, { defaultSeverity: severity(gen) });
		else
			op.createTemplate(r.docs, r.ctx, {
				name: 'Request',
				category: 'request',
				tasks: [{ title: 'Handle', estimate: 1 }]
			});
	},
	createEpic(r, gen) {
		op.createEpic(r.docs, r.ctx, { title: `Epic ${prng.word(gen, 3, 8)}` });
	},
	/**
	 * What the server does after a guarded field changes: record who changed it, with the roles
	 * their session carried (rule A1). Now and then it writes a record readers must refuse.
	 */
	serverRecordsGuardedChange(r, gen) {
		const s = r.projection.state;
		const guard = prng.oneOf(gen, [...GUARDED_FIELDS]);
		const entityId = pick(
			gen,
			guard.collection === 'stories'
				? ids(s.stories)
				: guard.collection === 'teams'
					? ids(s.teams)
					: ids(s.sprints)
		);
		const entry = guard.perEntry ? pick(gen, ids(s.stories)) : undefined;
		const person = pick(
			gen,
			[...s.people.values()].sort((a, b) => (a.id < b.id ? -1 : 1))
		);
		if (!entityId || !person || (guard.perEntry && !entry)) return;
		const key = authorshipKey(guard.collection, entityId, guard.field, entry);
		const roles = ROLES.filter(() => prng.uint32(gen, 0, 3) === 0);
		const valid = prng.uint32(gen, 0, 9) > 0;
		r.docs.board.transact(() => {
			r.docs.authorship().set(key, {
				collection: guard.collection,
				entityId,
				field: guard.field,
				personId: person.id,
				personName: valid ? person.name : '',
				roles,
				at: r.ctx.now(),
				...(entry === undefined ? {} : { entry })
			});
		}, SERVER);
	},
	/** A person comments, replies, edits or withdraws one of their own comments, mentioning people. */
	comment(r, gen) {
		const s = r.projection.state;
		const author = pick(gen, ids(s.people));
		if (!author) return;
		const ctx = { ...r.ctx, actorId: author };
		const mentions = ids(s.people).filter(() => prng.uint32(gen, 0, 4) === 0);
		const own = ids(s.comments, (c) => c.authorId === author && c.deletedAt === null);
		const kind = prng.uint32(gen, 0, 5);
		if (kind === 0 && own.length > 0) {
			op.editComment(r.docs, ctx, pick(gen, own)!, {
				body: `Edit ${prng.word(gen, 1, 20)}`,
				mentions
			});
			return;
		}
		if (kind === 1 && own.length > 0) {
			op.deleteComment(r.docs, ctx, pick(gen, own)!);
			return;
		}
		const parent = kind === 2 ? pick(gen, ids(s.comments)) : undefined;
		const answered = parent ? s.comments.get(parent) : undefined;
		const onStory = prng.bool(gen);
		const targetId = answered
			? answered.targetId
			: pick(gen, onStory ? ids(s.stories) : ids(s.workPackages));
		if (!targetId) return;
		op.addComment(r.docs, ctx, {
			targetKind: answered ? answered.targetKind : onStory ? 'story' : 'workPackage',
			targetId,
			parentId: parent ?? null,
			body: `Comment ${prng.word(gen, 1, 40)}`,
			mentions
		});
	},
	assignWorkPackage(r, gen) {
		const s = r.projection.state;
		const wp = pick(gen, ids(s.workPackages));
		if (wp) op.assignWorkPackage(r.docs, r.ctx, wp, pick(gen, ids(s.people)) ?? null);
	},
	updateBoard(r, gen) {
		op.updateBoard(r.docs, r.ctx, {
			targetOpsPercent: prng.uint32(gen, 10, 50),
			slaPolicy: {
				SEV1: prng.uint32(gen, 60, 600),
				SEV2: 1440,
				SEV3: 4320,
				'non-production-defect': 10080
			}
		});
	},
	/**
	 * A team's live retrospective (D19), as several members run it at once: start one, move the
	 * phase on (naming the phase seen), write a card (hidden in the writer's own document until
	 * writing ends, then revealed), group, vote, choose a topic, record an action.
	 */
	retrospective(r, gen) {
		const s = r.projection.state;
		const teamId = pick(gen, ids(s.teams));
		if (!teamId) return;
		const member = pick(gen, [...(s.teams.get(teamId)?.memberIds ?? [])]);
		if (!member) return;
		const ctx = { ...r.ctx, actorId: member };
		const personal = personalDocs.get(r) ?? new Y.Doc();
		personalDocs.set(r, personal);
		op.revealOwnCards(r.docs, ctx, teamId, personal);
		const retro = op.readRetro(r.docs, teamId);
		if (!retro || retro.phase === 'ended' || prng.uint32(gen, 0, 9) === 0) {
			const sprintId = pick(
				gen,
				ids(s.sprints, (sp) => sp.teamId === teamId)
			);
			if (sprintId) op.startRetro(r.docs, ctx, teamId, { sprintId, facilitatorId: member });
			return;
		}
		const cards = readCards(r.docs.team(teamId)).filter((c) => c.retroId === retro.id);
		const card = () => pick(gen, cards.map((c) => c.id).sort());
		const retroId = retro.id;
		switch (prng.uint32(gen, 0, 5)) {
			case 0:
				op.advanceRetro(r.docs, ctx, teamId, { retroId, from: retro.phase }, personal);
				return;
			case 1:
				op.writeCard(r.docs, ctx, personal, teamId, { retroId, kind: 'idea', text: 'Pair more' });
				return;
			case 2: {
				const cardId = card();
				if (cardId) op.groupCard(r.docs, ctx, teamId, { retroId, cardId, ontoId: card() ?? null });
				return;
			}
			case 3: {
				const groupId = card();
				if (groupId) op.castVote(r.docs, ctx, teamId, { retroId, groupId });
				return;
			}
			case 4:
				op.discussTopic(r.docs, ctx, teamId, {
					retroId,
					from: retro.discussIndex,
					to: retro.discussIndex + 1
				});
				return;
			default:
				op.recordAction(r.docs, ctx, teamId, {
					retroId,
					text: 'Automate the release',
					becomes: prng.bool(gen) ? 'story' : 'impediment'
				});
		}
	}
};

/** Each replica's personal document for retrospective cards (not synced: it is the writer's). */
const personalDocs = new WeakMap<Replica, Y.Doc>();

export const INTENT_NAMES = Object.keys(INTENTS).sort();

/** Runs one random intent; returns its name and whether the board accepted it. */
export function randomIntent(
	replica: Replica,
	gen: prng.PRNG
): { name: string; accepted: boolean } {
	const name = prng.oneOf(gen, INTENT_NAMES);
	replica.ctx.advance(1);
	try {
		INTENTS[name]!(replica, gen);
		return { name, accepted: true };
	} catch (error) {
		if (error instanceof ScrumOpsError) return { name, accepted: false };
		throw error;
	}
}
