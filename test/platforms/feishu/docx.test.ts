import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeishuDocs } from '../../../src/platforms/feishu/docx/client.ts';
import { FeishuDocError } from '../../../src/platforms/feishu/docx/errors.ts';
import { FeishuRateLimiter } from '../../../src/platforms/feishu/rate-limit.ts';
import type { ReportDocumentContent, ReportDocumentRequest } from '../../../src/platforms/platform.ts';
import { ReportDocumentError } from '../../../src/platforms/report-document-error.ts';
import type { CompiledReport } from '../../../src/report/compile.ts';
import { DOCX_CODES } from '../../fakes/feishu-docs.ts';
import { FakeFeishuOpenApi } from '../../fakes/feishu-open-api.ts';
import { VirtualClock } from '../../support/manual-clock.ts';

const silent = () => {};
const quiet = { error: silent, warn: silent, info: silent, debug: silent, trace: silent };
const FOLDER = 'fldcnReportsFolder01';
const TITLE = '支付中心周报 2024-W23';
/** The smallest bytes the fake takes for a PNG: the signature and a little. */
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);

const request = (options: object): ReportDocumentRequest => ({ teamId: 'payments-weekly', week: '2024-W23', title: TITLE, channel: 'oc_team', options });
const report = (markdown: string): CompiledReport => ({
  teamId: 'payments-weekly',
  week: '2024-W23',
  title: TITLE,
  created: '2024-06-07',
  sections: [],
  markdown,
});
const content = (markdown: string, charts: ReportDocumentContent['charts'] = []): ReportDocumentContent => ({ report: report(markdown), charts });

