import { expect, test } from '@playwright/test';
import { backlogRow, demoBoard } from './support';

test('the findings panel links to the story, and presence shows who edits it', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const priya = await board.join(browser, 'Priya', { team: 'web' });
	const sam = await board.join(browser, 'Sam', { team: 'ops' });

	// Sam opens a story: Priya sees him in the presence bar and a ring around that row.
	await backlogRow(sam.page, 'One-click checkout').click();
	const presence = priya.page.getByRole('region', { name: 'Who is on the board' });
	await expect(presence).toContainText('Sam');
	await expect(presence.getByRole('listitem').filter({ hasText: 'Sam' })).toHaveAttribute(
		'title',
		'Sam: editing "One-click checkout"'
	);
	await expect(backlogRow(priya.page, 'One-click checkout')).toHaveAttribute(
		'title',
		'Sam is editing this story'
	);

	const findings = priya.page.getByRole('region', { name: 'Findings' });
	await expect(findings.getByTestId('findings-count')).not.toHaveText('0');

	// A finding's story link opens and focuses the story in the backlog.
	await findings
		.locator('[data-rule="R13"]')
		.getByRole('link', { name: /^story: First-level web support/ })
		.click();
	await expect(backlogRow(priya.page, 'First-level web support')).toBeFocused();
	await expect(
		priya.page.getByRole('form', { name: 'Edit story First-level web support' })
	).toBeVisible();

	// A phone-sized screen still shows the board and its findings count.
	await priya.page.setViewportSize({ width: 390, height: 800 });
	await expect(backlogRow(priya.page, 'First-level web support')).toBeVisible();
	await expect(priya.page.getByRole('button', { name: /^Findings/ })).toBeVisible();

	await priya.context.close();
	await sam.context.close();
});
