/**
 * Roles the board gives (A1): a story's Product Owner orders it in the backlog and others
 * propose a move, which the Product Owner sees; the board's settings are the admin's, and a
 * write of them by anyone else is refused by the server, whatever the client sends.
 */
import { expect, test } from '@playwright/test';
import * as Y from 'yjs';
import { BoardDocs } from '../../src/lib/sync/board-docs';
import { documentName } from '../../src/lib/sync/layout';
import * as op from '../../src/lib/sync/operations';
import {
	backlogRow,
	backlogTitles,
	connect,
	connected,
	demoBoard,
	openView,
	synced
} from './support';

test('[A1] a non-Product Owner is not offered reordering; a Product Owner is, and sees the proposed move', async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const paula = await board.join(browser, 'Paula', { team: 'web', role: 'product-owner' });
	const tom = await board.join(browser, 'Tom', { team: 'web', role: 'team-member' });

	// Paula writes a story: she is its Product Owner.
	await paula.page.getByLabel('New story title').fill('Dark mode');
	await paula.page.getByRole('button', { name: 'Add story' }).click();
	await paula.page.getByRole('button', { name: 'Close' }).click();
	await expect(backlogRow(tom.page, 'Dark mode')).toBeVisible({ timeout: 5_000 });

	// She may move her own story, not the ones another Product Owner owns.
	await expect(backlogRow(paula.page, 'Dark mode')).toHaveAttribute('draggable', 'true');
	await expect(backlogRow(paula.page, 'One-click checkout')).toHaveAttribute('draggable', 'false');
	await expect(paula.page.getByText('Drag a story you decide for')).toBeVisible();

	// Tom is offered no reordering at all: no row drags, and the hint tells him who decides.
	const rows = tom.page.getByRole('listbox', { name: 'Stories in priority order' });
	await expect(rows.locator('[draggable="true"]')).toHaveCount(0);
	await expect(
		tom.page.getByText("A story's Product Owner (or the Chief Product Owner) orders the backlog")
	).toBeVisible();
	const before = await backlogTitles(tom.page);
	await backlogRow(tom.page, 'Dark mode').focus();
	await tom.page.keyboard.press('Alt+ArrowUp');
	await expect(tom.page.getByRole('alert').first()).toContainText(
		'Only the Product Owner of "Dark mode" (or a Chief Product Owner) changes its priority'
	);
	expect(await backlogTitles(tom.page)).toEqual(before);

	// He proposes a move instead; Paula sees it on the row and in the story.
	await backlogRow(tom.page, 'Dark mode').click();
	const proposals = tom.page.getByRole('region', { name: 'Proposals' });
	await proposals.getByLabel('Why (optional)').fill('asked for in every demo');
	await proposals.getByRole('button', { name: 'Propose moving it higher' }).click();
	await expect(proposals).toContainText('You propose moving it higher: “asked for in every demo”');
	await expect(backlogRow(paula.page, 'Dark mode')).toContainText('1 proposal', { timeout: 5_000 });
	await backlogRow(paula.page, 'Dark mode').click();
	await expect(paula.page.getByRole('region', { name: 'Proposals' })).toContainText(
		'Tom proposes moving it higher: “asked for in every demo”'
	);

	// She acts on it: the story moves up on both screens, and the proposal is settled.
	await backlogRow(paula.page, 'Dark mode').focus();
	await paula.page.keyboard.press('Alt+ArrowUp');
	const moved = [...before.slice(0, -2), 'Dark mode', before.at(-2)!];
	await expect.poll(() => backlogTitles(tom.page), { timeout: 5_000 }).toEqual(moved);
	await expect(backlogRow(tom.page, 'Dark mode')).not.toContainText('proposal');

	await paula.context.close();
	await tom.context.close();
});

test("[D14] the board's settings are the admin's: a non-admin is offered no change, and a write of them is refused by the server", async ({
	browser,
	baseURL
}) => {
	const board = await demoBoard(baseURL!);
	const origin = new URL(baseURL!).origin;
	const tom = await board.join(browser, 'Tom', { team: 'web', role: 'scrum-master' });
	await openView(tom.page, 'Settings');
	const settings = tom.page.getByRole('region', { name: 'Board settings' });
	await expect(settings.getByRole('note')).toHaveText(
		"Only the board's admin changes these settings."
	);
	await expect(settings.getByRole('button', { name: 'Save settings' })).toHaveCount(0);

	// Tom's own session, writing the settings with the app's operation from a script.
	const denied: string[] = [];
	const warn = console.warn;
	console.warn = (...args: unknown[]) => void denied.push(args.map(String).join(' '));
	const provider = connect(origin, documentName.board(board.boardId), tom.session.token);
	try {
		await synced(provider);
		const docs = new BoardDocs(board.boardId, provider.doc);
		op.updateBoard(docs, op.liveContext(tom.session.personId), { name: 'Tom’s board' });
		await expect
			.poll(() => denied.join('\n'), { timeout: 5_000 })
			.toContain("only the board's admin changes the board's settings");
		await expect.poll(() => docs.meta().get('name'), { timeout: 5_000 }).toBe('Acme Shop');
	} finally {
		provider.destroy();
		console.warn = warn;
	}

	// Nobody ever saw the change: the board keeps its name on screen and in the server's copy.
	await tom.page.reload();
	await expect(connected(tom.page)).toBeVisible({ timeout: 10_000 });
	await expect(tom.page.getByRole('heading', { level: 1 })).toHaveText('Acme Shop');
	await expect(settings.getByLabel('Name')).toHaveValue('Acme Shop');
	const copy = connect(origin, documentName.board(board.boardId), board.admin.token, new Y.Doc());
	try {
		await synced(copy);
		expect(copy.doc.getMap('meta').get('name')).toBe('Acme Shop');
	} finally {
		copy.destroy();
	}
	await tom.context.close();
});
