/**
 * Work from alerts: a group of firing alerts opens one work package from its severity's
 * template, and later notifications of the group update what it says about the alert.
 */
import { ScrumOpsError } from '../../domain/errors';
import type { Severity, Template, WorkPackage, WorkPackageAlert } from '../../domain/schema';
import type { BoardDocs } from '../board-docs';
import { readStored, transact, type OpContext } from './context';
import { updateEntity } from './entities';
import { completeWorkPackage, createWorkPackage, createWorkPackageFromTemplate } from './work';

export interface AlertWorkInput {
	/** The id the alert group claimed for its work package. */
	workPackageId: string;
	storyId: string;
	severity: Severity;
	title: string;
	/** When the first alert of the group started: the SLA clock runs from here. */
	startedAt: string;
	alert: WorkPackageAlert;
}

/**
 * Opens the work package of an alert group under its story, from the incident template of its
 * severity, with the template's tasks owned by the story's first team (no tasks when the story
 * has no team or the board no such template). Created, and its SLA deadline fixed, at `startedAt`.
 */
export function openAlertWorkPackage(
	docs: BoardDocs,
	ctx: OpContext,
	input: AlertWorkInput
): WorkPackage {
	const story = readStored(docs.collection('stories'), 'stories', input.storyId);
	const since: OpContext = {
		actorId: ctx.actorId,
		now: () => input.startedAt,
		newId: () => ctx.newId()
	};
	const template = templateFor(docs, input.severity);
	const teamId = [...story.teamIds].sort().find((id) => docs.collection('teams').has(id));
	if (template && teamId) {
		return createWorkPackageFromTemplate(docs, since, {
			templateId: template.id,
			storyId: story.id,
			teamId,
			title: input.title,
			severity: input.severity,
			workPackageId: input.workPackageId,
			alert: input.alert
		}).workPackage;
	}
	return createWorkPackage(docs, since, {
		id: input.workPackageId,
		storyId: story.id,
		title: input.title,
		category: template?.category ?? 'incident',
		severity: input.severity,
		alert: input.alert
	});
}

/** The board's template for a severity: an incident one first, then by name. */
function templateFor(docs: BoardDocs, severity: Severity): Template | null {
	const templates: Template[] = [];
	docs.collection('templates').forEach((_, id) => {
		try {
			templates.push(readStored(docs.collection('templates'), 'templates', id));
		} catch {
			// A damaged template is listed as rejected elsewhere; another one serves.
		}
	});
	const candidates = templates
		.filter((template) => template.defaultSeverity === severity)
		.sort(
			(a, b) =>
				Number(b.category === 'incident') - Number(a.category === 'incident') ||
				a.name.localeCompare(b.name) ||
				(a.id < b.id ? -1 : 1)
		);
	return candidates[0] ?? null;
}

/** Writes what Alertmanager says now about the alert of an open work package. */
export function noteAlert(
	docs: BoardDocs,
	ctx: OpContext,
	workPackageId: string,
	alert: WorkPackageAlert
): WorkPackage {
	return transact(docs.board, ctx, 'noteAlert', () =>
		updateEntity(docs.collection('workPackages'), 'workPackages', workPackageId, { alert })
	);
}

/**
 * Completes the work package of a resolved alert, with its open tasks, when the integration
 * says resolution completes the work; false (nothing changed) when it cannot be completed now,
 * e.g. while it is escalated to another team.
 */
export function completeResolvedAlert(
	docs: BoardDocs,
	ctx: OpContext,
	workPackageId: string
): boolean {
	try {
		completeWorkPackage(docs, ctx, workPackageId, {
			openTasks: 'complete',
			teamIds: [...docs.collection('teams').keys()]
		});
		return true;
	} catch (error) {
		if (error instanceof ScrumOpsError) return false;
		throw error;
	}
}
