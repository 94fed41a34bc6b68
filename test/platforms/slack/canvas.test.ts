import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.ts';
import { createSlackWebClient } from '../../../src/platforms/slack/app.ts';
import { canvasMarkdown } from '../../../src/platforms/slack/canvas-markdown.ts';
import { SlackCanvases } from '../../../src/platforms/slack/canvas.ts';
import type { SlackConfig } from '../../../src/platforms/slack/config.ts';
import { ReportDocumentError } from '../../../src/platforms/report-document-error.ts';
import type { ReportDocumentContent } from '../../../src/platforms/platform.ts';
import type { CompiledReport } from '../../../src/report/compile.ts';
import { CANVAS_MARKDOWN_LIMIT, FakeSlackApi, type FakeSlackOptions } from '../../fakes/slack-api.ts';
import { EXPECTED_MD } from '../../support/golden.ts';
import { VirtualClock } from '../../support/manual-clock.ts';
import { BOT_TOKEN, FAST_RETRIES } from './harness.ts';

const CHANNEL = 'C0000000001';
const REQUEST = { teamId: 'payments-weekly', week: '2024-W23', title: '支付周报 2024-W23', channel: CHANNEL, options: { canvas: true } };

/** The reference report, as the canvas is given it (its Markdown is all the canvas reads). */
function content(markdown = EXPECTED_MD): ReportDocumentContent {
  const report: CompiledReport = { teamId: 'payments-weekly', week: '2024-W23', title: REQUEST.title, created: '2024年6月4日 15:34', sections: [], markdown };
  return { report, charts: [] };
}

let fake: FakeSlackApi | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function canvases(options: Partial<FakeSlackOptions> = {}) {
  const clock = new VirtualClock();
  fake = await FakeSlackApi.start({ token: BOT_TOKEN, channels: [CHANNEL], clock, ...options });
  const config: SlackConfig = { botToken: BOT_TOKEN, apiUrl: fake.apiUrl, transport: { mode: 'http', signingSecret: 'unused-secret' } };
  return { fake, canvases: new SlackCanvases(createSlackWebClient(config, { logger: createLogger('test'), retryConfig: FAST_RETRIES, clock })) };
}

/** What `promise` was rejected with. */
async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a refusal'),
    (error: unknown) => error,
  );
}

describe('SlackCanvases against the fake Web API', () => {
  it('creates a canvas tabbed in the channel, titled with the report, linked as people open it', async () => {
    const { fake, canvases: slack } = await canvases();
    const ref = await slack.create(REQUEST);
    expect(fake.canvases).toEqual([{ id: ref.id, title: REQUEST.title, channel: CHANNEL, markdown: `# ${REQUEST.title}`, edits: 0 }]);
    expect(ref.url).toBe(`https://fake.slack.test/docs/${fake.teamId}/${ref.id}`);
    // auth.test is asked once for the workspace, however many canvases.
    await slack.create({ ...REQUEST, week: '2024-W24' });
    expect(fake.callsTo('auth.test')).toHaveLength(1);
  });

  it('replaces the whole content in place, the report mapped to what canvases take', async () => {
    const { fake, canvases: slack } = await canvases();
    const ref = await slack.create(REQUEST);
    await slack.replace(ref, content());
    await slack.replace(ref, content(`${EXPECTED_MD}\n#### 补充\n`));
    expect(fake.canvases).toHaveLength(1);
    const [canvas] = fake.canvases;
    expect(canvas).toMatchObject({ id: ref.id, edits: 2, markdown: canvasMarkdown(`${EXPECTED_MD}\n#### 补充\n`) });
    expect(canvas!.markdown).toContain('**补充**');
    const edit = fake.callsTo('canvases.edit').at(-1)!;
    expect(edit.args.changes).toEqual([{ operation: 'replace', document_content: { type: 'markdown', markdown: canvas!.markdown } }]);
  });

  it('waits out a 429 (Retry-After) and creates the canvas once', async () => {
    const { fake, canvases: slack } = await canvases();
    fake.rateLimit('canvases.create', { times: 1, retryAfter: 1 });
    await slack.create(REQUEST);
    expect(fake.callsTo('canvases.create').map((c) => c.outcome)).toEqual(['rate_limited', 'ok']);
    expect(fake.canvases).toHaveLength(1);
  });

  it('says which scope is missing when the app lacks canvases:write', async () => {
    const { fake, canvases: slack } = await canvases({ scopes: ['chat:write', 'im:write'] });
    const error = await refusal(slack.create(REQUEST));
    expect(error).toBeInstanceOf(ReportDocumentError);
    expect(error).toMatchObject({ problem: { kind: 'permission', needs: 'canvases:write' }, detail: 'missing_scope' });
    expect(fake.canvases).toEqual([]);
  });

  it('says the workspace does not allow canvases when its plan or admins turned them off', async () => {
    const { canvases: slack } = await canvases({ canvases: 'disabled' });
    expect(await refusal(slack.create(REQUEST))).toMatchObject({ problem: { kind: 'unavailable' }, detail: 'canvas_disabled_user_team' });
  });

  it('names a token of the wrong type, and passes Slack’s other refusals on with their code', async () => {
    const { fake, canvases: slack } = await canvases();
    fake.failNext('canvases.create', 'not_allowed_token_type');
    expect(await refusal(slack.create(REQUEST))).toMatchObject({ problem: { kind: 'permission', needs: expect.stringContaining('canvases:write') } });
    fake.failNext('canvases.create', 'canvas_creation_failed');
    expect(await refusal(slack.create(REQUEST))).toMatchObject({ problem: { kind: 'refused' }, detail: 'canvas_creation_failed' });
    expect(await refusal(slack.replace({ id: 'F000000999', url: 'https://fake.slack.test/docs/x' }, content()))).toMatchObject({
      problem: { kind: 'refused' },
      detail: 'canvas_not_found',
    });
  });

  it('names the channel the app is not in, for the leads to invite it there', async () => {
    const { fake, canvases: slack } = await canvases();
    fake.failNext('canvases.create', 'not_in_channel');
    expect(await refusal(slack.create(REQUEST))).toMatchObject({ problem: { kind: 'no-access', place: CHANNEL }, detail: 'not_in_channel' });
  });

  it('is refused, as by Slack, a report longer than a canvas holds', async () => {
    const { canvases: slack } = await canvases();
    const ref = await slack.create(REQUEST);
    const long = `${EXPECTED_MD}\n${'长'.repeat(CANVAS_MARKDOWN_LIMIT)}`;
    expect(await refusal(slack.replace(ref, content(long)))).toMatchObject({ detail: 'invalid_arguments' });
  });
});
