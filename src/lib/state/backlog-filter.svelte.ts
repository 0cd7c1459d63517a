/**
 * What the backlog shows: filters by team, work type, duration, epic and experiments, and a text search over
 * a story's words. Filtering never changes the order: the backlog stays one prioritized list.
 */
import type { Story } from '../domain/schema';

export class BacklogFilter {
	query = $state('');
	teamId = $state('');
	workType = $state<'' | Story['workType']>('');
	duration = $state<'' | Story['duration']>('');
	/** An epic id, '' for every story, or 'none' for stories without an epic. */
	epicId = $state('');
	/** Only experiments (stories driven by a hypothesis). */
	experiments = $state(false);

	get active(): boolean {
		return !!(
			this.query.trim() ||
			this.teamId ||
			this.workType ||
			this.duration ||
			this.epicId ||
			this.experiments
		);
	}

	/** The stories that pass every filter, in the given (backlog) order. */
	apply(stories: readonly Story[]): readonly Story[] {
		if (!this.active) return stories;
		const words = this.query.trim().toLowerCase().split(/\s+/).filter(Boolean);
		return stories.filter((story) => {
			if (this.teamId && !story.teamIds.includes(this.teamId)) return false;
			if (this.workType && story.workType !== this.workType) return false;
			if (this.duration && story.duration !== this.duration) return false;
			if (this.experiments && !story.experiment) return false;
			if (
				this.epicId === 'none' ? story.epicId !== null : this.epicId && story.epicId !== this.epicId
			)
				return false;
			if (words.length === 0) return true;
			const text =
				`${story.title} ${story.asA} ${story.iWant} ${story.soThat} ${story.successMeasure} ${story.hypothesis}`.toLowerCase();
			return words.every((word) => text.includes(word));
		});
	}

	clear(): void {
		this.query = '';
		this.teamId = '';
		this.workType = '';
		this.duration = '';
		this.epicId = '';
		this.experiments = false;
	}
}
