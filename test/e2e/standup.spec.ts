import { expect, test, type Page } from '@playwright/test';
import { openStandup } from './standup-support';
import { demoBoard, docsScreenshot } from './support';

const now = (page: Page) => page.getByTestId('standup-now');

/** Seconds left (negative once over) on a timer reading "m:ss left" or "m:ss over". */
async function seconds(page: Page, testId: string): Promise<number> {
	const text = (await page.getByTestId(testId).textContent()) ?? '';
	const match = /^(\d+):(\d{2}) (left|over)$/.exec(text.trim());
	if (!match) throw new Error(`not a timer reading: "${text}"`);
	const value = Number(match[1]) * 60 + Number(match[2]);
	return match[3] === 'left' ? value : -value;
}

/** Every screen shows the same timer, give or take the second between two reads. */
async function expectSameTimer(pages: Page[], testId: string) {
	const readings = await Promise.all(pages.map((page) => seconds(page, testId)));
	expect(Math.max(...readings) - Math.min(...readings), readings.join(' / ')).toBeLessThanOrEqual(
		1
	);
}

test('a standup with 3 people: the facilitator advances; all see the same speaker and timer; the facilitator leaves and another takes over', async ({
	browser,
	baseURL
}) => {
	test.setTimeout(90_000);
	const board = await demoBoard(baseURL!);
	const rita = await board.join(browser, 'Rita', { team: 'web', role: 'scrum-master' });
	const omar = await board.join(browser, 'Omar', { team: 'web' });
	const zoe = await board.join(browser, 'Zoe', { team: 'web' });
	const everyone = [rita, omar, zoe].map((p) => p.page);
	for (const page of everyone) await openStandup(page, 'Web');

	// The Scrum Master is here, so she starts; the others wait for her.
	await expect(omar.page.getByText('The Scrum Master starts the standup.')).toBeVisible();
	await expect(omar.page.getByRole('button', { name: 'Start standup' })).toHaveCount(0);
	await rita.page.getByRole('button', { name: 'Start standup' }).click();
	for (const page of everyone) {
		await expect(page.getByText('Facilitator: Rita')).toBeVisible({ timeout: 5_000 });
	}

	// The demo's SEV1 on Web's support story comes first; then the people who are here, by name.
	// Ana swarms on it but is away without an update: she takes no turn and is listed absent.
	const order = rita.page.getByRole('region', { name: 'Speaking order' }).getByRole('listitem');
	await expect(now(rita.page)).toHaveText('Now: open incidents');
	await expect(order.first()).toHaveText('Open incidents');
	const incidents = rita.page
		.getByRole('region', { name: 'Open incidents of Web' })
		.getByRole('listitem');
	await expect(incidents).toHaveCount(1);
	await expect(incidents).toContainText('Checkout returns HTTP 500 for EU cards');
	await expect(incidents).toContainText(/SEV1.*SLA on track/);
	await expect(order.nth(1)).toContainText('Omar');
	await expect(order.nth(2)).toContainText('Rita');
	await expect(rita.page.getByTestId('round-absent')).toContainText('Ana');
	// The facilitator moves on with the keyboard.
	for (const next of ['Omar']) {
		await rita.page.getByRole('button', { name: new RegExp(`^Next: ${next}`) }).focus();
		await rita.page.keyboard.press('Enter');
		await expect(now(rita.page)).toHaveText(`Now speaking: ${next}`);
	}
	for (const page of everyone) {
		await expect(now(page)).toHaveText('Now speaking: Omar', { timeout: 5_000 });
		await expect(
			page.getByRole('region', { name: 'Speaking order' }).locator('[aria-current="step"]')
		).toContainText('Omar');
	}
	await expectSameTimer(everyone, 'speaker-timer');
	await expectSameTimer(everyone, 'round-timer');
	await expect(rita.page.getByRole('timer', { name: 'Speaker time' })).toHaveText(/ left$/);

	// Omar says his part; his impediment blocks Mobile too and lands on the board.
	const form = omar.page.getByRole('form', { name: 'Standup of Omar' });
	await form.getByLabel('Done since the last standup').fill('Card form validation');
	await form.getByLabel('Next until the next standup').fill('Saved cards');
	await form
		.getByLabel('Impediments (one per line)')
		.fill('Payment sandbox keeps timing out\nNo test cards for Amex');
	await form.getByRole('checkbox', { name: 'Mobile' }).check();
	await form.getByRole('button', { name: 'Save for Omar' }).click();
	await expect(form.getByRole('status')).toHaveText('Saved for Omar, with 2 impediments raised.');
	for (const page of everyone) {
		await expect(page.getByRole('region', { name: 'Impediments of Web' })).toContainText(
			'Payment sandbox keeps timing out'
		);
		await expect(page.getByRole('region', { name: 'Said in this standup' })).toContainText(
			'Card form validation'
		);
		// Two impediments said are two lines.
		await expect(
			page.getByRole('list', { name: 'Impediments Omar named' }).getByRole('listitem')
		).toHaveText(['Payment sandbox keeps timing out', 'No test cards for Amex']);
	}
	// Zoe watches: no facilitator controls, and no form for someone else's turn.
	await expect(zoe.page.getByRole('button', { name: /^Next: / })).toHaveCount(0);
	await expect(zoe.page.getByRole('form', { name: 'Standup of Omar' })).toHaveCount(0);
	await docsScreenshot(rita.page, 'standup', { fullPage: true });

	// Rita drops out: the others are offered to take over, and Zoe does, with the keyboard.
	await rita.context.close();
	for (const page of [omar.page, zoe.page]) {
		await expect(page.getByText('not on the board')).toBeVisible({ timeout: 10_000 });
		await expect(page.getByRole('button', { name: 'Take over' })).toBeVisible();
	}
	await zoe.page.getByRole('button', { name: 'Take over' }).focus();
	await zoe.page.keyboard.press('Enter');
	for (const page of [omar.page, zoe.page]) {
		await expect(page.getByText('Facilitator: Zoe')).toBeVisible({ timeout: 5_000 });
	}
	await expect(omar.page.getByRole('button', { name: 'Take over' })).toHaveCount(0);
	await expect(now(zoe.page)).toHaveText('Now speaking: Omar');
	// Rita is next but gone: Zoe skips her.
	await zoe.page.getByRole('button', { name: 'Next: Rita (away)' }).click();
	await expect(now(zoe.page)).toHaveText('Now speaking: Rita');
	await zoe.page.getByRole('button', { name: 'Next: Zoe' }).click();
	await expect(now(zoe.page)).toHaveText('Now speaking: Zoe');
	await expect(now(omar.page)).toHaveText('Now speaking: Zoe', { timeout: 5_000 });
	await expectSameTimer([omar.page, zoe.page], 'speaker-timer');

	// On a phone the round and its controls are still there.
	await zoe.page.setViewportSize({ width: 390, height: 800 });
	await expect(zoe.page.getByRole('timer', { name: 'Speaker time' })).toBeVisible();
	await expect(zoe.page.getByRole('button', { name: 'End standup' })).toBeInViewport({ ratio: 1 });
	const overflow = await zoe.page
		.getByRole('region', { name: 'Daily Standup' })
		.evaluate((el) => el.scrollWidth - el.clientWidth);
	expect(overflow).toBeLessThanOrEqual(0);

	await zoe.page.getByRole('button', { name: 'End standup' }).click();
	for (const page of [omar.page, zoe.page]) {
		await expect(now(page)).toContainText('The standup ended at', { timeout: 5_000 });
	}

	await omar.context.close();
	await zoe.context.close();
});

test('someone outside the team watches the standup read-only', async ({ browser, baseURL }) => {
	const board = await demoBoard(baseURL!);
	const fay = await board.join(browser, 'Fay', { team: 'mobile' });
	await openStandup(fay.page, 'Web');
	await expect(fay.page.getByRole('note')).toHaveText(
		"You watch Web's standup: only its members run it and speak in it."
	);
	await expect(fay.page.getByRole('button', { name: 'Start standup' })).toHaveCount(0);
	await expect(fay.page.getByRole('button', { name: 'Take over' })).toHaveCount(0);
	await expect(fay.page.getByRole('region', { name: 'Who is here' })).toContainText('Sam (SM)');
	await fay.context.close();
});
