import type { BenchOptions } from '../args.ts';
import type { BenchSlackApi } from '../slack-fake.ts';
import type { BenchTeams } from '../teams.ts';

export const BOT_TOKEN = 'xoxb-0000-bench-token';
export const SIGNING_SECRET = 'bench-signing-secret-0123456789';
export const BOT_USER_ID = 'UBOT000001';
export const BOT_ID = 'BBOT000001';

/** What every scenario of one run shares. */
export interface BenchRun {
  options: BenchOptions;
  slack: BenchSlackApi;
  teams: BenchTeams;
  /** MONGODB_URI with this run's own database. */
  mongoUri: string;
  /** Progress lines go to stderr, so that stdout is the table alone. */
  progress(message: string): void;
}
