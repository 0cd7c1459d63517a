/**
 * The story a benchmark writer edits: a valid one (docs/schema.md, D6.5), so the server reads,
 * parses and validates it on every edit as it does for people's edits. An edit rewrites its
 * title with the writer's sequence number and send time.
 */
import * as Y from 'yjs';
import { entityToYMap } from '../../src/lib/sync/codec';
import { FIELD_KINDS } from '../../src/lib/sync/layout';
import { story } from '../../test/helpers/board-builder';

/** What a writer stamps into its story's title; `p` gives the edit a card title's size. */
export interface Edit {
	s: number;
	t: number;
	ph: number;
	p: string;
}

/** A new story entity with every field the contract requires, and no Product Owner. */
export function benchStory(id: string): Y.Map<unknown> {
	return entityToYMap(
		story({ id, title: 'Benchmark story', productOwnerIds: [] }),
		FIELD_KINDS.stories
	);
}

/** Writes an edit into the story's title (a plain string field, under 200 characters). */
export function writeEdit(story: Y.Map<unknown>, edit: Edit): void {
	story.set('title', JSON.stringify(edit));
}

/** The last edit a story holds, or undefined before its writer's first edit. */
export function readEdit(story: Y.Map<unknown> | undefined): Edit | undefined {
	const title = story?.get('title');
	return typeof title === 'string' && title.startsWith('{')
		? (JSON.parse(title) as Edit)
		: undefined;
}
