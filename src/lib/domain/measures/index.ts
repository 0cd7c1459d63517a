/** The board's measures: see compute.ts, and docs/domain.md#measures for what each one means. */
export * from './compute';
export * from './definitions';
export * from './incremental';
export * from './stats';
export * from './value';
