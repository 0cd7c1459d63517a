/**
 * The ScrumOps board schema: every entity of the domain (docs/domain.md) as a zod schema, with
 * the TypeScript types derived from it. Data crossing a boundary (a Y.Doc, a socket, a request, a file) is parsed here
 * once and trusted afterwards. Pure: no yjs, svelte or ws.
 */
import { z } from 'zod';
import { DEFAULT_TIME_ZONE, isTimeZone } from './days';
import { isValidRank } from './order';

// ---------------------------------------------------------------------------------------------
// Enumerations: `as const` tuples so the wire values and the TypeScript unions cannot drift apart.

export const ROLES = [
	'product-owner',
	'scrum-master',
	'team-member',
	'chief-product-owner',
	'chief-scrum-master',
	'stakeholder'
] as const;
export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'non-production-defect'] as const;
export const KNOWN_CATEGORIES = [
	'incident',
	'bug',
	'defect',
	'monitoring',
	'reporting',
	'request'
] as const;
export const TEAM_KINDS = ['dev', 'ops', 'mixed'] as const;
export const DURATIONS = ['finite', 'recurring'] as const;
export const TEAMINGS = ['single', 'multiple'] as const;
export const WORK_TYPES = ['dev', 'ops'] as const;
export const SLA_SETTINGS = ['none', 'policy'] as const;
export const SPRINT_STATES = ['planned', 'active', 'closed'] as const;
/** The columns of the team board. */
export const TASK_COLUMNS = ['todo', 'doing', 'done'] as const;
/** A task is in a column, or cancelled: dropped when its work package was completed without it. */
export const TASK_STATUSES = [...TASK_COLUMNS, 'cancelled'] as const;
/** How every view names a task's status. */
export const TASK_STATUS_LABELS: Readonly<Record<(typeof TASK_STATUSES)[number], string>> = {
	todo: 'To do',
	doing: 'Doing',
	done: 'Done',
	cancelled: 'Cancelled'
};
export const WORK_PACKAGE_STATUSES = ['open', 'done'] as const;
export const REVIEW_OUTCOMES = ['accepted', 'rejected', 'noted'] as const;
export const IMPEDIMENT_STATUSES = ['open', 'resolved'] as const;
export const RETRO_KINDS = ['went-well', 'to-improve', 'action'] as const;
/** What a comment can be about. */
export const COMMENT_TARGETS = ['story', 'workPackage'] as const;
/** What an experiment's evidence said, once the story was accepted. */
export const VERDICTS = ['validated', 'invalidated', 'inconclusive'] as const;
/** Which way a story's success measure should move: reach its target or stay under it. */
export const SUCCESS_DIRECTIONS = ['at-least', 'at-most'] as const;

// ---------------------------------------------------------------------------------------------
// Scalars

const RESERVED_IDS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Ids are short, URL- and key-safe strings; the document uses them as map keys, and plain
 * objects use them as record keys, so names of Object.prototype members are refused.
 */
export const Id = z
	.string()
	.min(1)
	.max(64)
	.regex(/^[A-Za-z0-9_-]+$/, 'ids use letters, digits, "-" and "_" only')
	.refine((id) => !RESERVED_IDS.has(id), { message: 'this id is reserved; choose another' });
/** A UTC instant, ISO 8601 with offset (e.g. 2026-11-21T09:00:00.000Z). */
export const Instant = z.iso.datetime({ offset: true });
/** A calendar day, YYYY-MM-DD: sprints start and end on days, not instants. */
export const Day = z.iso.date();
/** An IANA time zone name the runtime knows, e.g. "Europe/Berlin", "Australia/Sydney", "UTC". */
export const TimeZone = z.string().refine(isTimeZone, {
	message: 'not a known IANA time zone; use a name such as "Europe/Berlin" or "UTC"'
});
/** Story points: non-negative, bounded so a typo cannot hide in a sum. */
export const Points = z.number().finite().min(0).max(10_000);
/** The largest value estimate a story takes, in the board's value points. */
export const MAX_VALUE_ESTIMATE = 1_000_000;
/** The largest magnitude a success measure's target or observation takes. */
export const MAX_MEASURE_MAGNITUDE = 1e12;
/** A reading of a success measure: any finite number within the bound (a rate, a count, ms…). */
export const MeasureValue = z
	.number({ message: 'a number is needed' })
	.finite('a number is needed')
	.min(-MAX_MEASURE_MAGNITUDE, 'too small for a measure')
	.max(MAX_MEASURE_MAGNITUDE, 'too large for a measure');
