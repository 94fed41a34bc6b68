import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DOCX_CODES, MEDIA_LIMIT_BYTES } from '../../fakes/feishu-docs.ts';
import { FakeFeishuOpenApi } from '../../fakes/feishu-open-api.ts';

const silent = () => {};
const quiet = { error: silent, warn: silent, info: silent, debug: silent, trace: silent };
const text = (id: string, content: string) => ({ block_id: id, block_type: 2, children: [], text: { elements: [{ text_run: { content } }] } });

/** The fake refuses what Feishu refuses, so a payload the real API would reject fails the tests. */
describe('the fake Open API’s docx endpoints', () => {
  let fake: FakeFeishuOpenApi;
  let client: lark.Client;
  let documentId: string;
  /** Feishu's code for a call, whether the SDK resolved it or threw it (HTTP 4xx). */
  const codeOf = async (call: Promise<{ code?: number } | null>) => {
    try {
      return (await call)?.code ?? 0;
    } catch (error) {
      return (error as { response?: { data?: { code?: number } } }).response?.data?.code;
    }
  };
  const descendants = (data: { children_id: string[]; descendants: unknown[]; index?: number }) =>
    codeOf(client.docx.v1.documentBlockDescendant.create({ path: { document_id: documentId, block_id: documentId }, data: data as never }));

  beforeEach(async () => {
    fake = new FakeFeishuOpenApi();
    fake.docs.addFolder('fldcnFolder0001');
    await fake.start();
    client = new lark.Client({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url, cache: new lark.DefaultCache(), logger: quiet });
    const created = await client.docx.v1.document.create({ data: { title: 'W23', folder_token: 'fldcnFolder0001' } });
    documentId = created.data!.document!.document_id!;
  });
  afterEach(async () => {
    await fake?.stop();
  });

  it('takes at most 1,000 blocks a descendant call', async () => {
    const blocks = Array.from({ length: 1001 }, (_, i) => text(`t${i}`, `p${i}`));
    expect(await descendants({ children_id: blocks.map((b) => b.block_id), descendants: blocks })).toBe(DOCX_CODES.invalidParam);
    expect(await descendants({ children_id: blocks.slice(0, 1000).map((b) => b.block_id), descendants: blocks.slice(0, 1000) })).toBe(0);
    expect(fake.docs.documentText(documentId)).toHaveLength(1000);
  });

  it('refuses children_id that are not the top blocks of descendants', async () => {
    const parent = { ...text('a', 'parent'), block_type: 12, bullet: { elements: [] }, children: ['b'] };
    expect(await descendants({ children_id: ['a', 'b'], descendants: [parent, text('b', 'child')] })).toBe(DOCX_CODES.parentChildrenMismatch);
    expect(await descendants({ children_id: ['a'], descendants: [parent] })).toBe(DOCX_CODES.parentChildrenMismatch);
    expect(fake.docs.blocksOf(documentId)).toEqual([]);
  });

  it('refuses unknown block types, a table’s read-only merge_info, a table cell without a child', async () => {
    expect(await descendants({ children_id: ['x'], descendants: [{ block_id: 'x', block_type: 99, children: [] }] })).toBe(DOCX_CODES.invalidParam);
    const table = (property: object, cellChildren: string[]) => [
      { block_id: 't', block_type: 31, children: ['c'], table: { property } },
      { block_id: 'c', block_type: 32, children: cellChildren, table_cell: {} },
      ...cellChildren.map((id) => text(id, 'cell')),
    ];
    expect(
      await descendants({ children_id: ['t'], descendants: table({ row_size: 1, column_size: 1, merge_info: [{ row_span: 1, col_span: 1 }] }, ['p']) }),
    ).toBe(DOCX_CODES.invalidParam);
    expect(await descendants({ children_id: ['t'], descendants: table({ row_size: 1, column_size: 1 }, []) })).toBe(DOCX_CODES.parentChildrenMismatch);
    expect(await descendants({ children_id: ['t'], descendants: table({ row_size: 1, column_size: 1 }, ['p']) })).toBe(0);
  });

  it('takes media up to 20 MB, for an image block only', async () => {
    const created = await client.docx.v1.documentBlockDescendant.create({
      path: { document_id: documentId, block_id: documentId },
      data: { children_id: ['i'], descendants: [{ block_id: 'i', block_type: 27, children: [], image: {} }] as never },
    });
    const image = created.data!.block_id_relations![0]!.block_id!;
    const upload = (file: Buffer, parentNode: string) =>
      codeOf(
        client.drive.v1.media
          .uploadAll({ data: { file_name: 'c.png', parent_type: 'docx_image', parent_node: parentNode, size: file.length, file } })
          .then(() => null),
      );
    const big = Buffer.alloc(MEDIA_LIMIT_BYTES + 1, 1);
    expect(await upload(big, image)).toBe(DOCX_CODES.mediaTooBig);
    expect(await upload(Buffer.from('png'), documentId)).toBe(DOCX_CODES.mediaParams);
    expect(await upload(Buffer.from('png'), image)).toBe(0);
  });

  it('refuses a missing scope and throttles when told, with Feishu’s codes', async () => {
    fake.docs.withoutScope('docx.v1.document.create', 'docx:document');
    expect(await codeOf(client.docx.v1.document.create({ data: { title: 'W24', folder_token: 'fldcnFolder0001' } }))).toBe(DOCX_CODES.scopeMissing);
    fake.rateLimitStorm(1, { apis: ['docx.v1.document.convert'] });
    expect(await codeOf(client.docx.v1.document.convert({ data: { content_type: 'markdown', content: '# x' } }))).toBe(99991400);
    expect(await codeOf(client.docx.v1.document.convert({ data: { content_type: 'markdown', content: '# x' } }))).toBe(0);
  });
});
