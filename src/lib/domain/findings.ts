/**
 * What the validation engine reports: a rule id (docs/domain.md), a severity, a sentence a Scrum
 * Master understands (with the numbers), and the objects involved.
 */
import { z } from 'zod';

export const RULE_IDS = [
	'R1',
	'R2',
	'R3',
	'R4',
	'R5',
	'R6',
	'R7',
	'R8',
	'R9',
	'R10',
	'R11',
	'R12',
	'R13',
	'R14',
	'R15',
	'R16',
	'R17',
	'R18',
	'R19',
	'A1'
] as const;
export const FINDING_SEVERITIES = ['error', 'warning', 'info'] as const;
export const REF_KINDS = [
	'board',
	'person',
	'team',
	'epic',
	'story',
	'workPackage',
	'task',
	'template',
	'sprint'
] as const;

export const RuleId = z.enum(RULE_IDS);
export const FindingSeverity = z.enum(FINDING_SEVERITIES);
export const Ref = z.object({ kind: z.enum(REF_KINDS), id: z.string().min(1).max(64) });
export const Finding = z.object({
	rule: RuleId,
	severity: FindingSeverity,
	message: z.string().min(1).max(2000),
	refs: z.array(Ref).max(100)
});

export type RuleId = z.infer<typeof RuleId>;
export type FindingSeverity = z.infer<typeof FindingSeverity>;
export type RefKind = z.infer<typeof Ref>['kind'];
export type Ref = z.infer<typeof Ref>;
export type Finding = z.infer<typeof Finding>;

/**
 * Where each family of rules starts when sorted: the domain rules R… of docs/domain.md, then the
 * authorship rules A… (role-guarded changes) after every one of them.
 */
const RULE_FAMILY_OFFSET = { R: 0, A: 100 } as const;

/** R1 → 1, A1 → 101: rules sort by family, then by number, not by string ("R10" after "R9"). */
export function ruleNumber(rule: RuleId): number {
	const family = rule.charAt(0) as keyof typeof RULE_FAMILY_OFFSET;
	return RULE_FAMILY_OFFSET[family] + Number(rule.slice(1));
}
