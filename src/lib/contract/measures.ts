/**
 * `GET /api/boards/:id/measures`: what the request takes and what it answers. The server builds
 * the answer with `measures()` (src/lib/domain/measures) and a page reads it with this schema, so
 * the wire shape is written down once. What each figure means: `MEASURE_DEFINITIONS`.
 */
import { z } from 'zod';
import { Id, SEVERITIES, SPRINT_STATES, SUCCESS_DIRECTIONS, WORK_TYPES } from '../domain/schema';

/** The longest period one request may ask for, in days. */
export const MAX_MEASURE_DAYS = 731;

const QueryDay = z.iso.date({ message: 'dates are calendar days written YYYY-MM-DD' });

/**
 * The query: the period `from`..`to` (whole days, both included, in the board's time zone) and
 * optionally one team. Without `to` the period ends today; without `from` it is 30 days long.
 */
export const MeasuresQuery = z
	.object({
		from: QueryDay.optional(),
		to: QueryDay.optional(),
		team: Id.optional()
	})
	.refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
		message: '"from" must be on or before "to"',
		path: ['from']
	});
export type MeasuresQuery = z.input<typeof MeasuresQuery>;

/** A ratio from 0 to 1, rounded to three decimals; null when there is nothing to divide by. */
const Share = z.number().min(0).max(1).nullable();
const Count = z.number().int().nonnegative();
const Points = z.number();

/** Samples of a duration: how many, their mean, and the nearest-rank median and 90th percentile. */
export const Distribution = z.object({
	count: Count,
	mean: z.number().nullable(),
	median: z.number().nullable(),
	p90: z.number().nullable()
});
export type Distribution = z.infer<typeof Distribution>;

export const SlaFigures = z.object({
	resolved: Count,
	met: Count,
	missed: Count,
	compliance: Share,
	timeToResolveMinutes: Distribution,
	openBreached: Count
});
export type SlaFigures = z.infer<typeof SlaFigures>;

export const SprintFigures = z.object({
	sprintId: Id,
	teamId: Id,
	name: z.string(),
	state: z.enum(SPRINT_STATES),
	start: z.iso.date(),
	end: z.iso.date(),
	committedPoints: Points,
	reservedPoints: Points,
	acceptedPoints: Points,
	unknownWorkPoints: Points,
	/** Incidents that arrived on a day of the sprint under work it plans. */
	incidents: Count
});
export type SprintFigures = z.infer<typeof SprintFigures>;

/** Tasks of one kind of work at the end of a sprint day: left to do and done. */
const BurnCount = z.object({ left: Count, done: Count });
export const BurnDay = z.object({ day: z.iso.date(), known: BurnCount, unknown: BurnCount });
export const ActiveSprintBurn = z.object({
	sprintId: Id,
	teamId: Id,
	days: z.array(BurnDay)
});
export type ActiveSprintBurn = z.infer<typeof ActiveSprintBurn>;

export const ReserveUse = z.object({
	sprintId: Id,
	teamId: Id,
	storyId: Id,
	reserved: Points,
	used: Points,
	left: Points
});
export const ReserveSuggestion = z.object({
	teamId: Id,
	storyId: Id,
	/** Closed sprints the suggestion is drawn from, newest first. */
	sprintIds: z.array(Id),
	suggested: Points.nullable()
});

/** Points of dev and ops work, and the ops share of them. */
export const Split = z.object({ devPoints: Points, opsPoints: Points, opsShare: Share });
export type Split = z.infer<typeof Split>;

/** A done story with a success target, and its latest observation by the period's end. */
export const ValueStory = z.object({
	storyId: Id,
	title: z.string(),
	acceptedAt: z.iso.datetime({ offset: true }),
	/** What is measured: the story's success measure, as written. */
	measure: z.string(),
	target: z.number(),
	direction: z.enum(SUCCESS_DIRECTIONS),
	unit: z.string(),
	observations: Count,
	latest: z
		.object({ at: z.iso.datetime({ offset: true }), value: z.number(), note: z.string() })
		.nullable(),
	/** Whether the latest observation reaches the target; null without one. */
	met: z.boolean().nullable()
});
export type ValueStory = z.infer<typeof ValueStory>;

/** Experiments: running at the end of the period, and those accepted in it by their verdict. */
export const Experiments = z.object({
	running: Count,
	accepted: Count,
	validated: Count,
	invalidated: Count,
	inconclusive: Count,
	awaitingVerdict: Count
});
export type Experiments = z.infer<typeof Experiments>;

const bySeverity = <T extends z.ZodType>(figures: T) =>
	z.object(
		Object.fromEntries(SEVERITIES.map((severity) => [severity, figures])) as Record<
			(typeof SEVERITIES)[number],
			T
		>
	);
const byWorkType = <T extends z.ZodType>(figures: T) =>
	z.object(
		Object.fromEntries(WORK_TYPES.map((type) => [type, figures])) as Record<
			(typeof WORK_TYPES)[number],
			T
		>
	);

/** `GET /api/boards/:id/measures` (200). */
export const Measures = z.object({
	period: z.object({
		from: z.iso.date(),
		to: z.iso.date(),
		/** The zone the period's days are read in: the board's (UTC unless it names one). */
		timeZone: z.string(),
		teamId: Id.nullable(),
		/** The instant "now" was when the figures were computed. */
		now: z.iso.datetime({ offset: true })
	}),
	sla: bySeverity(SlaFigures),
	leadTimeDays: byWorkType(Distribution),
	throughput: z.object({ acceptedStories: Count, perWeek: z.number() }),
	escalations: z.object({
		total: Count,
		byStory: z.record(Id, Count),
		awayMinutes: Distribution,
		awayMinutesByStory: z.record(Id, Distribution),
		stillAway: Count
	}),
	sprints: z.array(SprintFigures),
	velocity: z.record(Id, z.object({ closedSprints: Count, acceptedPoints: Distribution })),
	burndown: z.array(ActiveSprintBurn),
	reserve: z.object({ uses: z.array(ReserveUse), suggestions: z.array(ReserveSuggestion) }),
	balance: z.object({
		targetOpsPercent: z.number(),
		tolerance: z.number(),
		planned: Split,
		actual: Split,
		byTeam: z.record(Id, z.object({ planned: Split, actual: Split }))
	}),
	innovation: z.object({
		newWorkShare: Share,
		supportShare: Share,
		trend: z.array(
			z.object({ from: z.iso.date(), to: z.iso.date(), incidents: Count, defects: Count })
		),
		experiments: Experiments
	}),
	value: z.object({
		current: z.object({
			measuredStories: Count,
			observedStories: Count,
			meetingTarget: Count,
			attainment: Share,
			/** Newest acceptance first, at most 50. */
			stories: z.array(ValueStory)
		}),
		unrealized: z.object({
			openStories: Count,
			estimatedStories: Count,
			totalEstimate: Points,
			/** Highest estimate first, at most 50. */
			stories: z.array(z.object({ storyId: Id, title: z.string(), valueEstimate: Points }))
		}),
		delivered: z.object({ stories: Count, totalEstimate: Points })
	})
});
export type Measures = z.infer<typeof Measures>;
