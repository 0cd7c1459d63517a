/**
 * R16: a story is accepted when it is done, and done means its Definition of Done: every
 * criterion that applied when it was accepted ticked. Accepting it with criteria unticked is
 * allowed (the review decides), but reported, naming them.
 */
import { acceptingSprints, unticked } from '../../done';
import { defineCheck } from '../context';
import { finding } from './support';

/** R16, per story. Described in docs/domain.md#r16-accepted-not-done. */
export const acceptedNotDone = defineCheck({
	rule: 'R16',
	scope: 'story',
	check(story, ctx) {
		if (story.duration !== 'finite') return [];
		const [sprint] = acceptingSprints(story.id, ctx.sprintsPlanningStory(story.id));
		if (!sprint) return [];
		const missing = unticked(story, ctx.doneChecklist(story.id), ctx.doneCriteria());
		if (missing.length === 0) return [];
		const names = missing.map((c) => `"${c.text}"`).join(', ');
		const them = missing.length === 1 ? 'it is' : 'they are';
		return [
			finding(
				'R16',
				'warning',
				`"${story.title}" was accepted in ${sprint.name} with ${missing.length} ` +
					`${missing.length === 1 ? 'criterion' : 'criteria'} of its Definition of Done unticked: ` +
					`${names}. Tick ${missing.length === 1 ? 'it' : 'them'} if ${them} done, or reopen the story.`,
				[
					{ kind: 'story', id: story.id },
					{ kind: 'sprint', id: sprint.id }
				]
			)
		];
	}
});
