/**
 * axe-core (Deque's rules, experimental ones included) finds no serious or critical violation on
 * any view of a board, with a story's editor and a work package open too.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { connected, demoBoard } from './support';

const TAGS = [
	'wcag2a',
	'wcag2aa',
	'wcag21a',
	'wcag21aa',
	'wcag22aa',
	'best-practice',
	'experimental'
];

async function seriousViolations(page: Page): Promise<string[]> {
	const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
	return results.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => `${v.id} (${v.impact}) on ${v.nodes.length} nodes, e.g. ${v.nodes[0]?.html}`);
}

test('no view has a serious or critical accessibility violation', async ({ browser, baseURL }) => {
	// Twelve views, each loaded and audited by axe: more than the default 30 s on a busy machine.
	test.setTimeout(120_000);
	const board = await demoBoard(baseURL!);
	const { page, context } = await board.join(browser, 'Ana', { team: 'web' });
	const views: [string, string, string][] = [
		['backlog', '', 'Backlog'],
		['backlog', `?story=${board.ids.stories.checkout}`, 'Backlog'],
		['planning', '', 'Sprint planning'],
		['team', '', 'Team board'],
		['standup', '', 'Daily Standup'],
		['scrum-of-scrums', '', 'Scrum of Scrums'],
		['incidents', '', 'Work packages'],
		['incidents', `/${board.ids.incident}`, 'Work packages'],
		['review', '', 'Sprint review'],
		['retro', '', 'Retrospective'],
		['dashboard', '', 'Dashboard'],
		['members', '', 'Members'],
		['settings', '', 'Board settings']
	];
	for (const [slug, rest, region] of views) {
		await page.goto(`${board.path}/${slug}${rest}`);
		await expect(connected(page)).toBeVisible({ timeout: 10_000 });
		await expect(page.getByRole('region', { name: region, exact: true })).toBeVisible();
		expect(await seriousViolations(page), `${slug}${rest}`).toEqual([]);
	}
	await context.close();
});
