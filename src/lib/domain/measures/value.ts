/**
 * Value, the evidence-based-management areas the other measures do not cover: *current value*,
 * what done stories' success measures read against their targets, and *unrealized value*, what
 * the stories still open are estimated to be worth; and the experiments the ability to innovate
 * counts. Pure, like the rest of the measures, and one pass over the stories: only the few rows
 * the answer lists are built and ordered.
 */
import type { Experiments, Measures, ValueStory } from '../../contract/measures';
import type { Observation, Story } from '../schema';
import type { Period } from './compute';
import { round, share } from './stats';

/** Most stories each list of the answer names; the counts and sums cover them all. */
export const MAX_VALUE_STORIES = 50;

/** Whether `value` reaches the story's target, the way its direction reads. */
export function meetsTarget(
	story: Pick<Story, 'successTarget' | 'successDirection'>,
	value: number
): boolean | null {
	if (story.successTarget === null) return null;
	return story.successDirection === 'at-most'
		? value <= story.successTarget
		: value >= story.successTarget;
}

/** A story's observations before a period's end: how many, and the latest. */
interface Readings {
	count: number;
	latest: Observation;
	latestMs: number;
}

/** Each story's readings before `endMs` (the latest: the newest `at`, then the lowest id). */
export function readingsByStory(
	observations: Iterable<Observation>,
	endMs: number
): Map<string, Readings> {
	const byStory = new Map<string, Readings>();
	for (const observation of observations) {
		const at = instantOf(observation, observation.at);
		if (!(at < endMs)) continue;
		const known = byStory.get(observation.storyId);
		if (!known) {
			byStory.set(observation.storyId, { count: 1, latest: observation, latestMs: at });
			continue;
		}
		known.count++;
		if (at > known.latestMs || (at === known.latestMs && observation.id < known.latest.id)) {
			known.latest = observation;
			known.latestMs = at;
		}
	}
	return byStory;
}

/** The figures read from stories in one pass: value, and experiments (ability to innovate). */
export type StoryFigures = Measures['value'] & { experiments: Experiments };

/** Instants parsed once per entity object (a changed entity is a new object). */
const parsedAt = new WeakMap<object, number>();
function instantOf(entity: object, instant: string): number {
	let at = parsedAt.get(entity);
	if (at === undefined) parsedAt.set(entity, (at = Date.parse(instant)));
	return at;
}

/**
 * Keeps the `max` greatest items by `key` (ties: lower story id first), greatest first, without
 * sorting everything offered.
 */
class TopList<T extends { storyId: string }> {
	readonly items: T[] = [];
	constructor(
		readonly max: number,
		readonly key: (item: T) => number
	) {}

	#before(a: T, b: T): boolean {
		const ka = this.key(a);
		const kb = this.key(b);
		return ka > kb || (ka === kb && a.storyId < b.storyId);
	}

	offer(item: T): void {
		const { items } = this;
		if (items.length === this.max && !this.#before(item, items[items.length - 1]!)) return;
		let i = items.length;
		while (i > 0 && this.#before(item, items[i - 1]!)) i--;
		items.splice(i, 0, item);
		if (items.length > this.max) items.pop();
	}
}

/**
 * Current, unrealized and delivered value over the period, and the experiments. A story is done
 * once it was first accepted at a review (`acceptances`, ms) before the period ends; recurring
 * stories are never done, so they count in neither. Everything is read as of the end of the
 * period: what happened a moment ago counts at once, whatever the minute the caller reads "now" at.
 */
export function valueMeasures(
	stories: ReadonlyMap<string, Story>,
	observations: Iterable<Observation>,
	acceptances: ReadonlyMap<string, number>,
	period: Period,
	storyOfTeam: (storyId: string) => boolean
): StoryFigures {
	const end = period.endMs;
	const readings = readingsByStory(observations, end);
	const measured = new TopList<{ storyId: string; story: Story; accepted: number }>(
		MAX_VALUE_STORIES,
		(s) => s.accepted
	);
	const open = new TopList<{ storyId: string; story: Story; estimate: number }>(
		MAX_VALUE_STORIES,
		(s) => s.estimate
	);
	const experiments: Experiments = {
		running: 0,
		accepted: 0,
		validated: 0,
		invalidated: 0,
		inconclusive: 0,
		awaitingVerdict: 0
	};
	let measuredStories = 0;
	let observed = 0;
	let meeting = 0;
	let openStories = 0;
	let estimatedStories = 0;
	let openEstimate = 0;
	let deliveredStories = 0;
	let deliveredEstimate = 0;
	for (const story of stories.values()) {
		if (story.duration !== 'finite' || !storyOfTeam(story.id)) continue;
		if (!(instantOf(story, story.createdAt) < end)) continue;
		const accepted = acceptances.get(story.id);
		const done = accepted !== undefined && accepted < end;
		if (story.experiment) {
			if (!done) experiments.running++;
			else if (accepted >= period.startMs) {
				experiments.accepted++;
				experiments[story.verdict ?? 'awaitingVerdict']++;
			}
		}
		if (!done) {
			openStories++;
			if (story.valueEstimate !== null) {
				estimatedStories++;
				openEstimate += story.valueEstimate;
				open.offer({ storyId: story.id, story, estimate: story.valueEstimate });
			}
			continue;
		}
		if (accepted >= period.startMs && story.valueEstimate !== null) {
			deliveredStories++;
			deliveredEstimate += story.valueEstimate;
		}
		if (story.successTarget === null) continue;
		measuredStories++;
		const latest = readings.get(story.id)?.latest;
		if (latest) {
			observed++;
			if (meetsTarget(story, latest.value)) meeting++;
		}
		measured.offer({ storyId: story.id, story, accepted });
	}
	return {
		experiments,
		current: {
			measuredStories,
			observedStories: observed,
			meetingTarget: meeting,
			attainment: share(meeting, observed),
			stories: measured.items.map(({ story, accepted }): ValueStory => {
				const own = readings.get(story.id);
				const latest = own?.latest ?? null;
				return {
					storyId: story.id,
					title: story.title,
					acceptedAt: new Date(accepted).toISOString(),
					measure: story.successMeasure,
					target: story.successTarget!,
					direction: story.successDirection,
					unit: story.successUnit,
					observations: own?.count ?? 0,
					latest: latest && { at: latest.at, value: latest.value, note: latest.note },
					met: latest && meetsTarget(story, latest.value)
				};
			})
		},
		unrealized: {
			openStories,
			estimatedStories,
			totalEstimate: round(openEstimate, 2),
			stories: open.items.map(({ story, estimate }) => ({
				storyId: story.id,
				title: story.title,
				valueEstimate: estimate
			}))
		},
		delivered: { stories: deliveredStories, totalEstimate: round(deliveredEstimate, 2) }
	};
}
