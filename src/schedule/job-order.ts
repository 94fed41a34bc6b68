import type { JobRunKey } from '../store/store.ts';

export type JobName = JobRunKey['job'];

/** A team's weekly jobs, in the order they come in its week (a week is opened before anyone is reminded). */
export const JOB_ORDER: readonly JobName[] = ['open', 'remind', 'publish'];
