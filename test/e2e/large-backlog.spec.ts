import { expect, test } from '@playwright/test';
import { generateNKeysBetween } from 'fractional-indexing';
import { entityToYMap } from '../../src/lib/sync/codec';
import { documentName, FIELD_KINDS } from '../../src/lib/sync/layout';
import { story } from '../helpers/board-builder';
import { backlogRow, connect, createBoard, sessionKey, synced } from './support';

const STORIES = 10_000;
const BATCH = 2_500;

test('a backlog of 10,000 stories renders only the rows in view and scrolls to the last', async ({
	browser,
	baseURL
}) => {
	test.setTimeout(120_000);
	// The creator makes the board in the browser; a script then writes 10,000 stories into it.
	const { context, page, boardId } = await createBoard(browser, 'Big product', 'Priya');
	const { token } = await page.evaluate(
		(key) => JSON.parse(localStorage.getItem(key)!) as { token: string },
		sessionKey(boardId)
	);

	const provider = connect(baseURL!, documentName.board(boardId), token);
	const doc = provider.doc;
	await synced(provider);
	const ranks = generateNKeysBetween(null, null, STORIES);
	const createdAt = new Date().toISOString();
	// In batches of 2,500 (about 1.5 MiB each), as an import would: the server refuses a single
	// update over 2 MiB (docs/security.md, the write boundary).
	for (let batch = 0; batch < STORIES; batch += BATCH) {
		doc.transact(() => {
			const stories = doc.getMap('stories');
			for (let i = batch; i < Math.min(batch + BATCH, STORIES); i++) {
				const id = `bulk-${i}`;
				stories.set(
					id,
					entityToYMap(
						story({
							id,
							title: `Story ${i + 1}`,
							productOwnerIds: [],
							rank: ranks[i],
							workType: i % 3 === 0 ? 'ops' : 'dev',
							createdAt
						}),
						FIELD_KINDS.stories
					)
				);
			}
		});
	}
	await expect(page.getByText(`${STORIES} of ${STORIES} stories`)).toBeVisible({
		timeout: 60_000
	});
	provider.destroy();

	// A reload renders from the offline copy and the server. How fast is measured by
	// `npm run bench -- ui` (BENCHMARKS.md, "UI"), not asserted here: a test must not depend on
	// the speed of the machine it runs on.
	await page.reload();
	await expect(backlogRow(page, 'Story 1')).toBeVisible({
		timeout: 30_000
	});
	expect(await page.getByRole('option').count()).toBeLessThan(100);

	await page
		.getByRole('listbox', { name: 'Stories in priority order' })
		.evaluate((list) => list.parentElement!.scrollTo(0, list.scrollHeight));
	await expect(backlogRow(page, `Story ${STORIES}`)).toHaveAccessibleName(
		new RegExp(`^${STORIES}\\. Story ${STORIES} `)
	);

	// Filtered, a row keeps its number in the whole backlog: every third story is ops work, and
	// the last of them is row 3334 of the list but story 9997 of the backlog.
	await page.getByLabel('Filter by work type').selectOption('ops');
	await expect(page.getByText(`3334 of ${STORIES} stories`)).toBeVisible();
	await expect(backlogRow(page, 'Story 9997')).toBeVisible();
	await context.close();
});
