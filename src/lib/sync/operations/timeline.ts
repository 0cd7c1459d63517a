/** The timeline of a work package: who did what, when (the incident view shows it). */
import * as Y from 'yjs';
import { parseInput } from '../../domain/errors';
import { MAX_TIMELINE_ENTRIES, TimelineEntry, type TimelineAction } from '../../domain/schema';
import { entityToYMap } from '../codec';
import type { OpContext } from './context';

/**
 * Appends a line to a work package's timeline (inside the caller's transaction), dropping the
 * oldest lines past the cap.
 */
export function appendTimeline(
	map: Y.Map<unknown>,
	ctx: OpContext,
	action: TimelineAction,
	detail: string,
	personId: string | null = ctx.actorId
): void {
	const entry = parseInput(
		TimelineEntry,
		{ at: ctx.now(), personId, action, detail: detail.slice(0, 500) },
		'timeline entry'
	);
	let timeline = map.get('timeline');
	if (!(timeline instanceof Y.Array)) map.set('timeline', (timeline = new Y.Array()));
	const lines = timeline as Y.Array<Y.Map<unknown>>;
	lines.push([entityToYMap(entry, {})]);
	if (lines.length > MAX_TIMELINE_ENTRIES) lines.delete(0, lines.length - MAX_TIMELINE_ENTRIES);
}