/** A fractional-index key that orders the backlog and a column of tasks. */
export const Rank = z
	.string()
	.min(1)
	.max(256)
	.refine(isValidRank, { message: 'not a fractional-index key (see docs/schema.md, D7)' });
const Title = z.string().trim().min(1, 'a title is required').max(200);
const Text = z.string().max(10_000);

export const Role = z.enum(ROLES);
export const Severity = z.enum(SEVERITIES);
/** Work package categories are extensible: the known ones plus any lowercase word. */
export const Category = z
	.string()
	.min(1)
	.max(40)
	.regex(/^[a-z][a-z0-9-]*$/, 'categories are lowercase words, e.g. "incident"');

/** Minutes to resolve, per severity (docs/domain.md#sla: SEV1 within 6 hours by default). */
export const SlaPolicy = z.object({
	SEV1: z.number().int().positive(),
	SEV2: z.number().int().positive(),
	SEV3: z.number().int().positive(),
	'non-production-defect': z.number().int().positive()
});

export const DEFAULT_SLA_POLICY: SlaPolicy = {
	SEV1: 6 * 60,
	SEV2: 24 * 60,
	SEV3: 72 * 60,
	'non-production-defect': 7 * 24 * 60
};

/** Days to finish a post-incident review (R19): the default and the bounds of the setting. */
export const DEFAULT_REVIEW_DUE_DAYS = 5;
export const MIN_REVIEW_DUE_DAYS = 1;
export const MAX_REVIEW_DUE_DAYS = 90;

// ---------------------------------------------------------------------------------------------
// Entities

export const Board = z.object({
	id: Id,
	name: Title,
	vision: Text,
	operationalGoals: z.array(z.string().max(500)).max(100),
	slaPolicy: SlaPolicy,
	/** Target share of capacity on operations work, in percent (30 by default: R2). */
	targetOpsPercent: z.number().min(0).max(100),
	/** How far, in percentage points, a team's ops share may drift before R2 warns. */
	splitTolerance: z.number().min(0).max(100),
	/**
	 * Where the board's teams work: decides the calendar day of an instant (a standup's day, the
	 * sprint day unknown work arrived on). Boards written without it read as UTC.
	 */
	timeZone: TimeZone.default(DEFAULT_TIME_ZONE),
	/**
	 * Days after a SEV1 or SEV2 incident is completed within which its post-incident review is
	 * marked done (R19). Boards written before contract 2.1 read as the default.
	 */
	reviewDueDays: z
		.number()
		.int('review due days are whole days')
		.min(MIN_REVIEW_DUE_DAYS, `a review is due at least ${MIN_REVIEW_DUE_DAYS} day after`)
		.max(MAX_REVIEW_DUE_DAYS, `a review is due at most ${MAX_REVIEW_DUE_DAYS} days after`)
		.default(DEFAULT_REVIEW_DUE_DAYS),
	createdAt: Instant
});

export const Person = z.object({
	id: Id,
	name: z.string().trim().min(1, 'a name is required').max(80),
	roles: z.array(Role)
});

export const Team = z.object({
	id: Id,
	name: Title,
	kind: z.enum(TEAM_KINDS),
	scrumMasterId: Id.nullable(),
	memberIds: z.array(Id),
	/**
	 * Member id → when they joined the team, so notifications reach the people who were on the
	 * team when something happened. Absent before 2.1 (and for members added by 2.0 writers).
	 */
	memberSince: z.record(Id, Instant).default({}),
	/** Story points per sprint. */
	velocity: Points
});

