/**
 * What the server says about the parts of a board that break its document contract
 * (docs/schema.md): the entities every reader ignores, the stored parts the admin's Repair board
 * removes, and what a repair removed. One schema per answer, shared by the server that sends it
 * and the page that reads it.
 */
import { z } from 'zod';

/** Most parts one answer lists; the totals say how many there are. */
export const REPORT_MAX_PARTS = 1_000;

/** The audit intent of a repair (docs/schema.md, D11), recorded with the admin as its author. */
export const REPAIR_INTENT = 'repairBoard';

/** An entity readers ignore, as `collection/id` (`meta/board`, `authorship/<key>`), and why. */
export const RejectedEntity = z.object({ key: z.string(), reason: z.string() });
export type RejectedEntity = z.infer<typeof RejectedEntity>;

/**
 * A part of a stored document that breaks the contract: the document's name (`<board>` or
 * `<board>/team/<team>`), where in it (`stories/s-1/estimates`), and what is wrong there.
 */
export const ContractBreach = z.object({
	document: z.string(),
	path: z.string(),
	problem: z.string()
});
export type ContractBreach = z.infer<typeof ContractBreach>;

/** `GET /api/boards/:id/rejected`. */
export const RejectedReport = z.object({
	/** What the server's readers ignore (their `rejected` list), sorted by key. */
	rejected: z.array(RejectedEntity).max(REPORT_MAX_PARTS),
	/** What Repair board would remove, by document and path. */
	violations: z.array(ContractBreach).max(REPORT_MAX_PARTS),
	total: z.object({
		rejected: z.number().int().nonnegative(),
		violations: z.number().int().nonnegative()
	})
});
export type RejectedReport = z.infer<typeof RejectedReport>;

/** `POST /api/boards/:id/repair`. */
export const RepairReport = z.object({
	removed: z.array(ContractBreach).max(REPORT_MAX_PARTS),
	total: z.number().int().nonnegative()
});
export type RepairReport = z.infer<typeof RepairReport>;
