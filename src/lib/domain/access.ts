/**
 * Who writes what on a board. Everyone on a board reads everything. A person whose only role is
 * stakeholder writes nothing. Everyone else writes the board document (backlog, sprints, work
 * packages…), and a team's tasks document only when they are a member of that team (R11,
 * docs/domain.md#r11-team-write-scope). The server decides every connection with this rule, and
 * the screens use the same rule to offer only the edits the server will keep.
 */
import type { Role } from './schema';

/** True when every role of the person is stakeholder: they read the board and write nothing. */
export function isReadOnly(roles: readonly Role[]): boolean {
	return roles.length > 0 && roles.every((role) => role === 'stakeholder');
}

/** Who is asking: their roles and the teams they belong to. */
export interface Writer {
	readonly roles: readonly Role[];
	readonly teams: readonly string[];
}

/**
 * May a person change the board's settings (name, vision, goals, SLA policy, ops share, time
 * zone)? Only the board's admin, whoever created it: the server refuses anyone else's change.
 */
export function canChangeSettings(person: { readonly admin: boolean }): boolean {
	return person.admin;
}

/**
 * A document of the board: the board document (`teamId` null), one team's tasks document, or
 * a person's own document (`personId`), which only that person opens.
 */
export interface WrittenDocument {
	readonly teamId: string | null;
	readonly personId?: string | null;
}

/**
 * May `person` write `document`? The board document: anyone not read-only. A team's tasks
 * document: only a member of that team who is not read-only (R11).
 */
export function canWrite(person: Writer, document: WrittenDocument): boolean {
	// Their own document: a stakeholder dismisses notifications too (the server lets nobody else in).
	if (document.personId != null) return true;
	if (isReadOnly(person.roles)) return false;
	return document.teamId === null || person.teams.includes(document.teamId);
}

/**
 * May a person with `roles` accept or reject stories in a Sprint Review? The Product Owner, or
 * the Chief Product Owner of a large-scale board (docs/domain.md#roles).
 */
export function canReview(roles: readonly Role[]): boolean {
	return roles.some((role) => role === 'product-owner' || role === 'chief-product-owner');
}

/** Who decides: the person's id and the roles their signed session carries. */
export interface Decider {
	readonly id: string;
	readonly roles: readonly Role[];
}

/**
 * Does `person` decide for `story`: move it in the backlog, accept or reject it at the review?
 * A Chief Product Owner decides for every story; a Product Owner for the stories they own, and
 * for a story nobody owns yet (someone has to). Everyone else may propose (A1,
 * docs/domain.md#a1-role-guarded-change).
 */
export function decidesFor(
	person: Decider,
	story: { readonly productOwnerIds: readonly string[] }
): boolean {
	if (person.roles.includes('chief-product-owner')) return true;
	if (!person.roles.includes('product-owner')) return false;
	return story.productOwnerIds.length === 0 || story.productOwnerIds.includes(person.id);
}

/** Why a person who does not decide for a story is not the one to move or review it. */
export function notDecider(story: { readonly title: string }): string {
	return `Only the Product Owner of "${story.title}" (or a Chief Product Owner) changes its priority or reviews it; open it to propose a move instead.`;
}