describe('FeishuDocs (the week’s report as a docx, against the fake Open API)', () => {
  let fake: FakeFeishuOpenApi;
  let docs: FeishuDocs;
  beforeEach(async () => {
    const clock = new VirtualClock(1_000);
    fake = new FakeFeishuOpenApi({ clock });
    fake.docs.addFolder(FOLDER).addWikiSpace('7034502641455497244', ['wikcnParentNode01']);
    await fake.start();
    const client = new lark.Client({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url, cache: new lark.DefaultCache(), logger: quiet });
    docs = new FeishuDocs(client, { limiter: new FeishuRateLimiter({ clock }), docsBaseUrl: 'https://acme.feishu.cn' });
  });
  afterEach(async () => {
    await fake?.stop();
  });

  it('creates the document in the folder, titled with the report, and links it as Feishu does (its metas’ url)', async () => {
    const ref = await docs.create(request({ folder: FOLDER }));
    const document = fake.docs.document(ref.id);
    expect(document).toMatchObject({ title: TITLE, folder_token: FOLDER });
    expect(ref.url).toBe(`${fake.docs.tenantUrl}/docx/${ref.id}`);
    expect(fake.docs.blocksOf(ref.id)).toEqual([]);
  });

  it('links it on FEISHU_DOCS_URL when Feishu does not say where (no drive metadata scope); the document is made all the same', async () => {
    fake.docs.withoutScope('drive.v1.meta.batch_query', 'drive:drive.metadata:readonly');
    const ref = await docs.create(request({ folder: FOLDER }));
    expect(fake.docs.document(ref.id).title).toBe(TITLE);
    expect(ref.url).toBe(`https://acme.feishu.cn/docx/${ref.id}`);
  });

  it('creates it as a node under the parent in a wiki space, the node’s document as its id and the node in its link', async () => {
    const ref = await docs.create(request({ wikiSpace: '7034502641455497244', parentNode: 'wikcnParentNode01' }));
    const document = fake.docs.document(ref.id);
    expect(document.title).toBe(TITLE);
    expect(document.wiki).toMatchObject({ space_id: '7034502641455497244', parent_node_token: 'wikcnParentNode01' });
    expect(ref.url).toBe(`${fake.docs.tenantUrl}/wiki/${document.wiki!.node_token}`);
  });

  it('fills it with the report converted from Markdown, in order, tables included', async () => {
    const ref = await docs.create(request({ folder: FOLDER }));
    const markdown = [
      '# 支付中心周报',
      '## O1 业务服务',
      '- 完成 **退款** 对账',
      '  - 子项：补单',
      '1. 第一步',
      '',
      '| 指标 | 本周 |',
      '|---|---|',
      '| 成功率 | 99.9% |',
      '',
      '> 风险：无',
      '',
      '结束。',
    ].join('\n');
    await docs.replace(ref, content(markdown));
    expect(fake.docs.documentText(ref.id)).toEqual([
      '支付中心周报',
      'O1 业务服务',
      '完成 退款 对账',
      '子项：补单',
      '第一步',
      '指标',
      '本周',
      '成功率',
      '99.9%',
      '风险：无',
      '结束。',
    ]);
    // The table's read-only merge_info, which convert answers, was not sent back.
    const inserts = fake.callsTo('docx.v1.document_block_descendant.create');
    expect(inserts.every((c) => c.code === 0)).toBe(true);
    expect(JSON.stringify(inserts.map((c) => c.body))).not.toContain('merge_info');
  });

  it('inserts a long report in calls of at most 1,000 blocks, cut between first-level blocks, keeping the order', async () => {
    const ref = await docs.create(request({ folder: FOLDER }));
    // 900 items with a nested item each: 1,800 blocks in 900 first-level trees of two.
    const lines = Array.from({ length: 900 }, (_, i) => `- item ${i}\n  - detail ${i}`);
    await docs.replace(ref, content(lines.join('\n')));
    const inserts = fake.callsTo('docx.v1.document_block_descendant.create');
    expect(inserts.length).toBe(2);
    for (const call of inserts) {
      const body = call.body as { descendants: unknown[]; children_id: string[] };
      expect(call.code).toBe(0);
      expect(body.descendants.length).toBeLessThanOrEqual(1000);
      expect(body.descendants.length).toBe(body.children_id.length * 2);
    }
    expect(fake.docs.documentText(ref.id)).toEqual(Array.from({ length: 900 }, (_, i) => [`item ${i}`, `detail ${i}`]).flat());
  });

  it('replaces the content in place: the same document, only the new report in it', async () => {
    const ref = await docs.create(request({ folder: FOLDER }));
    await docs.replace(ref, content(Array.from({ length: 600 }, (_, i) => `paragraph ${i}`).join('\n\n')));
    await docs.replace(ref, content('# 第二版\n\n只有这一段。'));
    expect(fake.docs.documents.size).toBe(1);
    expect(fake.docs.documentText(ref.id)).toEqual(['第二版', '只有这一段。']);
    // 600 children: listed in two pages, deleted at once.
    const deletes = fake.callsTo('docx.v1.document_block_children.batch_delete');
    expect(deletes.map((c) => c.body)).toEqual([{ start_index: 0, end_index: 600 }]);
    expect(fake.callsTo('docx.v1.document_block_children.get').filter((c) => c.query.page_token).length).toBeGreaterThan(0);
  });

  it('adds each chart under its title as an image block holding the uploaded PNG', async () => {
    const ref = await docs.create(request({ folder: FOLDER }));
    const charts = [
      { filename: 'trend.png', title: '成功率趋势', png: PNG },
      { filename: 'heatmap.png', title: '参与度', png: Buffer.concat([PNG, Buffer.from('second')]) },
    ];
    await docs.replace(ref, content('# 周报', charts));
    const blocks = fake.docs.blocksOf(ref.id);
    expect(fake.docs.documentText(ref.id)).toEqual(['周报', '成功率趋势', '参与度']);
    const images = blocks.filter((b) => b.block_type === 27);
    expect(images.map((b) => (b.content.image as { token: string }).token)).toEqual([...fake.docs.media.keys()]);
    for (const [i, image] of images.entries()) {
      const media = fake.docs.media.get((image.content.image as { token: string }).token)!;
      expect(media).toMatchObject({ parent_type: 'docx_image', parent_node: image.block_id, file_name: charts[i]!.filename, format: 'png' });
      expect(media.content.equals(charts[i]!.png)).toBe(true);
    }
    // Each image follows its title.
    expect(blocks.map((b) => b.block_type)).toEqual([3, 5, 27, 5, 27]);
  });

  it('tells a folder the app is not a collaborator of as a permission problem, with what to do', async () => {
    fake.docs.addFolder('fldcnNotShared0001', 'none');
    const failure = await docs.create(request({ folder: 'fldcnNotShared0001' })).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(FeishuDocError);
    expect(failure).toBeInstanceOf(ReportDocumentError);
    expect(failure).toMatchObject({
      reason: 'no-access',
      feishuCode: DOCX_CODES.noFolderPermission,
      problem: { kind: 'no-access', place: 'fldcnNotShared0001' },
    });
    expect((failure as FeishuDocError).detail).toContain('1770040');
  });

  it('tells a missing scope as a permission problem naming it, a missing folder or space as not found, a full tenant as quota', async () => {
    fake.docs.withoutScope('docx.v1.document.convert', 'docx:document');
    const ref = await docs.create(request({ folder: FOLDER }));
    await expect(docs.replace(ref, content('# x'))).rejects.toMatchObject({
      reason: 'no-scope',
      feishuCode: DOCX_CODES.scopeMissing,
      problem: { kind: 'permission', needs: 'docx:document' },
    });
    await expect(docs.create(request({ folder: 'fldcnNoSuchFolder1' }))).rejects.toMatchObject({ reason: 'not-found', problem: { kind: 'refused' } });
    await expect(docs.create(request({ wikiSpace: '1', parentNode: 'wikcnParentNode01' }))).rejects.toMatchObject({ reason: 'not-found' });
    fake.docs.fillQuota();
    await expect(docs.create(request({ folder: FOLDER }))).rejects.toMatchObject({ reason: 'quota', problem: { kind: 'quota' } });
  });

  it('keeps to Feishu’s 3 calls a second to one document, so that none is refused', async () => {
    const ref = await docs.create(request({ folder: FOLDER }));
    fake.limitPerReceiver(3);
    const charts = Array.from({ length: 4 }, (_, i) => ({ filename: `c${i}.png`, title: `图 ${i}`, png: PNG }));
    await docs.replace(ref, content(Array.from({ length: 1500 }, (_, i) => `段落 ${i}`).join('\n\n'), charts));
    await docs.replace(ref, content('# 第二版', charts));
    const onDocument = fake.calls.filter((c) => c.receiver === ref.id);
    expect(onDocument.length).toBeGreaterThan(10);
    expect(onDocument.filter((c) => c.code !== 0)).toEqual([]);
    expect(fake.docs.documentText(ref.id)).toEqual(['第二版', ...charts.map((c) => c.title)]);
  });

  it('keeps each edit API to Feishu’s 3 calls a second for the app, across documents', async () => {
    const refs = await Promise.all([1, 2, 3].map(() => docs.create(request({ folder: FOLDER }))));
    const long = Array.from({ length: 2500 }, (_, i) => `段落 ${i}`).join('\n\n');
    await Promise.all(refs.map((ref) => docs.replace(ref, content(long))));
    const starts = fake.callsTo('docx.v1.document_block_descendant.create').map((c) => c.at);
    expect(starts.length).toBe(9);
    for (const at of starts) expect(starts.filter((t) => t > at - 1000 && t <= at).length).toBeLessThanOrEqual(3);
    for (const ref of refs) expect(fake.docs.documentText(ref.id)).toHaveLength(2500);
  });

  it('waits out Feishu’s frequency limit on an edit and goes on', async () => {
    const ref = await docs.create(request({ folder: FOLDER }));
    fake.rateLimitStorm(2, { apis: ['docx.v1.document_block_descendant.create'] });
    await docs.replace(ref, content('# 周报\n\n正文'));
    expect(fake.docs.documentText(ref.id)).toEqual(['周报', '正文']);
    expect(fake.callsTo('docx.v1.document_block_descendant.create').map((c) => c.code)).toEqual([99991400, 99991400, 0]);
  });
});
