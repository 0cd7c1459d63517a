/**
 * `@` mentions of this person in comments, for the notifications list and a toast. A mention
 * toasts once; mentions from before this person's first visit to the board in this browser
 * (give or take a few minutes) count as seen, so opening a board for the first time on a new
 * computer does not toast what was said long ago. They stay in the list.
 */
import { mentionsOf, type MentionNotice } from '../domain/comments';
import type { Comment, Person, Story, WorkPackage } from '../domain/schema';
import { firstVisit, RECENT_MS, SeenNotices } from './escalation-notices.svelte';

/** A mention as the notifications show it. */
export interface MentionItem extends MentionNotice {
	authorName: string;
	targetTitle: string;
}

/** The mentions of `personId`, named, newest first. */
export function mentionItems(
	comments: Iterable<Comment>,
	personId: string,
	lookup: {
		person(id: string): Person | undefined;
		story(id: string): Story | undefined;
		workPackage(id: string): WorkPackage | undefined;
	}
): MentionItem[] {
	return mentionsOf(comments, personId).map((notice) => ({
		...notice,
		authorName: lookup.person(notice.authorId)?.name ?? 'Someone',
		targetTitle:
			(notice.targetKind === 'story'
				? lookup.story(notice.targetId)?.title
				: lookup.workPackage(notice.targetId)?.title) ?? notice.targetId
	}));
}

export class MentionNotifications extends SeenNotices<MentionItem> {
	/**
	 * @param source this person's mentions (reactive)
	 * @param key the localStorage key; `<key>.since` keeps the first visit
	 * @param now the current instant on the shared clock
	 */
	constructor(source: () => MentionItem[], key: string, storage: Storage | null, now: number) {
		const since = firstVisit(`${key}.since`, storage, now) - RECENT_MS;
		super(source, key, storage, (mention) => Date.parse(mention.at) < since);
	}
}
