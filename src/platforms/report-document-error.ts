/**
 * Why a platform could not create or fill the week's report document, in terms the leads can act
 * on; the texts themselves are the handlers' (handlers/texts/messages.ts), in the team's locale.
 */
export type ReportDocumentProblem =
  /** The app lacks a permission (a Slack scope, a Feishu app permission or folder access): `needs` names it. */
  | { kind: 'permission'; needs: string }
  /**
   * The app may not write where the document goes: `place` is the folder, wiki space or channel as
   * the platform names it (`fldcn…`, `C0123…`); the fix is to add the app there (collaborator, member).
   */
  | { kind: 'no-access'; place: string }
  /** The workspace's plan or an admin setting does not allow such documents. */
  | { kind: 'unavailable' }
  /** The workspace or the app is over a quota (storage, documents). */
  | { kind: 'quota' }
  /** Anything else the platform refused. */
  | { kind: 'refused' };

/**
 * What a ReportDocuments implementation throws for a refusal the leads should hear about:
 * `detail` is the platform's own error (`missing_scope`, `99991672 …`), quoted to them as the why.
 */
export class ReportDocumentError extends Error {
  constructor(
    readonly problem: ReportDocumentProblem,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`report document refused (${problem.kind}): ${detail}`, options);
    this.name = 'ReportDocumentError';
  }
}
