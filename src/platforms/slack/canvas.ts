import type { webApi } from '@slack/bolt';
import type { ReportDocumentContent, ReportDocumentRef, ReportDocumentRequest, ReportDocuments } from '../platform.ts';
import { ReportDocumentError, type ReportDocumentProblem } from '../report-document-error.ts';
import { canvasMarkdown } from './canvas-markdown.ts';
import { platformError } from './platform-error.ts';

/** The scope canvases.create and canvases.edit need on the bot token. */
export const CANVAS_SCOPE = 'canvases:write';

/**
 * The week's report as a Slack canvas, tabbed in the report channel (`post.slack.canvas: true`):
 * canvases.create (Tier 2) titled with the report's title, then its whole content replaced with
 * canvases.edit (Tier 3, one `replace` of the document). Calls go through the runtime's WebClient,
 * so they are paced and their 429s waited out (Retry-After) as every other call is (pacing.ts).
 *
 * The chart is not drawn in the canvas: canvases show images only as unfurls of files shared in
 * Slack, and the digest's thread already has it.
 */
export class SlackCanvases implements ReportDocuments {
  readonly label = 'Slack canvas';
  /** auth.test's workspace URL and team id, for the canvas link: asked once (a failure is asked again). */
  private workspace: Promise<{ url: string; teamId: string }> | undefined;

  constructor(private readonly client: webApi.WebClient) {}

  async create(request: ReportDocumentRequest): Promise<ReportDocumentRef> {
    const result = await refusals(
      () =>
        this.client.canvases.create({
          title: request.title,
          channel_id: request.channel,
          // Until the publication fills it (replace): the title, so that nobody opens a blank tab meanwhile.
          document_content: { type: 'markdown', markdown: canvasMarkdown(`# ${request.title}`) },
        }),
      request.channel,
    );
    if (!result.canvas_id) throw new Error('canvases.create returned no canvas_id');
    return { id: result.canvas_id, url: canvasUrl(await this.workspaceOf(), result.canvas_id) };
  }

  async replace(ref: ReportDocumentRef, content: ReportDocumentContent): Promise<void> {
    await refusals(
      () =>
        this.client.canvases.edit({
          canvas_id: ref.id,
          changes: [{ operation: 'replace', document_content: { type: 'markdown', markdown: canvasMarkdown(content.report.markdown) } }],
        }),
      ref.id,
    );
  }

  private workspaceOf(): Promise<{ url: string; teamId: string }> {
    this.workspace ??= this.client.auth.test().then((auth) => {
      if (!auth.url || !auth.team_id) throw new Error('auth.test returned no workspace url or team id');
      return { url: auth.url, teamId: auth.team_id };
    });
    this.workspace.catch(() => (this.workspace = undefined));
    return this.workspace;
  }
}

/** The canvas as people open it: `https://<workspace>.slack.com/docs/<TEAM_ID>/<CANVAS_ID>`. */
export function canvasUrl(workspace: { url: string; teamId: string }, canvasId: string): string {
  const base = workspace.url.endsWith('/') ? workspace.url : `${workspace.url}/`;
  return `${base}docs/${encodeURIComponent(workspace.teamId)}/${encodeURIComponent(canvasId)}`;
}

/** Runs a canvases call, turning the refusals the leads can act on into ReportDocumentErrors; `place`: the channel or canvas it writes to. */
async function refusals<T>(call: () => Promise<T>, place: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const code = platformError(error);
    const problem = code === undefined ? undefined : canvasProblem(code, error, place);
    if (!problem) throw error;
    throw new ReportDocumentError(problem, code!, { cause: error });
  }
}

/** Slack's canvas errors (canvases.create, canvases.edit) as what the leads can do about them. */
export function canvasProblem(code: string, error: unknown, place: string): ReportDocumentProblem {
  switch (code) {
    case 'missing_scope': {
      const needed = (error as { data?: { needed?: unknown } } | undefined)?.data?.needed;
      return { kind: 'permission', needs: typeof needed === 'string' && needed ? needed : CANVAS_SCOPE };
    }
    // A user or app-level token where the bot token belongs (canvases are the bot's).
    case 'not_allowed_token_type':
      return { kind: 'permission', needs: `${CANVAS_SCOPE} (xoxb-)` };
    case 'not_in_channel':
    case 'channel_not_found':
      return { kind: 'no-access', place };
    // The plan or an admin: canvases off for the workspace, or not on its tier.
    case 'canvas_disabled_user_team':
    case 'team_tier_cannot_create_canvases':
    case 'team_tier_cannot_create_channel_canvases':
    case 'free_teams_cannot_create_standalone_canvases':
    case 'free_teams_cannot_edit_standalone_canvases':
    case 'free_team_canvas_tab_already_exists':
    case 'restricted_action':
      return { kind: 'unavailable' };
    default:
      return { kind: 'refused' };
  }
}
