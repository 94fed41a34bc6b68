import * as lark from '@larksuiteoapi/node-sdk';
import type { ReportDocumentContent, ReportDocumentRef, ReportDocumentRequest, ReportDocuments } from '../../platform.ts';
import { FeishuApiError, type FeishuRateLimiter } from '../rate-limit.ts';
import { chartBlocks, descendantBatches, insertableBlocks, type DescendantBatch, type DocBlock } from './blocks.ts';
import { asFeishuDocError, FeishuDocError } from './errors.ts';
import { FeishuDocOptions } from './options.ts';

/**
 * Feishu takes 3 calls a second to one document; a little under, as for users and chats, for calls
 * that reach Feishu closer together than they were started.
 */
const DOCUMENT_QPS = 2.8;
/** docx children pages: Feishu's largest. */
const CHILDREN_PAGE_SIZE = 500;

export interface FeishuDocsOptions {
  limiter: FeishuRateLimiter;
  /** Where people open documents: `https://<tenant>.feishu.cn` (FEISHU_DOCS_URL); links are `<base>/docx/<id>`, `<base>/wiki/<node>`. */
  docsBaseUrl: string;
}

/**
 * The week's report as a Feishu document (docx), through the SDK's Client, paced by the same rate
 * limiter as every other call (charged to the document: Feishu limits edits per document).
 *
 * Created in a drive folder (docx.v1.document.create) or as a node of a wiki space
 * (wiki.v2.spaceNode.create, whose `obj_token` is the document). Replaced by deleting every block
 * under the root, converting the report's Markdown (docx.v1.document.convert) and inserting the
 * blocks (documentBlockDescendant.create, ≤ 1,000 a call, in order by `index`); each chart is an
 * image block whose PNG is uploaded for it (drive.v1.media.uploadAll, `docx_image`) and then set
 * (documentBlock.patch `replace_image`). Every failure is a FeishuDocError saying what to do.
 */
export class FeishuDocs implements ReportDocuments {
  readonly label = '飞书文档';

  constructor(
    private readonly client: lark.Client,
    private readonly options: FeishuDocsOptions,
  ) {}

  async create(request: ReportDocumentRequest): Promise<ReportDocumentRef> {
    const where = FeishuDocOptions.safeParse(request.options);
    if (!where.success) {
      throw new FeishuDocError('other', undefined, { kind: 'refused' }, `post.feishu.doc of ${request.teamId}: ${where.error.issues[0]?.message ?? 'invalid'}`);
    }
    try {
      if ('folder' in where.data) {
        const folder = where.data.folder;
        const answer = await this.call('docx.v1.document.create', null, () =>
          this.client.docx.v1.document.create({ data: { title: request.title, folder_token: folder } }),
        );
        const id = answer.data?.document?.document_id;
        if (!id) throw new FeishuApiError('docx.v1.document.create', undefined, undefined, 'no document_id in the answer');
        return { id, url: (await this.openUrl(id, 'docx')) ?? `${this.options.docsBaseUrl}/docx/${id}` };
      }
      const { wikiSpace, parentNode } = where.data;
      const answer = await this.call('wiki.v2.space_node.create', null, () =>
        this.client.wiki.v2.spaceNode.create({
          path: { space_id: wikiSpace },
          data: { obj_type: 'docx', node_type: 'origin', parent_node_token: parentNode, title: request.title },
        }),
      );
      const node = answer.data?.node;
      if (!node?.obj_token || !node.node_token)
        throw new FeishuApiError('wiki.v2.space_node.create', undefined, undefined, 'no obj_token or node_token in the answer');
      return { id: node.obj_token, url: (await this.openUrl(node.node_token, 'wiki')) ?? `${this.options.docsBaseUrl}/wiki/${node.node_token}` };
    } catch (error) {
      throw asFeishuDocError(error, where.data);
    }
  }

  async replace(ref: ReportDocumentRef, content: ReportDocumentContent): Promise<void> {
    try {
      await this.clear(ref.id);
      let at = 0;
      if (content.report.markdown.trim() !== '') {
        for (const batch of await this.converted(content.report.markdown)) {
          await this.insert(ref.id, batch, at);
          at += batch.childrenId.length;
        }
      }
      if (content.charts.length > 0) await this.addCharts(ref.id, content, at);
    } catch (error) {
      throw asFeishuDocError(error);
    }
  }

  /** Deletes every block under the document's root (whose block id is the document's). */
  private async clear(documentId: string): Promise<void> {
    let count = 0;
    let pageToken: string | undefined;
    do {
      const answer = await this.call('docx.v1.document_block_children.get', documentId, () =>
        this.client.docx.v1.documentBlockChildren.get({
          path: { document_id: documentId, block_id: documentId },
          params: { page_size: CHILDREN_PAGE_SIZE, ...(pageToken ? { page_token: pageToken } : {}) },
        }),
      );
      count += answer.data?.items?.length ?? 0;
      pageToken = answer.data?.has_more ? answer.data.page_token : undefined;
    } while (pageToken);
    if (count === 0) return;
    await this.call('docx.v1.document_block_children.batch_delete', documentId, () =>
      this.client.docx.v1.documentBlockChildren.batchDelete({
        path: { document_id: documentId, block_id: documentId },
        data: { start_index: 0, end_index: count },
      }),
    );
  }

