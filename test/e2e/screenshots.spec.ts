/**
 * Writes the pictures README.md shows (docs/screenshots), only when asked to:
 * `SCREENSHOTS=1 npm run test:e2e`. The standup, Scrum of Scrums and incident specs add theirs
 * then too (`docsScreenshot`). playwright.config.ts leaves this file out of other runs.
 */
import { expect, test } from '@playwright/test';
import { backlogRow, demoBoard, docsScreenshot, openView } from './support';

test('screenshots of the backlog with presence and findings, planning, the team board and a phone', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const priya = await board.join(browser, 'Priya', { team: 'web' });
	const sam = await board.join(browser, 'Sam', { team: 'ops' });

	// Sam is editing a story, which Priya sees.
	await backlogRow(sam.page, 'One-click checkout').click();
	await expect(backlogRow(priya.page, 'One-click checkout')).toHaveAttribute(
		'title',
		'Sam is editing this story'
	);
	const findings = priya.page.getByRole('region', { name: 'Findings' });
	await expect(findings.getByTestId('findings-count')).not.toHaveText('0');
	await docsScreenshot(priya.page, 'backlog');
	await docsScreenshot(findings, 'findings');

	await openView(priya.page, 'Planning');
	await priya.page.getByLabel('Team', { exact: true }).selectOption({ label: 'Web' });
	await expect(priya.page.getByTestId('capacity')).toBeVisible();
	await docsScreenshot(priya.page, 'planning', { fullPage: true });

	await openView(priya.page, 'Team board');
	await expect(priya.page.getByRole('region', { name: 'Doing', exact: true })).toBeVisible();
	await docsScreenshot(priya.page, 'team-board', { fullPage: true });

	await priya.page.setViewportSize({ width: 390, height: 800 });
	await openView(priya.page, 'Backlog');
	await expect(priya.page.getByRole('button', { name: /^Findings/ })).toBeVisible();
	await docsScreenshot(priya.page, 'backlog-phone');

	await priya.context.close();
	await sam.context.close();
});
