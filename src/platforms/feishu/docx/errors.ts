import { BotError } from '../../../errors.ts';
import { FeishuApiError, RATE_LIMITED_CODE } from '../rate-limit.ts';

/** Why the week's document could not be written, as the leads are told it. */
export type FeishuDocProblem = 'permission' | 'quota' | 'not-found' | 'rate-limited' | 'other';

/**
 * Feishu's codes by what the leads can do about them. docx: 1770032 forbidden, 1770040 no folder
 * permission, 1770002/1770003 not found or deleted, 1770039 folder not found; wiki: 131006
 * permission denied, 131005 not found; drive: 1061004 forbidden, 1061101 quota exceeded; any API:
 * 99991672/99991679 a scope the app was not granted.
 */
const PROBLEMS: Record<Exclude<FeishuDocProblem, 'rate-limited' | 'other'>, readonly number[]> = {
  permission: [1770032, 1770040, 131006, 1061004, 99991672, 99991679],
  'not-found': [1770002, 1770003, 1770039, 131005],
  quota: [1061101],
};

/** What to do about each, for the leads (with Feishu's own words after it). */
const REMEDIES: Record<FeishuDocProblem, string> = {
  permission:
    'add the bot as a collaborator (can edit) of the folder or wiki space, and check the app has the docx:document, drive:drive and wiki:wiki scopes (docs/feishu.md)',
  'not-found': 'check post.feishu.doc in the team definition: the folder, wiki space or parent node does not exist (or was deleted)',
  quota: "the tenant's cloud storage is full: free some space or ask the Feishu admin for more",
  'rate-limited': 'Feishu kept refusing the calls as too frequent; the next publication tries again',
  other: 'see the bot’s log for the call that failed',
};

/** A Feishu document call that failed, with what kind of failure it was and what to do about it. */
export class FeishuDocError extends BotError {
  override name = 'FeishuDocError';
  readonly remedy: string;
  constructor(
    readonly problem: FeishuDocProblem,
    readonly feishuCode: number | undefined,
    detail: string,
    options?: ErrorOptions,
  ) {
    super('feishu_api', `${detail} — ${REMEDIES[problem]}`, options);
    this.remedy = REMEDIES[problem];
  }
}

export function problemOf(code: number | undefined, httpStatus: number | undefined): FeishuDocProblem {
  if (code === RATE_LIMITED_CODE) return 'rate-limited';
  for (const [problem, codes] of Object.entries(PROBLEMS)) if (code !== undefined && codes.includes(code)) return problem as FeishuDocProblem;
  if (httpStatus === 403) return 'permission';
  if (httpStatus === 404) return 'not-found';
  return 'other';
}

/** Any failure of a document call as a FeishuDocError (an unexpected one as `other`). */
export function asFeishuDocError(error: unknown): FeishuDocError {
  if (error instanceof FeishuDocError) return error;
  if (error instanceof FeishuApiError)
    return new FeishuDocError(problemOf(error.feishuCode, error.httpStatus), error.feishuCode, error.message, { cause: error });
  return new FeishuDocError('other', undefined, error instanceof Error ? error.message : String(error), { cause: error });
}
