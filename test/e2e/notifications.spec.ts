import { expect, test } from '@playwright/test';
import { connected, demoBoard, openBoardAs } from './support';

test('[D18] a notification dismissed on one device is dismissed on the person’s other devices, live', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const noor = await board.join(browser, 'Noor', { team: 'web' });
	const laptop = await board.join(browser, 'Kai', { team: 'ops' });
	// Kai's phone: another browser holding the same session.
	const phone = await openBoardAs(browser, baseURL!, board.boardId, laptop.session);
	const storyPath = `${board.path}/backlog?story=${board.ids.stories.checkout}`;
	await noor.page.goto(storyPath);
	await laptop.page.goto(`${board.path}/backlog`);
	await phone.page.goto(`${board.path}/incidents`);
	await expect(connected(phone.page)).toBeVisible();

	const comments = noor.page.getByRole('region', { name: 'Comments on One-click checkout' });
	const box = comments.getByRole('combobox', { name: 'New comment' });
	await box.fill('EU cards fail again, @Ka');
	await box.press('End');
	await box.press('Backspace');
	await box.pressSequentially('a');
	await expect(
		noor.page.getByRole('listbox', { name: 'People to mention' }).getByRole('option', {
			name: 'Kai'
		})
	).toHaveAttribute('aria-selected', 'true');
	await box.press('Enter');
	await comments.getByRole('button', { name: 'Comment', exact: true }).click();
	await expect(box).toHaveValue('');

	// Both of Kai's devices are told.
	for (const device of [laptop, phone]) {
		await expect(device.page.getByLabel('Mentioned')).toContainText(
			'Noor mentioned you on "One-click checkout"'
		);
		await expect(device.page.getByRole('button', { name: /Notifications/ })).toContainText('1 new');
	}

	// Kai dismisses it on the laptop: it goes from the phone too, and stays in its list.
	await laptop.page.getByLabel('Mentioned').getByRole('button', { name: 'Dismiss' }).click();
	await expect(phone.page.getByLabel('Mentioned')).toHaveCount(0);
	const bell = phone.page.getByRole('button', { name: /Notifications/ });
	await expect(bell).not.toContainText('new');
	await bell.click();
	await expect(
		phone.page
			.getByRole('region', { name: 'Notifications' })
			.getByRole('link', { name: 'Noor mentioned you on "One-click checkout"' })
	).toBeVisible();

	// A device Kai opens for the first time afterwards does not pop it up either.
	const tablet = await openBoardAs(browser, baseURL!, board.boardId, laptop.session);
	await tablet.page.goto(`${board.path}/backlog?story=${board.ids.stories.checkout}`);
	await expect(
		tablet.page
			.getByRole('region', { name: 'Comments on One-click checkout' })
			.getByRole('article', { name: 'Comment by Noor' })
	).toBeVisible();
	await expect(connected(tablet.page)).toBeVisible();
	await tablet.page.getByRole('button', { name: /Notifications/ }).click();
	await expect(
		tablet.page
			.getByRole('region', { name: 'Notifications' })
			.getByRole('link', { name: 'Noor mentioned you on "One-click checkout"' })
	).toBeVisible();
	await expect(tablet.page.getByLabel('Mentioned')).toHaveCount(0);

	for (const person of [noor, laptop, phone, tablet]) await person.context.close();
});
