/**
 * Every user intent as a typed operation. Each runs as one transaction per document it writes,
 * labelled with a TransactionOrigin, and throws a ScrumOpsError (writing nothing) on bad input.
 */
export * from './board';
export * from './backlog';
export * from './proposals';
export * from './sprints';
export * from './work';
export * from './tasks';
export * from './ceremonies';
export * from './standup';
export * from './comments';
export * from './assignees';
export * from './incident-roles';
export * from './incident-review';
export * from './change-requests';
export * from './people';
export * from './value';
export * from './done';
export * from './alerts';
export * from './retrospective';
export { appendTimeline } from './timeline';
export { inScope, liveContext, onSharedClock, type OpContext } from './context';
export { holdingStoryId } from '../../domain/escalation';
export * from './jira';