export const Epic = z.object({
	id: Id,
	title: Title,
	description: Text
});

/** What someone who does not decide for a story proposes to its Product Owner. */
export const PROPOSAL_KINDS = ['higher', 'lower', 'accept', 'reject'] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

/**
 * A proposal on a story, kept under the proposer's id: move it higher or lower in the backlog,
 * or accept or reject it at the review of `sprintId`. The Product Owner acts on it or dismisses
 * it; a review of the story in that sprint settles it.
 */
export const Proposal = z.object({
	kind: z.enum(PROPOSAL_KINDS),
	/** The sprint whose review an `accept` or `reject` is about; null for a move. */
	sprintId: Id.nullable(),
	note: z.string().max(500),
	at: Instant
});
export type Proposal = z.infer<typeof Proposal>;

export const Story = z.object({
	id: Id,
	title: Title,
	asA: Text,
	iWant: Text,
	soThat: Text,
	acceptanceCriteria: z.array(z.string().max(1000)),
	successMeasure: Text,
	/**
	 * A set, not a single field, on purpose: two people assigning different owners concurrently
	 * must surface as an R3 conflict instead of one silently winning.
	 */
	productOwnerIds: z.array(Id),
	epicId: Id.nullable(),
	rank: Rank,
	duration: z.enum(DURATIONS),
	teaming: z.enum(TEAMINGS),
	teamIds: z.array(Id),
	workType: z.enum(WORK_TYPES),
	sla: z.enum(SLA_SETTINGS),
	escalationAllowed: z.boolean(),
	escalationTargetIds: z.array(Id),
	/** Each participating team estimates its own portion, in points. */
	estimates: z.record(Id, Points),
	createdAt: Instant,
	/** Proposer id → what they propose (contract 2.0); absent reads as none. */
	proposals: z.record(Id, Proposal).default({}),
	/**
	 * What `successMeasure` should reach once the story is done, in `successUnit`, and which way
	 * (contract 2.2): the dashboard's current value compares observations with it. Absent: none.
	 */
	successTarget: MeasureValue.nullable().default(null),
	successDirection: z.enum(SUCCESS_DIRECTIONS).default('at-least'),
	successUnit: z.string().trim().max(20, 'a unit is at most 20 characters').default(''),
	/**
	 * What the story is expected to be worth, in the board's value points (contract 2.2): the
	 * dashboard's unrealized value sums it over open stories. Absent: not estimated.
	 */
	valueEstimate: z
		.number({ message: 'a number is needed' })
		.finite('a number is needed')
		.min(0, 'a value estimate is not negative')
		.max(MAX_VALUE_ESTIMATE, `a value estimate is at most ${MAX_VALUE_ESTIMATE}`)
		.nullable()
		.default(null),
	/**
	 * An experiment (contract 2.4): a story driven by a hypothesis ("We believe … will result in
	 * …; we will know when …"), judged after acceptance by a verdict with its evidence. Absent:
	 * an ordinary story.
	 */
	experiment: z.boolean().default(false),
	hypothesis: z.string().trim().max(1000, 'a hypothesis is at most 1000 characters').default(''),
	verdict: z.enum(VERDICTS).nullable().default(null),
	evidence: z.string().trim().max(2000, 'the evidence is at most 2000 characters').default('')
});

export const EscalationHop = z.object({
	fromStoryId: Id,
	toStoryId: Id,
	at: Instant,
	byPersonId: Id.nullable(),
	reason: Text,
	/** Severity and deadline as they were when the hop was made: R8 compares against them. */
	severity: Severity.nullable(),
	slaDeadline: Instant.nullable(),
	/** Set when the receiving team resolves its part; the work package then returns (R14). */
	resolvedAt: Instant.nullable(),
	resolvedBy: Id.nullable()
});

