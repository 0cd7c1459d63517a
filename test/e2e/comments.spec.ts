import { expect, test } from '@playwright/test';
import { demoBoard, openView } from './support';

test('[D6.13] a comment with an @mention reaches the person mentioned: live, in the notifications and as a toast', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const noor = await board.join(browser, 'Noor', { team: 'web' });
	const kai = await board.join(browser, 'Kai', { team: 'ops' });
	const storyPath = `${board.path}/backlog?story=${board.ids.stories.checkout}`;
	await noor.page.goto(storyPath);
	await kai.page.goto(storyPath);
	const noorComments = noor.page.getByRole('region', { name: 'Comments on One-click checkout' });
	const kaiComments = kai.page.getByRole('region', { name: 'Comments on One-click checkout' });
	await expect(kaiComments.getByText('No comments yet.')).toBeVisible();

	// Typing @ offers the board's people in a listbox; Enter picks the one highlighted.
	const box = noorComments.getByRole('combobox', { name: 'New comment' });
	await box.fill('Can you check the EU cards? @Ka');
	await box.press('End');
	await box.press('Backspace');
	await box.pressSequentially('a');
	const people = noor.page.getByRole('listbox', { name: 'People to mention' });
	await expect(people.getByRole('option', { name: 'Kai' })).toHaveAttribute(
		'aria-selected',
		'true'
	);
	await box.press('Enter');
	await expect(box).toHaveValue('Can you check the EU cards? @Kai ');
	await expect(people).toBeHidden();
	await box.pressSequentially('today');
	await noorComments.getByRole('button', { name: 'Comment', exact: true }).click();
	await expect(box).toHaveValue('');

	// Kai: the comment appears live, a toast says who mentioned them, the list keeps it.
	const comment = kaiComments.getByRole('article', { name: 'Comment by Noor' });
	await expect(comment).toContainText('Can you check the EU cards? @Kai today');
	const toast = kai.page.getByLabel('Mentioned');
	await expect(toast).toContainText('Noor mentioned you on "One-click checkout"');
	await expect(kai.page.getByRole('button', { name: /Notifications/ })).toContainText('1 new');
	// Only its author may change a comment: Kai may reply, not edit.
	await expect(comment.getByRole('button', { name: 'Edit' })).toHaveCount(0);
	await expect(comment.getByRole('button', { name: 'Reply' })).toBeVisible();
	// Noor, who wrote it, gets no toast.
	await expect(noor.page.getByLabel('Mentioned')).toHaveCount(0);

	await kai.page.getByRole('button', { name: /Notifications/ }).click();
	const list = kai.page.getByRole('region', { name: 'Notifications' });
	await expect(
		list.getByRole('link', { name: 'Noor mentioned you on "One-click checkout"' })
	).toBeVisible();
	await expect(toast).toHaveCount(0);
	await expect(kai.page.getByRole('button', { name: /Notifications/ })).not.toContainText('new');

	// A threaded reply, and the author's edit, show on the other screen without a reload.
	await comment.getByRole('button', { name: 'Reply' }).click();
	const reply = kaiComments.getByRole('combobox', { name: 'Reply to Noor' });
	await reply.fill('On it');
	await kaiComments.getByRole('button', { name: 'Reply', exact: true }).last().click();
	await expect(noorComments.getByRole('article', { name: 'Comment by Kai' })).toContainText(
		'On it'
	);
	const own = noorComments.getByRole('article', { name: 'Comment by Noor' });
	await own.getByRole('button', { name: 'Edit' }).click();
	const edit = own.getByRole('combobox', { name: 'Edit your comment' });
	await edit.fill('Can you check the EU cards, @Kai? Thanks');
	await own.getByRole('button', { name: 'Save' }).click();
	await expect(comment).toContainText('Can you check the EU cards, @Kai? Thanks');
	await expect(comment).toContainText('(edited');

	// Seen is remembered: a reload toasts nothing old.
	await kai.page.reload();
	await expect(kaiComments.getByRole('article', { name: 'Comment by Noor' })).toBeVisible();
	await expect(kai.page.getByLabel('Mentioned')).toHaveCount(0);

	await noor.context.close();
	await kai.context.close();
});

test("a work package's comments join its timeline, and a mention there toasts on another view", async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const noor = await board.join(browser, 'Noor', { team: 'web' });
	const kai = await board.join(browser, 'Kai', { team: 'web' });
	await openView(kai.page, 'Team board');
	await noor.page.goto(`${board.path}/incidents/${board.ids.incident}`);
	const comments = noor.page.getByRole('region', {
		name: 'Comments on Checkout returns HTTP 500 for EU cards'
	});
	const box = comments.getByRole('combobox', { name: 'New comment' });
	await box.pressSequentially('Rolled back, @K');
	await noor.page
		.getByRole('listbox', { name: 'People to mention' })
		.getByRole('option', { name: 'Kai' })
		.click();
	await box.pressSequentially('please verify');
	await box.press('Control+Enter');

	const timeline = noor.page.getByRole('region', { name: 'Timeline' });
	await expect(timeline.getByRole('listitem').first()).toContainText(
		'Noor commented: "Rolled back, @Kai please verify"'
	);
	const toast = kai.page.getByLabel('Mentioned');
	await expect(toast).toContainText(
		'Noor mentioned you on "Checkout returns HTTP 500 for EU cards"'
	);
	await toast.getByRole('link', { name: 'Open comment' }).click();
	await expect(kai.page).toHaveURL(new RegExp(`/incidents/${board.ids.incident}`));
	await expect(kai.page.getByRole('article', { name: 'Comment by Noor' })).toContainText(
		'Rolled back, @Kai please verify'
	);

	await noor.context.close();
	await kai.context.close();
});
