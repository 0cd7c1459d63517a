/** Where escalated work is: the chain of hops decides which stories hold a work package. */
import type { WorkPackage } from './schema';

/** The story currently working on it: the target of the deepest unresolved hop, or its origin. */
export function holdingStoryId(wp: WorkPackage): string {
	for (let i = wp.escalations.length - 1; i >= 0; i--) {
		const hop = wp.escalations[i]!;
		if (hop.resolvedAt === null) return hop.toStoryId;
	}
	return wp.storyId;
}

/**
 * Stories an open work package is unfinished business of: its origin (which completes it, R14)
 * and every story it is escalated to and not yet resolved by. Empty once it is done.
 */
export function storiesWithOpenWork(wp: WorkPackage): string[] {
	if (wp.status !== 'open') return [];
	const stories = new Set([wp.storyId]);
	for (const hop of wp.escalations) if (hop.resolvedAt === null) stories.add(hop.toStoryId);
	return [...stories];
}
