/**
 * `@` mentions of this person in comments, for the notifications list and a toast. A mention
 * toasts once, on one of the person's devices; mentions from before their first visit to the
 * board (give or take a few minutes) count as seen, so opening a board for the first time does
 * not toast what was said long ago. They stay in the list.
 */
import { mentionsOf, type MentionNotice } from '../domain/comments';
import type { Comment, Person, Story, WorkPackage } from '../domain/schema';
import { SeenNotices } from './escalation-notices.svelte';
import type { PersonalInbox } from './personal-inbox.svelte';

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
	constructor(source: () => MentionItem[], inbox: PersonalInbox, now: () => number) {
		super(source, inbox, 'mention', now, (mention, since) => Date.parse(mention.at) < since);
	}
}
