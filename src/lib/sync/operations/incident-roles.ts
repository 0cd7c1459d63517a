/**
 * An incident run by roles: a commander who leads the swarm and tells stakeholders where it
 * stands, a communications lead who may speak for them, and responders (everyone else on the
 * swarm). Status updates go into the work package's `statusUpdates` (docs/schema.md, D6.6).
 */
import * as Y from 'yjs';
import { ScrumOpsError, parseInput } from '../../domain/errors';
import { Id, StatusUpdate, type IncidentState } from '../../domain/schema';
import type { BoardDocs } from '../board-docs';
import { entityToYMap, setMembership } from '../codec';
import { readStored, storedMap, transact, type OpContext } from './context';

export const INCIDENT_ROLES = { commander: 'commanderId', comms: 'commsLeadId' } as const;
export type IncidentRole = keyof typeof INCIDENT_ROLES;

/**
 * Gives `role` to `personId` (null: nobody). Someone given a role joins the swarm if they are not
 * on it: a commander is part of the response.
 */
export function setIncidentRole(
	docs: BoardDocs,
	ctx: OpContext,
	workPackageId: string,
	role: IncidentRole,
	personId: string | null
): void {
	if (personId !== null) {
		parseInput(Id, personId, 'person id');
		if (!docs.collection('people').has(personId)) {
			throw new ScrumOpsError(`No person with id "${personId}" on this board.`);
		}
	}
	const wp = readStored(docs.collection('workPackages'), 'workPackages', workPackageId);
	if (wp.status !== 'open') {
		throw new ScrumOpsError(`"${wp.title}" is done; reopen it to change who runs it.`);
	}
	transact(docs.board, ctx, 'setIncidentRole', () => {
		const map = storedMap(docs.collection('workPackages'), 'workPackages', workPackageId);
		map.set(INCIDENT_ROLES[role], personId);
		if (personId !== null && !wp.swarm.includes(personId)) {
			setMembership(map, 'swarm', personId, true, ctx.now());
		}
	});
}

/**
 * Posts a status update: where the incident stands and a sentence for stakeholders. Only its
 * commander or communications lead speaks for the swarm.
 */
export function postStatusUpdate(
	docs: BoardDocs,
	ctx: OpContext,
	workPackageId: string,
	input: { state: IncidentState; text: string }
): StatusUpdate {
	const wp = readStored(docs.collection('workPackages'), 'workPackages', workPackageId);
	if (wp.commanderId === null) {
		throw new ScrumOpsError(
			`Name an incident commander for "${wp.title}" first: the commander posts its status updates.`
		);
	}
	if (ctx.actorId === null || ![wp.commanderId, wp.commsLeadId].includes(ctx.actorId)) {
		throw new ScrumOpsError(
			`Only the incident commander or the communications lead posts status updates for "${wp.title}".`
		);
	}
	const update = parseInput(
		StatusUpdate,
		{ at: ctx.now(), personId: ctx.actorId, state: input.state, text: input.text },
		'status update'
	);
	transact(docs.board, ctx, 'postStatusUpdate', () => {
		const map = storedMap(docs.collection('workPackages'), 'workPackages', workPackageId);
		let updates = map.get('statusUpdates');
		if (!(updates instanceof Y.Array)) map.set('statusUpdates', (updates = new Y.Array()));
		(updates as Y.Array<Y.Map<unknown>>).push([entityToYMap(update, {})]);
	});
	return update;
}