/** What happened to a work package, for the incident timeline. */
export const TIMELINE_ACTIONS = [
	'created',
	'severity',
	'joined',
	'left',
	'escalated',
	'returned',
	'task-added',
	'completed',
	'reopened'
] as const;

/** One line of a work package's timeline: who did what, when. */
export const TimelineEntry = z.object({
	at: Instant,
	personId: Id.nullable(),
	action: z.enum(TIMELINE_ACTIONS),
	/** e.g. the new severity, the escalation target and reason, the task's title. */
	detail: Text
});

/** Entries kept per work package; older ones are dropped first. */
export const MAX_TIMELINE_ENTRIES = 500;

/** Where an incident stands, as its commander tells stakeholders (the usual four steps). */
export const INCIDENT_STATES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;

/** One status update of an incident: a state and a sentence, for stakeholders first. */
export const StatusUpdate = z.object({
	at: Instant,
	personId: Id.nullable(),
	state: z.enum(INCIDENT_STATES),
	text: z.string().trim().min(1, 'say what is going on').max(1000)
});

/** A web link shown on the board: http or https only, so a link never runs script. */
export const WebLink = z
	.string()
	.max(2048, 'links are at most 2048 characters')
	.refine((link) => {
		try {
			const url = new URL(link);
			return url.protocol === 'http:' || url.protocol === 'https:';
		} catch {
			return false;
		}
	}, 'a link is an http:// or https:// URL');

/**
 * The alert a work package was opened for (contract 2.4): which integration, where the alert
 * comes from, what is firing now, when Alertmanager last said so, and when it said resolved.
 */
export const WorkPackageAlert = z.object({
	integrationId: Id,
	/** The alert's source (its `generatorURL`), e.g. the Prometheus graph; null when not sent. */
	generatorUrl: WebLink.nullable(),
	/** The alerts firing now, by name (at most 20; `firingCount` counts them all). */
	firing: z.array(z.string().max(200)).max(20),
	firingCount: z.number().int().nonnegative(),
	lastNotifiedAt: Instant,
	/** When Alertmanager said every alert of the group was resolved; null while firing. */
	resolvedAt: Instant.nullable()
});
export type WorkPackageAlert = z.infer<typeof WorkPackageAlert>;

export const WorkPackage = z.object({
	id: Id,
	/** The originating story; escalations move the work, never this field. */
	storyId: Id,
	title: Title,
	category: Category,
	severity: Severity.nullable(),
	submitterId: Id.nullable(),
	createdAt: Instant,
	/** createdAt + policy[severity] when the story has SLA; null otherwise. */
	slaDeadline: Instant.nullable(),
	/** Known work is planned into a sprint; unknown work arrived mid-sprint. */
	planned: z.boolean(),
	points: Points.nullable(),
	status: z.enum(WORK_PACKAGE_STATUSES),
	completedAt: Instant.nullable(),
	/** People working on it now. */
	swarm: z.array(Id),
	escalations: z.array(EscalationHop),
	templateId: Id.nullable(),
	/** What is known about it, written together (a Y.Text); absent in boards before 2.0. */
	description: Text.default(''),
	/** Oldest first; appended by every operation on it (concurrent appends may exceed the cap briefly). */
	timeline: z.array(TimelineEntry).max(MAX_TIMELINE_ENTRIES * 2),
	/**
	 * Who looks after it, a member of one of its teams (R18). Absent in boards written before
	 * contract 2.0: nobody.
	 */
	assigneeId: Id.nullable().default(null),
	/**
	 * An incident's roles: who commands it and who talks to stakeholders; everyone else on the
	 * swarm responds. Absent in boards written before contract 2.0: nobody.
	 */
	commanderId: Id.nullable().default(null),
	commsLeadId: Id.nullable().default(null),
	/** The commander's status updates, oldest first (absent before 2.0: none). */
	statusUpdates: z.array(StatusUpdate).max(MAX_TIMELINE_ENTRIES).default([]),
	/** The alert it was opened for (contract 2.4); absent (null) for work people opened. */
	alert: WorkPackageAlert.nullable().default(null)
});

