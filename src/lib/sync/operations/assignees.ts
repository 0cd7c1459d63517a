/**
 * Assigning tasks and work packages. Only a member of the work's team may be assigned (R18):
 * a task's owning team, or one of a work package's teams (src/lib/domain/assignees.ts).
 */
import { assigneeProblem, workPackageTeamIds } from '../../domain/assignees';
import { ScrumOpsError } from '../../domain/errors';
import type { Collection, EntityOf, WorkPackage } from '../../domain/schema';
import type { BoardDocs } from '../board-docs';
import { readStored, transact, type OpContext } from './context';
import { updateEntity } from './entities';

/** Assigns a work package to a member of one of its teams, or to nobody (null). */
export function assignWorkPackage(
	docs: BoardDocs,
	ctx: OpContext,
	workPackageId: string,
	personId: string | null
): WorkPackage {
	return transact(docs.board, ctx, 'assignWorkPackage', () => {
		const workPackages = docs.collection('workPackages');
		const wp = readStored(workPackages, 'workPackages', workPackageId);
		checkAssignee(
			docs,
			personId,
			workPackageTeamIds(wp, (id) => lookup(docs, 'stories', id))
		);
		return updateEntity(workPackages, 'workPackages', workPackageId, { assigneeId: personId });
	});
}

/** Throws the sentence of R18 when `personId` is in none of `teamIds`. */
export function checkAssignee(
	docs: BoardDocs,
	personId: string | null,
	teamIds: readonly string[]
): void {
	const problem = assigneeProblem(personId, teamIds, {
		team: (id) => lookup(docs, 'teams', id),
		person: (id) => lookup(docs, 'people', id)
	});
	if (problem) throw new ScrumOpsError(problem);
}

/** A stored entity, or undefined when it is absent or unreadable. */
export function lookup<C extends Collection & ('teams' | 'people' | 'stories')>(
	docs: BoardDocs,
	collection: C,
	id: string
): EntityOf<C> | undefined {
	if (!docs.collection(collection).has(id)) return undefined;
	try {
		return readStored(docs.collection(collection), collection, id);
	} catch (error) {
		if (error instanceof ScrumOpsError) return undefined;
		throw error;
	}
}