  /** The report's Markdown as Feishu converts it, in descendant calls. */
  private async converted(markdown: string): Promise<DescendantBatch[]> {
    const answer = await this.call('docx.v1.document.convert', null, () =>
      this.client.docx.v1.document.convert({ data: { content_type: 'markdown', content: markdown } }),
    );
    const blocks = (answer.data?.blocks ?? []) as DocBlock[];
    const { firstLevel, blocks: insertable } = insertableBlocks(answer.data?.first_level_block_ids ?? [], blocks);
    try {
      return descendantBatches(firstLevel, insertable);
    } catch (error) {
      throw new FeishuDocError('other', undefined, { kind: 'refused' }, error instanceof Error ? error.message : String(error));
    }
  }

  /** Inserts one batch under the root at `index`; answers Feishu's ids for the temporary ones. */
  private async insert(documentId: string, batch: DescendantBatch, index: number): Promise<Map<string, string>> {
    const answer = await this.call('docx.v1.document_block_descendant.create', documentId, () =>
      this.client.docx.v1.documentBlockDescendant.create({
        path: { document_id: documentId, block_id: documentId },
        // The SDK types each block type's content; what convert answered is passed on as it is.
        data: { children_id: batch.childrenId, descendants: batch.descendants as never, index },
      }),
    );
    return new Map(
      (answer.data?.block_id_relations ?? []).flatMap((r) => (r.temporary_block_id && r.block_id ? [[r.temporary_block_id, r.block_id] as const] : [])),
    );
  }

  /** Each chart under its title: an empty image block, its PNG uploaded for it, then set in it. */
  private async addCharts(documentId: string, content: ReportDocumentContent, index: number): Promise<void> {
    const { batch, imageIds } = chartBlocks(content.charts.map((c) => c.title));
    const ids = await this.insert(documentId, batch, index);
    for (const [i, chart] of content.charts.entries()) {
      const blockId = ids.get(imageIds[i]!);
      if (!blockId) throw new FeishuApiError('docx.v1.document_block_descendant.create', undefined, undefined, 'no block id for an image block in the answer');
      const uploaded = await this.call('drive.v1.media.upload_all', documentId, () =>
        this.client.drive.v1.media.uploadAll({
          data: { file_name: chart.filename, parent_type: 'docx_image', parent_node: blockId, size: chart.png.length, file: chart.png },
        }),
      );
      // The SDK answers the upload's `data`, or null when Feishu refused it.
      if (!uploaded?.file_token) throw new FeishuApiError('drive.v1.media.upload_all', undefined, undefined, 'no file_token in the answer');
      const token = uploaded.file_token;
      await this.call('docx.v1.document_block.patch', documentId, () =>
        this.client.docx.v1.documentBlock.patch({ path: { document_id: documentId, block_id: blockId }, data: { replace_image: { token } } }),
      );
    }
  }

  /**
   * The link Feishu gives the document (drive.v1.meta.batch_query `with_url`), on the tenant's own
   * domain. Null when Feishu does not say (the app lacks drive's metadata scope, say): the link is
   * then built from FEISHU_DOCS_URL. Either way the document exists, and creating it succeeded.
   */
  private async openUrl(token: string, type: 'docx' | 'wiki'): Promise<string | null> {
    try {
      const answer = await this.call('drive.v1.meta.batch_query', null, () =>
        this.client.drive.v1.meta.batchQuery({ data: { request_docs: [{ doc_token: token, doc_type: type }], with_url: true } }),
      );
      const url = answer.data?.metas?.find((m) => m.doc_token === token)?.url;
      return url && /^https?:\/\//.test(url) ? url : null;
    } catch {
      return null;
    }
  }

  /** Paced by the limiter; a call about a document is charged to it, at Feishu's 3 edits a second per document. */
  private call<T>(api: string, documentId: string | null, request: () => Promise<T>): Promise<T> {
    return this.options.limiter.call(api, documentId, request, { receiverQps: DOCUMENT_QPS });
  }
}

/**
 * Where people open the team's documents: FEISHU_DOCS_URL when set (the tenant's own domain, as
 * in the address bar: `https://acme.feishu.cn`); otherwise Feishu's or Lark's main site, which
 * sends a signed-in person on to their tenant (unconfirmed for every tenant: set the variable), or
 * the base URL itself for a local fake.
 */
export function docsBaseUrl(docsUrl: string | undefined, domain: lark.Domain | string): string {
  if (docsUrl) return docsUrl.replace(/\/+$/, '');
  if (domain === lark.Domain.Feishu) return 'https://feishu.cn';
  if (domain === lark.Domain.Lark) return 'https://larksuite.com';
  return String(domain).replace(/\/+$/, '');
}