export const Task = z.object({
	id: Id,
	title: Title,
	/** The team of the task's creator; only that team may edit it (R11). */
	owningTeamId: Id,
	workPackageId: Id.nullable(),
	storyId: Id.nullable(),
	assigneeId: Id.nullable(),
	estimate: Points.nullable(),
	status: z.enum(TASK_STATUSES),
	rank: Rank,
	createdBy: Id.nullable(),
	createdAt: Instant,
	/** When it last moved to done; null while not done. Absent in older documents: null. */
	doneAt: Instant.nullable().default(null)
});

export const TemplateTask = z.object({
	title: Title,
	estimate: Points.nullable()
});

/** Where a proposed change comes from: a post-incident review or a retrospective (2.5). */
export const CHANGE_SOURCE_KINDS = ['incidentReview', 'retrospective'] as const;
/** A change request is open until someone who edits templates applies or declines it. */
export const CHANGE_REQUEST_STATUSES = ['open', 'applied', 'declined'] as const;

/**
 * A change proposed to a template, e.g. by an action item of a post-incident review: a sentence,
 * where it came from (a kind and an id, plus the item of that source), and what became of it.
 * Applying it adds the sentence as a task of the template.
 */
export const ChangeRequest = z.object({
	id: Id,
	text: z.string().trim().min(1, 'say what should change').max(1000),
	sourceKind: z.enum(CHANGE_SOURCE_KINDS),
	sourceId: Id,
	/** The item of the source that asked for it (an action item), or null. */
	sourceItemId: Id.nullable(),
	status: z.enum(CHANGE_REQUEST_STATUSES),
	createdBy: Id.nullable(),
	createdAt: Instant,
	decidedBy: Id.nullable(),
	decidedAt: Instant.nullable()
});

/** Most change requests one template keeps. */
export const MAX_CHANGE_REQUESTS = 200;

export const Template = z.object({
	id: Id,
	name: Title,
	category: Category,
	defaultSeverity: Severity.nullable(),
	tasks: z.array(TemplateTask).max(100),
	/** Proposed changes, oldest first (contract 2.1); absent reads as none. */
	changeRequests: z.array(ChangeRequest).max(MAX_CHANGE_REQUESTS).default([])
});

export const Review = z.object({
	outcome: z.enum(REVIEW_OUTCOMES),
	note: Text,
	byPersonId: Id.nullable(),
	at: Instant
});

export const Sprint = z.object({
	id: Id,
	teamId: Id,
	name: Title,
	goal: Text,
	start: Day,
	end: Day,
	state: z.enum(SPRINT_STATES),
	/** Story id → the team's points for that story in this sprint. */
	commitments: z.record(Id, Points),
	/** Known work package id → points planned for it. */
	knownWork: z.record(Id, Points),
	/** Recurring story id → points reserved for unknown work (incidents, requests). */
	reserved: z.record(Id, Points),
	/** Story id → review outcome (finite: accepted/rejected; recurring: a periodic note). */
	reviews: z.record(Id, Review),
	closedAt: Instant.nullable()
});

export const StandupEntry = z.object({
	id: Id,
	teamId: Id,
	sprintId: Id.nullable(),
	personId: Id,
	day: Day,
	done: Text,
	next: Text,
	impediments: Text,
	/**
	 * The round it was said in (that round's `startedAt`), so a second standup the same day starts
	 * clean; null for an update written outside a round. Absent before 2.0: null.
	 */
	round: Instant.nullable().default(null)
});

/** People of one standup, at most a round's worth. */
const RoundPeople = z.array(Id).max(100);

