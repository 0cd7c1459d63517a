/**
 * A smaller board than the demo for the incident, template, escalation and sprint-close specs,
 * whose admin works in a browser: created through the landing page, then planned by its admin
 * through the same operations the app runs, over a real WebSocket to the suite's server. People
 * join through invite links in the UI.
 */
import { expect, type Browser, type Page } from '@playwright/test';
import type { Role } from '../../src/lib/domain/schema';
import { BoardDocs } from '../../src/lib/sync/board-docs';
import { BOARD_COLLECTIONS, documentName } from '../../src/lib/sync/layout';
import * as op from '../../src/lib/sync/operations';
import {
	connect,
	createBoard,
	joinByInvite,
	openView,
	type Person,
	serverHolds,
	sessionKey,
	synced,
	writtenDoc
} from './support';

export interface OpsBoard {
	admin: Person & { boardUrl: string };
	boardId: string;
	teams: { web: string; ops: string };
	stories: { support: string; secondLine: string; checkout: string; search: string };
	sprints: { web: string; webNext: string; ops: string; opsNext: string };
	/** A new person (own browser context) who joins `team` with `role` by invite. */
	join(name: string, team: 'web' | 'ops', role?: Role): Promise<Person>;
}

const addDays = (day: string, days: number) =>
	new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Web (first-level support, checkout, search) and Ops L2 (second-level support), each with an
 * active sprint from today and a planned next one; Web's support story may escalate to Ops L2's.
 */
export async function opsBoard(browser: Browser, name: string): Promise<OpsBoard> {
	const admin = await createBoard(browser, name, 'Priya');
	const { boardId } = admin;
	const origin = new URL(admin.boardUrl).origin;
	const session = JSON.parse(
		(await admin.page.evaluate((key) => localStorage.getItem(key), sessionKey(boardId)))!
	) as { token: string; personId: string };

	const writer = connect(origin, documentName.board(boardId), session.token);
	await synced(writer);
	const docs = new BoardDocs(boardId, writer.doc);
	const ctx = op.liveContext(session.personId);
	const web = op.createTeam(docs, ctx, { name: 'Web', velocity: 30 }).id;
	const ops = op.createTeam(docs, ctx, { name: 'Ops L2', kind: 'ops', velocity: 20 }).id;
	const story = (input: op.StoryInput) =>
		op.createStory(docs, ctx, { productOwnerIds: [session.personId], ...input }).id;
	const secondLine = story({
		title: 'Second-level production support',
		duration: 'recurring',
		workType: 'ops',
		sla: 'policy',
		teamIds: [ops]
	});
	const support = story({
		title: 'First-level web support',
		duration: 'recurring',
		workType: 'ops',
		sla: 'policy',
		teamIds: [web],
		escalationAllowed: true,
		escalationTargetIds: [secondLine]
	});
	const checkout = story({ title: 'One-click checkout', teamIds: [web] });
	const search = story({ title: 'Search suggestions', teamIds: [web] });
	const today = new Date().toISOString().slice(0, 10);
	const sprint = (teamId: string, sprintName: string, offset: number) =>
		op.planSprint(docs, ctx, {
			teamId,
			name: sprintName,
			start: addDays(today, offset),
			end: addDays(today, offset + 13)
		}).id;
	const sprints = {
		web: sprint(web, 'Web 1', 0),
		webNext: sprint(web, 'Web 2', 14),
		ops: sprint(ops, 'Ops 1', 0),
		opsNext: sprint(ops, 'Ops 2', 14)
	};
	op.startSprint(docs, ctx, sprints.web);
	op.startSprint(docs, ctx, sprints.ops);
	op.commitStory(docs, ctx, sprints.web, checkout, 8);
	op.commitStory(docs, ctx, sprints.web, search, 3);
	op.reserveUnknownWork(docs, ctx, sprints.web, support, 10);
	op.reserveUnknownWork(docs, ctx, sprints.ops, secondLine, 8);

	const written = writtenDoc(writer.doc, BOARD_COLLECTIONS);
	await serverHolds(origin, documentName.board(boardId), session.token, written);
	writer.destroy();

	return {
		admin,
		boardId,
		teams: { web, ops },
		stories: { support, secondLine, checkout, search },
		sprints,
		async join(person, team, role = 'team-member') {
			const response = await admin.page.request.post(`/api/boards/${boardId}/invites`, {
				headers: { authorization: `Bearer ${session.token}` },
				data: { teamId: team === 'web' ? web : ops, role }
			});
			expect(response.status()).toBe(201);
			const { path } = (await response.json()) as { path: string };
			return joinByInvite(browser, `${origin}${path}`, person);
		}
	};
}

/** Opens the Incidents view and the work package titled `title`. */
export async function openIncident(page: Page, title: string): Promise<void> {
	await openView(page, 'Incidents');
	await page
		.getByRole('region', { name: 'Work packages' })
		.getByRole('link', { name: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) })
		.click();
	await expect(page.getByRole('article', { name: `Work package ${title}` })).toBeVisible();
}

export function incident(page: Page, title: string) {
	return page.getByRole('article', { name: `Work package ${title}` });
}
