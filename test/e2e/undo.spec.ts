/**
 * Undo and redo of one's own changes: Ctrl+Z in one browser reverts that person's last change in
 * the view, on every screen, and leaves what someone else changed meanwhile; a text field keeps
 * Ctrl+Z for its own typing; the header's Undo and Redo buttons say what they can do.
 */
import { expect, test } from '@playwright/test';
import { backlogRow, demoBoard } from './support';

test('undo reverts only one’s own edit: A’s change is gone on both screens, B’s remains', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const ana = await board.join(browser, 'Ana', { team: 'web' });
	const ben = await board.join(browser, 'Ben', { team: 'web' });
	const undo = ana.page.getByRole('button', { name: 'Undo', exact: true });
	const redo = ana.page.getByRole('button', { name: 'Redo', exact: true });
	await expect(undo).toBeDisabled();
	await expect(redo).toBeDisabled();

	// Ana renames one story, Ben another; each sees the other's change.
	await backlogRow(ana.page, 'One-click checkout').click();
	const anaTitle = ana.page
		.getByRole('form', { name: 'Edit story One-click checkout' })
		.getByLabel('Title');
	await anaTitle.fill('Checkout in one tap');
	await anaTitle.press('Enter');
	await expect(backlogRow(ben.page, 'Checkout in one tap')).toBeVisible({ timeout: 5_000 });
	await expect(undo).toBeEnabled();

	await backlogRow(ben.page, 'Search suggestions').click();
	const benTitle = ben.page
		.getByRole('form', { name: 'Edit story Search suggestions' })
		.getByLabel('Title');
	await benTitle.fill('Search as you type');
	await benTitle.press('Enter');
	await expect(backlogRow(ana.page, 'Search as you type')).toBeVisible({ timeout: 5_000 });

	// In a text field, Ctrl+Z is the browser's own undo of the typing: the board is untouched.
	const newTitle = ana.page.getByLabel('New story title');
	await newTitle.fill('Gift cards');
	await newTitle.press('Control+z');
	await expect(backlogRow(ben.page, 'Checkout in one tap')).toBeVisible();
	await expect(undo).toBeEnabled();

	// Outside a text field, Ctrl+Z undoes Ana's rename, on both screens; Ben's stays.
	await backlogRow(ana.page, 'Search as you type').focus();
	await ana.page.keyboard.press('Control+z');
	for (const page of [ana.page, ben.page]) {
		await expect(backlogRow(page, 'One-click checkout')).toBeVisible({ timeout: 5_000 });
		await expect(backlogRow(page, 'Checkout in one tap')).toHaveCount(0);
		await expect(backlogRow(page, 'Search as you type')).toBeVisible();
	}
	await expect(undo).toBeDisabled();
	await expect(redo).toBeEnabled();

	// Ben has his own history: his undo reverts his rename, not Ana's.
	await expect(ben.page.getByRole('button', { name: 'Undo', exact: true })).toBeEnabled();

	// Redo, from the header, brings Ana's rename back everywhere.
	await redo.click();
	await expect(backlogRow(ben.page, 'Checkout in one tap')).toBeVisible({ timeout: 5_000 });
	await expect(backlogRow(ben.page, 'Search as you type')).toBeVisible();

	await ana.context.close();
	await ben.context.close();
});

test('each view has its own history, and a read-only member has nothing to undo', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const ana = await board.join(browser, 'Ana', { team: 'web' });
	const kim = await board.join(browser, 'Kim', { role: 'stakeholder' });
	await expect(kim.page.getByRole('button', { name: 'Undo', exact: true })).toHaveCount(0);

	await backlogRow(ana.page, 'One-click checkout').click();
	const title = ana.page
		.getByRole('form', { name: 'Edit story One-click checkout' })
		.getByLabel('Title');
	await title.fill('Checkout in one tap');
	await title.press('Enter');
	const undo = ana.page.getByRole('button', { name: 'Undo', exact: true });
	await expect(undo).toBeEnabled();

	// On another view the backlog's edit is not what Ctrl+Z would undo.
	await ana.page
		.getByRole('navigation', { name: 'Board views' })
		.getByRole('link', { name: 'Planning', exact: true })
		.click();
	await expect(undo).toBeDisabled();
	await ana.page.keyboard.press('Control+z');
	await expect(backlogRow(kim.page, 'Checkout in one tap')).toBeVisible({ timeout: 5_000 });

	await ana.page
		.getByRole('navigation', { name: 'Board views' })
		.getByRole('link', { name: 'Backlog', exact: true })
		.click();
	await expect(undo).toBeEnabled();
	await undo.click();
	await expect(backlogRow(kim.page, 'One-click checkout')).toBeVisible({ timeout: 5_000 });

	await ana.context.close();
	await kim.context.close();
});