/**
 * What stays of one Daily Standup once its round ended (since 2.1): who ran it, who spoke and in
 * which order, who was absent or skipped, and the incidents it opened with. What each person said
 * stays in their `standups` entries of the round (`round` = this `round`).
 */
export const StandupSummary = z.object({
	id: Id,
	teamId: Id,
	sprintId: Id.nullable(),
	day: Day,
	/** The round's `startedAt` (D13), which its entries carry as their `round`. */
	round: Instant,
	endedAt: Instant,
	facilitatorId: Id,
	/** Who had a turn, in speaking order (an update left before the standup counts). */
	speakerIds: RoundPeople,
	/** Of those, who was absent and whose turn was the update they had left. */
	asyncIds: RoundPeople,
	/** Who was absent without a turn: away with no update, or marked absent during the round. */
	absentIds: RoundPeople,
	/** Whose turn the facilitator skipped (they may have spoken at the end). */
	skippedIds: RoundPeople,
	/** The open incidents the round opened with. */
	incidentIds: RoundPeople
});

export const Impediment = z.object({
	id: Id,
	teamId: Id,
	sprintId: Id.nullable(),
	raisedBy: Id.nullable(),
	title: Title,
	/** Other teams it blocks: a non-empty list makes it a Scrum of Scrums topic. */
	affectedTeamIds: z.array(Id),
	/** What blocks whom and what was tried, written together (a Y.Text); absent before 2.0. */
	description: Text.default(''),
	status: z.enum(IMPEDIMENT_STATUSES),
	createdAt: Instant
});

export const RetroItem = z.object({
	id: Id,
	teamId: Id,
	sprintId: Id,
	personId: Id.nullable(),
	kind: z.enum(RETRO_KINDS),
	text: Text,
	/**
	 * Since 2.5, all optional (absent reads as null): the live retrospective an action was
	 * recorded in, when, and what it became: a backlog story, an impediment, or a change request
	 * of a template (its template and entry).
	 */
	retroId: Id.nullable().default(null),
	createdAt: Instant.nullable().default(null),
	storyId: Id.nullable().default(null),
	impedimentId: Id.nullable().default(null),
	templateId: Id.nullable().default(null),
	changeRequestId: Id.nullable().default(null)
});

/** Longest comment body, in characters (the relay's text bound). */
export const MAX_COMMENT_LENGTH = 10_000;

/**
 * A comment on a story or a work package. A reply names the comment it answers (`parentId`);
 * only its author edits it, so its body is a plain last-writer-wins value.
 */
export const Comment = z.object({
	id: Id,
	targetKind: z.enum(COMMENT_TARGETS),
	targetId: Id,
	/** The comment this one answers, on the same target; null for a new thread. */
	parentId: Id.nullable(),
	authorId: Id,
	body: z.string().max(MAX_COMMENT_LENGTH),
	/** People the body mentions with `@name`: each is notified. */
	mentions: z.array(Id),
	createdAt: Instant,
	/** When its author last changed it; null while never edited. */
	editedAt: Instant.nullable(),
	/** When its author withdrew it (its body is then empty); replies stay. Absent: null. */
	deletedAt: Instant.nullable().default(null)
});

/** One line of a post-incident review's timeline: when, and what happened then. */
export const ReviewTimelineRow = z.object({
	id: Id,
	at: Instant,
	text: z.string().trim().min(1, 'say what happened').max(1000)
});

/**
 * Something to do so the incident does not happen again. It becomes a backlog story (`storyId`)
 * or a change request on a template (`templateId` + `changeRequestId`), linked both ways.
 */
export const ActionItem = z.object({
	id: Id,
	text: z.string().trim().min(1, 'say what should be done').max(1000),
	createdBy: Id.nullable(),
	createdAt: Instant,
	storyId: Id.nullable(),
	templateId: Id.nullable(),
	changeRequestId: Id.nullable()
});

/** Most rows a review's timeline and action items hold. */
export const MAX_REVIEW_ROWS = 500;

