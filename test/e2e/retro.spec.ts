/**
 * [D19] A live retrospective with three people, from writing to actions: cards stay with their
 * authors while the team writes (others see who is writing, not what), everyone sees them once
 * the facilitator moves on, cards are grouped by dragging, votes are bounded, the discussion
 * timer is shared, and an action lands in the backlog; the next retrospective opens with it.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { backlogRow, demoBoard, docsScreenshot, openView } from './support';

async function openRetro(page: Page, teamName: string) {
	await openView(page, 'Retro');
	await page
		.getByRole('region', { name: 'Retrospective' })
		.getByLabel('Team', { exact: true })
		.selectOption({ label: teamName });
	await expect(page.getByRole('heading', { name: `Retrospective · ${teamName}` })).toBeVisible();
}

const phase = (page: Page) => page.getByTestId('retro-phase');

async function writeCard(page: Page, column: string, text: string) {
	const region = page.getByRole('region', { name: column, exact: true });
	await region.getByLabel(`New card: ${column}`).fill(text);
	await region.getByRole('button', { name: 'Add card' }).click();
	await expect(region.getByText(text)).toBeVisible();
}

test('three people run a retrospective from write to actions; cards stay hidden while the team writes', async ({
	browser,
	baseURL
}) => {
	test.setTimeout(120_000);
	const board = await demoBoard(baseURL!);
	const rita = await board.join(browser, 'Rita', { team: 'web', role: 'scrum-master' });
	const omar = await board.join(browser, 'Omar', { team: 'web' });
	const zoe = await board.join(browser, 'Zoe', { team: 'web' });
	const everyone = [rita, omar, zoe].map((p) => p.page);
	for (const page of everyone) await openRetro(page, 'Web');

	// The Scrum Master is here, so she starts it.
	await expect(omar.page.getByRole('button', { name: 'Start retrospective' })).toHaveCount(0);
	await rita.page.getByRole('button', { name: 'Start retrospective' }).click();
	for (const page of everyone) await expect(phase(page)).toHaveText('Phase: Write');

	// Omar is writing: the others see that he writes, not what.
	await omar.page.getByLabel('New card: Went well').focus();
	const omarHere = rita.page
		.getByRole('region', { name: 'Who is here' })
		.getByRole('listitem')
		.filter({ hasText: 'Omar' });
	await expect(omarHere).toContainText('writing…');
	await writeCard(omar.page, 'Went well', 'Pairing on checkout helped');
	await writeCard(zoe.page, 'To improve', 'Reviews wait too long');
	await writeCard(rita.page, 'Ideas', 'Try mob programming');
	await writeCard(zoe.page, 'Went well', 'Fewer incidents this sprint');
	for (const [page, others] of [
		[rita.page, ['Pairing on checkout helped', 'Reviews wait too long']],
		[omar.page, ['Reviews wait too long', 'Try mob programming']],
		[zoe.page, ['Pairing on checkout helped', 'Try mob programming']]
	] as const) {
		for (const text of others) await expect(page.getByText(text)).toHaveCount(0);
	}

	// Writing ends: every card reaches everyone.
	await rita.page.getByRole('button', { name: 'Next: Group' }).click();
	for (const page of everyone) {
		await expect(phase(page)).toHaveText('Phase: Group');
		await expect(page.getByTestId('retro-group')).toHaveCount(4);
	}

	// Omar drags the idea onto the pairing card; Zoe groups with the keyboard.
	await omar.page
		.getByText('Try mob programming', { exact: true })
		.dragTo(omar.page.getByText('Pairing on checkout helped', { exact: true }));
	await expect(zoe.page.getByTestId('retro-group')).toHaveCount(3);
	await zoe.page
		.getByLabel('Group of card: Fewer incidents this sprint')
		.selectOption({ label: 'With “Pairing on checkout helped”' });
	for (const page of everyone) await expect(page.getByTestId('retro-group')).toHaveCount(2);

	// Three votes each, no more.
	await rita.page.getByRole('button', { name: 'Next: Vote' }).click();
	await expect(phase(omar.page)).toHaveText('Phase: Vote');
	const voteFor = (page: Page, text: string) =>
		page.getByRole('button', { name: `Vote for: ${text}`, exact: true });
	for (let i = 0; i < 3; i++) await voteFor(omar.page, 'Reviews wait too long').click();
	await expect(omar.page.getByText('You have 0 of 3 votes left.')).toBeVisible();
	await expect(voteFor(omar.page, 'Pairing on checkout helped')).toBeDisabled();
	await expect(phase(zoe.page)).toHaveText('Phase: Vote');
	await voteFor(zoe.page, 'Pairing on checkout helped').click();
	await expect(
		rita.page.getByTestId('retro-group').filter({ hasText: 'Reviews wait too long' })
	).toContainText('3 votes');

	// The top group first, with one timer for everyone.
	await rita.page.getByRole('button', { name: 'Next: Discuss' }).click();
	for (const page of everyone) {
		await expect(page.getByTestId('retro-topic')).toContainText('Reviews wait too long');
	}
	await rita.page.getByRole('button', { name: /^Start a 5-minute timer/ }).click();
	for (const page of everyone) {
		await expect(page.getByRole('timer', { name: 'Discussion time' })).toHaveText(/^[45]:\d\d$/);
	}
	const action = zoe.page.getByRole('region', { name: 'New action' });
	await action.getByLabel('What the team will do').fill('Review pull requests within a day');
	await action.getByRole('button', { name: 'Record action' }).click();
	await docsScreenshot(rita.page, 'retro', { fullPage: true });

	await rita.page.getByRole('button', { name: 'Next: Actions' }).click();
	const omarAction = omar.page.getByRole('region', { name: 'New action' });
	// Nothing written is refused next to the field, with the reason.
	await omarAction.getByRole('button', { name: 'Record action' }).click();
	await expect(omarAction.getByRole('alert')).toContainText('the action is empty');
	await omarAction.getByLabel('What the team will do').fill('The payment sandbox times out');
	await omarAction.getByLabel('Becomes').selectOption('impediment');
	await omarAction.getByRole('button', { name: 'Record action' }).click();
	// A change to the way incidents are handled goes to the template, linking back.
	await omarAction.getByLabel('What the team will do').fill('Page the payment provider at once');
	await omarAction.getByLabel('Becomes').selectOption('changeRequest');
	await omarAction
		.getByRole('combobox', { name: /^Template/ })
		.selectOption({ label: 'SEV1 incident' });
	await omarAction.getByRole('button', { name: 'Record action' }).click();
	for (const page of everyone) {
		const actions = page.getByRole('region', { name: 'Actions', exact: true });
		await expect(actions.getByRole('listitem')).toHaveCount(3);
	}
	await openView(omar.page, 'Incidents');
	const templates = omar.page.getByRole('region', { name: 'Templates' });
	await templates.getByText(/^SEV1 incident \(1 open change request\)/).click();
	const requests = templates.getByRole('region', { name: 'Change requests for SEV1 incident' });
	await expect(requests).toContainText('Page the payment provider at once');
	await requests.getByRole('link', { name: 'from a retrospective' }).click();
	await expect(omar.page.getByRole('heading', { name: 'Retrospective · Web' })).toBeVisible();

	// The story is in the backlog.
	await openView(zoe.page, 'Backlog');
	await expect(backlogRow(zoe.page, 'Review pull requests within a day')).toBeVisible();

	// The next retrospective opens with the last one's actions and their status.
	await rita.page.getByRole('button', { name: 'End retrospective' }).click();
	await expect(phase(rita.page)).toHaveText('The last retrospective has ended.');
	await rita.page.getByRole('button', { name: 'Start retrospective' }).click();
	const previous = omar.page.getByRole('region', { name: 'Actions of the last retrospective' });
	await expect(previous.getByRole('listitem')).toHaveCount(3);
	await expect(
		previous.getByRole('listitem').filter({ hasText: 'Review pull requests' })
	).toContainText('Story open');
	await expect(previous.getByRole('listitem').filter({ hasText: 'payment sandbox' })).toContainText(
		'Impediment open'
	);
	await expect(
		previous.getByRole('listitem').filter({ hasText: 'payment provider' })
	).toContainText('Change requested');

	for (const person of [rita, omar, zoe]) await person.context.close();
});

test('every phase of a retrospective passes axe with no serious or critical violation', async ({
	browser,
	baseURL
}) => {
	test.setTimeout(90_000);
	const board = await demoBoard(baseURL!);
	const { page, context } = await board.join(browser, 'Ana', { team: 'web' });
	await openRetro(page, 'Web');
	const audit = async (what: string) => {
		const results = await new AxeBuilder({ page })
			.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
			.analyze();
		const serious = results.violations
			.filter((v) => v.impact === 'serious' || v.impact === 'critical')
			.map((v) => `${v.id}: ${v.nodes[0]?.html}`);
		expect(serious, what).toEqual([]);
	};
	// No Scrum Master of the team is here: Ana may start it.
	await page.getByRole('button', { name: 'Start retrospective' }).click();
	await expect(phase(page)).toHaveText('Phase: Write');
	await writeCard(page, 'Went well', 'Short standups');
	await writeCard(page, 'To improve', 'Flaky tests');
	await audit('write');
	for (const next of ['Group', 'Vote', 'Discuss', 'Actions']) {
		await page.getByRole('button', { name: `Next: ${next}` }).click();
		await expect(phase(page)).toHaveText(`Phase: ${next}`);
		await audit(next);
	}
	await context.close();
});
