import { ReportDocumentError, type ReportDocumentProblem } from '../../report-document-error.ts';
import { FeishuApiError, RATE_LIMITED_CODE } from '../rate-limit.ts';
import type { FeishuDocOptions } from './options.ts';

/** What kind of failure a document call had, finer than what the leads are told (ReportDocumentProblem). */
export type FeishuDocReason = 'no-access' | 'no-scope' | 'quota' | 'not-found' | 'rate-limited' | 'other';

/**
 * Feishu's codes by what the leads can do about them. docx: 1770032 forbidden, 1770040 no folder
 * permission, 1770002/1770003 not found or deleted, 1770039 folder not found; wiki: 131006
 * permission denied, 131005 not found; drive: 1061004 forbidden, 1061101 quota exceeded; any API:
 * 99991672/99991679 a scope the app (or the user) was not granted.
 */
const REASONS: Record<Exclude<FeishuDocReason, 'rate-limited' | 'other'>, readonly number[]> = {
  'no-access': [1770032, 1770040, 131006, 1061004],
  'no-scope': [99991672, 99991679],
  'not-found': [1770002, 1770003, 1770039, 131005],
  quota: [1061101],
};

/** The scopes the document calls need, when Feishu's answer does not name them. */
const SCOPES = 'docx:document, drive:drive, wiki:wiki';

/** A Feishu document call that failed, as the hook tells the leads (a ReportDocumentError), with Feishu's code. */
export class FeishuDocError extends ReportDocumentError {
  constructor(
    readonly reason: FeishuDocReason,
    readonly feishuCode: number | undefined,
    problem: ReportDocumentProblem,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(problem, detail, options);
    this.name = 'FeishuDocError';
  }
}

export function reasonOf(code: number | undefined, httpStatus: number | undefined): FeishuDocReason {
  if (code === RATE_LIMITED_CODE) return 'rate-limited';
  for (const [reason, codes] of Object.entries(REASONS)) if (code !== undefined && codes.includes(code)) return reason as FeishuDocReason;
  if (httpStatus === 403) return 'no-access';
  if (httpStatus === 404) return 'not-found';
  return 'other';
}

/**
 * Any failure of a document call as a FeishuDocError whose `detail` is Feishu's code and words and,
 * where the leads can fix it, what to do. `where`: the team's options, when the call was about them.
 * (Texts are quoted to the leads in either locale: the fix is said in Feishu's own terms.)
 */
export function asFeishuDocError(error: unknown, where?: FeishuDocOptions): FeishuDocError {
  if (error instanceof FeishuDocError) return error;
  if (!(error instanceof FeishuApiError)) {
    return new FeishuDocError('other', undefined, { kind: 'refused' }, error instanceof Error ? error.message : String(error), { cause: error });
  }
  const reason = reasonOf(error.feishuCode, error.httpStatus);
  const said = `${error.api}: ${error.feishuCode ?? error.httpStatus ?? ''} ${feishuWords(error)}`.trim();
  const place = where ? ('folder' in where ? where.folder : where.wikiSpace) : 'post.feishu.doc';
  switch (reason) {
    case 'no-access':
      return new FeishuDocError(reason, error.feishuCode, { kind: 'no-access', place }, said, {
        cause: error,
      });
    case 'no-scope':
      return new FeishuDocError(reason, error.feishuCode, { kind: 'permission', needs: scopesIn(error.message) ?? SCOPES }, said, { cause: error });
    case 'quota':
      return new FeishuDocError(reason, error.feishuCode, { kind: 'quota' }, said, { cause: error });
    case 'not-found':
      return new FeishuDocError(reason, error.feishuCode, { kind: 'refused' }, `${said}; check post.feishu.doc (${place})`, { cause: error });
    default:
      return new FeishuDocError(reason, error.feishuCode, { kind: 'refused' }, said, { cause: error });
  }
}

/** Feishu's message, without the "Feishu <api> failed with code …:" the FeishuApiError put before it. */
function feishuWords(error: FeishuApiError): string {
  return error.message.replace(/^Feishu \S+ failed[^:]*: /, '');
}

/** The scopes a 99991672 answer names: "One of the following scopes is required: [docx:document, …]". */
function scopesIn(message: string): string | null {
  return /scopes? (?:is |are )?required: ?\[([^\]]+)\]/i.exec(message)?.[1]?.trim() ?? null;
}