/**
 * The post-incident review of a work package, stored under the work package's id (one per work
 * package). Required for SEV1 and SEV2 incidents (R19), optional for the others.
 */
export const IncidentReview = z.object({
	/** The work package's id. */
	id: Id,
	/** What happened, in a few sentences (a Y.Text). */
	summary: Text,
	/** Who and what was affected, and for how long (a Y.Text). */
	impact: Text,
	/** Oldest first by `at`; prefilled from the work package's timeline and status updates. */
	timeline: z.array(ReviewTimelineRow).max(MAX_REVIEW_ROWS),
	/** What made it happen or made it worse (a Y.Text). */
	contributingFactors: Text,
	/** What helped (a Y.Text). */
	wentWell: Text,
	actionItems: z.array(ActionItem).max(MAX_REVIEW_ROWS),
	createdBy: Id.nullable(),
	createdAt: Instant,
	/** When and by whom it was marked done; both null while it is not. */
	doneAt: Instant.nullable(),
	doneBy: Id.nullable()
});

/** Longest note on an observation, in characters. */
export const MAX_OBSERVATION_NOTE = 500;

/**
 * One reading of a story's success measure (contract 2.2), e.g. the conversion rate a week after
 * release: the evidence behind the dashboard's current value. Written once; removed, not edited.
 */
export const Observation = z.object({
	id: Id,
	storyId: Id,
	/** When the value was observed (not when it was typed in). */
	at: Instant,
	value: MeasureValue,
	note: z.string().trim().max(MAX_OBSERVATION_NOTE),
	recordedBy: Id.nullable()
});

/** Longest criterion of a Definition of Done, in characters. */
export const MAX_DONE_CRITERION_LENGTH = 200;
/** Most criteria one acceptance records. */
export const MAX_ACCEPTED_CRITERIA = 200;

/**
 * One criterion of the Definition of Done (contract 2.4): board-wide, or added for one team, one
 * kind of work, or both. A criterion is retired, never deleted, so the stories accepted against
 * it keep their record.
 */
export const DoneCriterion = z.object({
	id: Id,
	text: z
		.string()
		.trim()
		.min(1, 'say what done means')
		.max(
			MAX_DONE_CRITERION_LENGTH,
			`a criterion is at most ${MAX_DONE_CRITERION_LENGTH} characters`
		),
	/** Only the stories of this team; null: every team. */
	teamId: Id.nullable(),
	/** Only dev or ops work; null: both. */
	workType: z.enum(WORK_TYPES).nullable(),
	createdBy: Id.nullable(),
	createdAt: Instant,
	/** When it stopped applying to stories not yet accepted; null while it applies. */
	retiredAt: Instant.nullable()
});

/** Who ticked a criterion for a story, and when. */
export const DoneTick = z.object({ at: Instant, by: Id.nullable() });

/** A criterion as it read when a story was accepted against it. */
export const AcceptedCriterion = z.object({
	id: Id,
	text: z.string().max(MAX_DONE_CRITERION_LENGTH)
});

/**
 * A story's Definition of Done checklist (contract 2.4), stored under the story's id: the
 * criteria its teams ticked, and the criteria it was accepted against, kept as they read then.
 */
export const DoneChecklist = z.object({
	/** The story's id. */
	id: Id,
	/** Criterion id → who ticked it; unticking removes the key. */
	ticks: z.record(Id, DoneTick),
	/** The criteria that applied when it was first accepted; read only once `acceptedAt` is set. */
	acceptedAgainst: z.array(AcceptedCriterion).max(MAX_ACCEPTED_CRITERIA),
	/** Its first acceptance at a review; null before. */
	acceptedAt: Instant.nullable()
});

// ---------------------------------------------------------------------------------------------
// Derived types: never a hand-written twin of a schema.

