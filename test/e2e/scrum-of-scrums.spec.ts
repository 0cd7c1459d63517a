import { expect, test, type Page } from '@playwright/test';
import * as Y from 'yjs';
import { BoardDocs } from '../../src/lib/sync/board-docs';
import { documentName } from '../../src/lib/sync/layout';
import * as op from '../../src/lib/sync/operations';
import { openStandup } from './standup-support';
import { connect, demoBoard, docsScreenshot, expectView, openView, synced } from './support';

async function openScrumOfScrums(page: Page) {
	await openView(page, 'Scrum of Scrums');
	await expect(page.getByRole('heading', { name: 'Scrum of Scrums', level: 2 })).toBeVisible();
}

const region = (page: Page, name: RegExp) =>
	page.getByRole('region', { name: 'Scrum of Scrums' }).getByRole('region', { name });

/**
 * A script acting with a person's session escalates a new request from web support to the
 * second-level team; the returned function closes its connection.
 */
async function escalateAsScript(
	baseURL: string,
	boardId: string,
	session: { token: string; personId: string },
	title: string
): Promise<() => void> {
	const provider = connect(baseURL, documentName.board(boardId), session.token);
	await synced(provider);
	// Only the board document is written: team documents stay unsynced copies here.
	const docs = new BoardDocs(boardId, provider.doc, () => new Y.Doc());
	const storyId = (storyTitle: string) =>
		[...docs.collection('stories').entries()].find(([, s]) => s.get('title') === storyTitle)![0];
	const ctx = op.liveContext(session.personId);
	const wp = op.createWorkPackage(docs, ctx, {
		storyId: storyId('First-level web support'),
		title,
		category: 'request',
		points: 2
	});
	op.escalate(
		docs,
		ctx,
		wp.id,
		storyId('Second-level production support'),
		'needs database access'
	);
	return () => provider.destroy();
}

test('the Scrum of Scrums shows a cross-team impediment and an escalation in flight on another screen, live', async ({
	browser,
	baseURL
}) => {
	test.setTimeout(90_000);
	const board = await demoBoard(baseURL!);
	const mia = await board.join(browser, 'Mia', { team: 'ops' });
	await openScrumOfScrums(mia.page);

	// Every team's sprint health, the shared story with each team's portion, and who facilitates.
	await expect(mia.page.getByTestId('sos-facilitator')).toContainText(
		'Facilitated by Sam (SM) (away) · Chief Scrum Master'
	);
	const web = mia.page.getByRole('article', { name: 'Sprint health of Web' });
	await expect(web).toContainText('/ 30 points committed');
	await expect(web).toContainText(/Unknown-work budget: \d+ used, -?\d+ left of \d+/);
	await expect(web.getByRole('meter', { name: 'Unknown work left, Web' })).toBeVisible();
	const search = region(mia.page, /^Multi-team stories/)
		.getByRole('listitem')
		.filter({
			hasText: 'Search suggestions'
		});
	await expect(search.getByRole('row', { name: /^Web/ })).toContainText('5 pts in Web 14 (active)');
	await expect(search.getByRole('row', { name: /^Mobile/ })).toContainText('8 pts');
	const impediments = region(mia.page, /^Cross-team impediments/);
	const escalations = region(mia.page, /^Escalations in flight/);

	// Kai, Scrum Master of Mobile, runs Mobile's standup and raises an impediment that blocks Web.
	const kai = await board.join(browser, 'Kai', { team: 'mobile', role: 'scrum-master' });
	await openStandup(kai.page, 'Mobile');
	await kai.page.getByRole('button', { name: 'Start standup' }).click();
	await expect(kai.page.getByTestId('standup-now')).toHaveText('Now speaking: Kai');
	const form = kai.page.getByRole('form', { name: 'Standup of Kai' });
	await form.getByLabel('Impediments (one per line)').fill('Shared search index is read-only');
	await form.getByRole('checkbox', { name: 'Web' }).check();
	await form.getByRole('button', { name: 'Save for Kai' }).click();

	const raised = impediments.getByRole('listitem').filter({
		hasText: 'Shared search index is read-only'
	});
	await expect(raised).toBeVisible({ timeout: 5_000 });
	await expect(raised).toContainText('Mobile blocks Web');
	await expect(raised).toContainText('raised by Kai');

	// A script with Kai's session escalates a request to the second-level team.
	const disconnect = await escalateAsScript(
		baseURL!,
		board.boardId,
		kai.session,
		'Refund export stuck'
	);
	const escalated = escalations.getByRole('listitem').filter({ hasText: 'Refund export stuck' });
	await expect(escalated).toBeVisible({ timeout: 5_000 });
	await expect(escalated).toContainText(
		'First-level web support → Second-level production support'
	);
	await expect(escalated).toContainText('by Kai');
	await expect(escalated).toContainText('needs database access');
	disconnect();

	// Links lead to the objects: the blocked team opens in planning.
	await docsScreenshot(mia.page, 'scrum-of-scrums', { fullPage: true });
	await raised.getByRole('link', { name: 'Web', exact: true }).click();
	await expectView(mia.page, 'Planning');

	// On a phone and in the dark theme the view still fits.
	await mia.page.emulateMedia({ colorScheme: 'dark' });
	await mia.page.setViewportSize({ width: 390, height: 800 });
	await openScrumOfScrums(mia.page);
	await expect(escalated).toBeVisible();
	const overflow = await mia.page
		.getByRole('region', { name: 'Scrum of Scrums' })
		.evaluate((el) => el.scrollWidth - el.clientWidth);
	expect(overflow).toBeLessThanOrEqual(0);

	await kai.context.close();
	await mia.context.close();
});
