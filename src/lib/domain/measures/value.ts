/**
 * Value, the evidence-based-management areas the other measures do not cover: *current value*,
 * what done stories' success measures read against their targets, and *unrealized value*, what
 * the stories still open are estimated to be worth. Pure, like the rest of the measures.
 */
import type { Experiments, Measures, ValueStory } from '../../contract/measures';
import type { Observation, Story } from '../schema';
import type { Period } from './compute';
import { share, sumPoints } from './stats';

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

/** Each story's observations before `endMs`, newest first. */
export function observationsByStory(
	observations: Iterable<Observation>,
	endMs: number
): Map<string, Observation[]> {
	const byStory = new Map<string, { at: number; observation: Observation }[]>();
	for (const observation of observations) {
		const at = Date.parse(observation.at);
		if (!(at < endMs)) continue;
		let list = byStory.get(observation.storyId);
		if (!list) byStory.set(observation.storyId, (list = []));
		list.push({ at, observation });
	}
	return new Map(
		[...byStory].map(([storyId, list]) => [
			storyId,
			list
				.sort((a, b) => b.at - a.at || (a.observation.id < b.observation.id ? -1 : 1))
				.map((entry) => entry.observation)
		])
	);
}

/** The figures read from stories in one pass: value, and experiments (ability to innovate). */
export type StoryFigures = Measures['value'] & { experiments: Experiments };

/** Stories' creation instants, parsed once per story object (a changed story is a new object). */
const createdMs = new WeakMap<Story, number>();
function createdOf(story: Story): number {
	let at = createdMs.get(story);
	if (at === undefined) createdMs.set(story, (at = Date.parse(story.createdAt)));
	return at;
}

const newestFirst =
	<T extends { storyId: string }>(key: (item: T) => number) =>
	(a: T, b: T) =>
		key(b) - key(a) || (a.storyId < b.storyId ? -1 : 1);

/**
 * Current, unrealized and delivered value over the period. A story is done once it was first
 * accepted at a review (`acceptances`, ms) before the period ends; recurring stories are never
 * done, so they count in neither. Everything is read as of the end of the period: what happened
 * a moment ago counts at once, whatever the minute the caller reads "now" at.
 */
export function valueMeasures(
	stories: ReadonlyMap<string, Story>,
	observations: Iterable<Observation>,
	acceptances: ReadonlyMap<string, number>,
	period: Period,
	storyOfTeam: (storyId: string) => boolean
): StoryFigures {
	const end = period.endMs;
	const readings = observationsByStory(observations, end);
	// Only the few listed become answer rows; the rest are counted.
	const measured: { storyId: string; story: Story; accepted: number; met: boolean | null }[] = [];
	const open: { storyId: string; story: Story; estimate: number }[] = [];
	let openStories = 0;
	let observed = 0;
	let meeting = 0;
	const delivered: number[] = [];
	const experiments: Experiments = {
		running: 0,
		accepted: 0,
		validated: 0,
		invalidated: 0,
		inconclusive: 0,
		awaitingVerdict: 0
	};
	for (const story of stories.values()) {
		if (story.duration !== 'finite' || !storyOfTeam(story.id)) continue;
		if (!(createdOf(story) < end)) continue;
		const accepted = acceptances.get(story.id);
		if (story.experiment) {
			if (accepted === undefined || accepted >= end) experiments.running++;
			else if (accepted >= period.startMs) {
				experiments.accepted++;
				experiments[story.verdict ?? 'awaitingVerdict']++;
			}
		}
		if (accepted === undefined || accepted >= end) {
			openStories++;
			if (story.valueEstimate !== null) {
				open.push({ storyId: story.id, story, estimate: story.valueEstimate });
			}
			continue;
		}
		if (accepted >= period.startMs && story.valueEstimate !== null) {
			delivered.push(story.valueEstimate);
		}
		if (story.successTarget === null) continue;
		const latest = readings.get(story.id)?.[0];
		const met = latest ? meetsTarget(story, latest.value) : null;
		if (latest) observed++;
		if (met === true) meeting++;
		measured.push({ storyId: story.id, story, accepted, met });
	}
	const listed = measured
		.sort(newestFirst((s) => s.accepted))
		.slice(0, MAX_VALUE_STORIES)
		.map(({ story, accepted, met }): ValueStory => {
			const own = readings.get(story.id) ?? [];
			const latest = own[0] ?? null;
			return {
				storyId: story.id,
				title: story.title,
				acceptedAt: new Date(accepted).toISOString(),
				measure: story.successMeasure,
				target: story.successTarget!,
				direction: story.successDirection,
				unit: story.successUnit,
				observations: own.length,
				latest: latest && { at: latest.at, value: latest.value, note: latest.note },
				met
			};
		});
	return {
		experiments,
		current: {
			measuredStories: measured.length,
			observedStories: observed,
			meetingTarget: meeting,
			attainment: share(meeting, observed),
			stories: listed
		},
		unrealized: {
			openStories,
			estimatedStories: open.length,
			totalEstimate: sumPoints(open.map((s) => s.estimate)),
			stories: open
				.sort(newestFirst((s) => s.estimate))
				.slice(0, MAX_VALUE_STORIES)
				.map(({ story, estimate }) => ({
					storyId: story.id,
					title: story.title,
					valueEstimate: estimate
				}))
		},
		delivered: { stories: delivered.length, totalEstimate: sumPoints(delivered) }
	};
}