export type Role = z.infer<typeof Role>;
export type Severity = z.infer<typeof Severity>;
export type StatusUpdate = z.infer<typeof StatusUpdate>;
export type IncidentState = (typeof INCIDENT_STATES)[number];
export type SlaPolicy = z.infer<typeof SlaPolicy>;
export type Board = z.infer<typeof Board>;
export type Person = z.infer<typeof Person>;
export type Team = z.infer<typeof Team>;
export type Epic = z.infer<typeof Epic>;
export type Story = z.infer<typeof Story>;
export type EscalationHop = z.infer<typeof EscalationHop>;
export type WorkPackage = z.infer<typeof WorkPackage>;
export type TimelineEntry = z.infer<typeof TimelineEntry>;
export type TimelineAction = (typeof TIMELINE_ACTIONS)[number];
export type Task = z.infer<typeof Task>;
export type TemplateTask = z.infer<typeof TemplateTask>;
export type Template = z.infer<typeof Template>;
export type Review = z.infer<typeof Review>;
export type Sprint = z.infer<typeof Sprint>;
export type StandupEntry = z.infer<typeof StandupEntry>;
export type StandupSummary = z.infer<typeof StandupSummary>;
export type Impediment = z.infer<typeof Impediment>;
export type RetroItem = z.infer<typeof RetroItem>;
export type Comment = z.infer<typeof Comment>;
export type ChangeRequest = z.infer<typeof ChangeRequest>;
export type ChangeRequestStatus = (typeof CHANGE_REQUEST_STATUSES)[number];
export type ChangeSourceKind = (typeof CHANGE_SOURCE_KINDS)[number];
export type ReviewTimelineRow = z.infer<typeof ReviewTimelineRow>;
export type ActionItem = z.infer<typeof ActionItem>;
export type IncidentReview = z.infer<typeof IncidentReview>;
export type CommentTarget = (typeof COMMENT_TARGETS)[number];
export type Observation = z.infer<typeof Observation>;
export type DoneCriterion = z.infer<typeof DoneCriterion>;
export type DoneTick = z.infer<typeof DoneTick>;
export type DoneChecklist = z.infer<typeof DoneChecklist>;
export type SuccessDirection = (typeof SUCCESS_DIRECTIONS)[number];
export type Verdict = (typeof VERDICTS)[number];

/** Every collection of a board, by the name the document and the state use for it. */
export const ENTITY_SCHEMAS = {
	people: Person,
	teams: Team,
	epics: Epic,
	stories: Story,
	workPackages: WorkPackage,
	tasks: Task,
	templates: Template,
	sprints: Sprint,
	standups: StandupEntry,
	standupSummaries: StandupSummary,
	impediments: Impediment,
	retro: RetroItem,
	comments: Comment,
	incidentReviews: IncidentReview,
	observations: Observation,
	doneCriteria: DoneCriterion,
	doneChecklists: DoneChecklist
} as const;

export type Collection = keyof typeof ENTITY_SCHEMAS;

/** What one entity of each collection is called in messages to people. */
export const ENTITY_LABELS: Record<Collection, string> = {
	people: 'person',
	teams: 'team',
	epics: 'epic',
	stories: 'story',
	workPackages: 'work package',
	tasks: 'task',
	templates: 'template',
	sprints: 'sprint',
	standups: 'standup entry',
	standupSummaries: 'standup summary',
	impediments: 'impediment',
	retro: 'retrospective item',
	comments: 'comment',
	incidentReviews: 'post-incident review',
	observations: 'observation',
	doneCriteria: 'Definition of Done criterion',
	doneChecklists: 'Definition of Done checklist'
};
export const COLLECTIONS = Object.keys(ENTITY_SCHEMAS) as Collection[];
export type EntityOf<C extends Collection> = z.infer<(typeof ENTITY_SCHEMAS)[C]>;

/** The schema of one collection's entities, typed by collection. */
export function schemaOf<C extends Collection>(collection: C): z.ZodType<EntityOf<C>> {
	return ENTITY_SCHEMAS[collection] as unknown as z.ZodType<EntityOf<C>>;
}
