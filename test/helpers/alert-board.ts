/**
 * A board ready for alert intake: an admin, an Ops team, a recurring "Production support" story
 * with SLA (the default route) and a recurring "Payments support" story (a rule's route), and an
 * integration whose token Alertmanager (or a test) sends.
 */
import { expect } from 'vitest';
import type { WorkPackage } from '../../src/lib/domain/schema';
import * as op from '../../src/lib/sync/operations';
import { callApi } from './api';
import { BoardClient } from './board-client';
import { roundTrip, type TestServer } from './server';

export interface AlertBoard {
	boardId: string;
	adminToken: string;
	admin: BoardClient;
	teamId: string;
	supportStoryId: string;
	paymentsStoryId: string;
	/** The work packages the admin's board shows now. */
	workPackages(): WorkPackage[];
}

/** A server or one instance of a cluster. */
type Server = Pick<TestServer, 'httpUrl' | 'syncUrl'>;

export async function alertBoard(server: Server): Promise<AlertBoard> {
	const created = await callApi(server.httpUrl, 'POST', '/api/boards', {
		body: { name: 'Acme', adminName: 'Alice' }
	});
	expect(created.status).toBe(201);
	const { boardId, personId, token } = created.body as {
		boardId: string;
		personId: string;
		token: string;
	};
	const admin = BoardClient.withToken(server, boardId, token);
	await admin.synced();
	const ctx = op.liveContext(personId);
	const team = op.createTeam(admin.docs, ctx, { name: 'Ops', velocity: 20 });
	const recurring = {
		duration: 'recurring' as const,
		workType: 'ops' as const,
		sla: 'policy' as const,
		teamIds: [team.id]
	};
	const support = op.createStory(admin.docs, ctx, { title: 'Production support', ...recurring });
	const payments = op.createStory(admin.docs, ctx, { title: 'Payments support', ...recurring });
	await roundTrip(admin.providers[0]!);
	return {
		boardId,
		adminToken: token,
		admin,
		teamId: team.id,
		supportStoryId: support.id,
		paymentsStoryId: payments.id,
		workPackages: () => [...admin.projection.state.workPackages.values()]
	};
}

/** Creates an integration as the board's admin; its id, token and intake path. */
export async function createIntegration(
	server: Server,
	board: AlertBoard,
	body: Record<string, unknown> = {}
): Promise<{ id: string; token: string; url: string }> {
	const answer = await callApi(
		server.httpUrl,
		'POST',
		`/api/boards/${board.boardId}/integrations`,
		{
			token: board.adminToken,
			body: { name: 'Prometheus production', defaultStoryId: board.supportStoryId, ...body }
		}
	);
	expect(answer.status, JSON.stringify(answer.body)).toBe(201);
	return answer.body as { id: string; token: string; url: string };
}
