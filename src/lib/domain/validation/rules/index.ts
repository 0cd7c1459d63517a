/**
 * Every rule check the engine runs: R1–R19, then A1 (role-guarded changes), each described in
 * its section of docs/domain.md.
 */
import type { RuleCheck } from '../context';
import { taskAssigneeInTeam, workPackageAssigneeInTeam } from './assignees';
import { roleGuardedChange } from './authorship';
import { capacitySplit, finiteFitsSprint, overCommitment } from './capacity';
import { acceptedNotDone } from './done';
import { reserveOverrun } from './reserve';
import { reviewOverdue } from './reviews';
import { escalationIsLegal, escalationReturns, slaSurvivesEscalation } from './escalation';
import { teamWriteScope } from './scope';
import { slaStatus, swarmOnSev1 } from './sla';
import { carryOver } from './sprints';
import { multiTeamCoordination, oneProductOwner, singleTeamMeansOne } from './stories';
import { largeScaleRoles, teamSize } from './teams';

export const ALL_CHECKS: readonly RuleCheck[] = [
	overCommitment,
	capacitySplit,
	oneProductOwner,
	singleTeamMeansOne,
	finiteFitsSprint,
	multiTeamCoordination,
	escalationIsLegal,
	slaSurvivesEscalation,
	slaStatus,
	carryOver,
	teamWriteScope,
	largeScaleRoles,
	swarmOnSev1,
	escalationReturns,
	teamSize,
	acceptedNotDone,
	reserveOverrun,
	taskAssigneeInTeam,
	workPackageAssigneeInTeam,
	reviewOverdue,
	roleGuardedChange
];
