import type { IncomingMessage } from 'node:http';
import { BLOCK_TYPES, convertMarkdown, TEXT_TYPES, type ConvertedBlock } from './feishu-docs-markdown.ts';
import { ApiError, imageFormat, multipartParts, ok, type Answer } from './feishu-wire.ts';

/**
 * The docx, drive media and wiki endpoints of the fake Feishu Open API (mounted by
 * feishu-open-api.ts, behind its tenant-token check and throttling). Documents are kept as block
 * trees, so a test reads back what a document says (`documentText`).
 *
 * It refuses what Feishu documents refusing: more than 1,000 blocks in one descendant call,
 * `children_id` that are not exactly the top blocks of `descendants`, unknown block types, the
 * read-only `merge_info` of a table, a table cell without a child, media over 20 MB or not for an
 * image block, an image token not uploaded for that block; a folder or wiki space the app is not a
 * collaborator of, a missing scope, a full tenant quota (each configurable).
 *
 * Codes: docx 1770001 invalid param, 1770002 not found (404), 1770013 relation mismatch, 1770014
 * parent/children mismatch, 1770039 folder not found, 1770040 no folder permission (403); wiki
 * 131005 not found, 131006 permission denied; drive media 1061002 params error, 1061043 file size
 * beyond limit, 1061101 file quota exceeded; 99991672 a scope missing.
 */

export const DESCENDANTS_PER_CALL = 1000;
export const MEDIA_LIMIT_BYTES = 20 * 1024 * 1024;
const CHILDREN_PAGE_MAX = 500;

export const DOCX_CODES = {
  invalidParam: 1770001,
  notFound: 1770002,
  relationMismatch: 1770013,
  parentChildrenMismatch: 1770014,
  folderNotFound: 1770039,
  noFolderPermission: 1770040,
  wikiNotFound: 131005,
  wikiPermissionDenied: 131006,
  mediaParams: 1061002,
  mediaTooBig: 1061043,
  quotaExceeded: 1061101,
  scopeMissing: 99991672,
} as const;

export interface FakeBlock {
  block_id: string;
  parent_id: string;
  block_type: number;
  children: string[];
  /** The block's content, under its type's field (`text`, `heading2`, `image`…). */
  content: Record<string, unknown>;
}

export interface FakeDocument {
  document_id: string;
  title: string;
  /** The folder it was created in, or the wiki node it is. */
  folder_token?: string;
  wiki?: { space_id: string; node_token: string; parent_node_token: string };
  blocks: Map<string, FakeBlock>;
  revision_id: number;
}

export interface FakeMedia {
  file_token: string;
  file_name: string;
  parent_type: string;
  parent_node: string;
  format: string | null;
  content: Buffer;
}

/** What the mounting server lends: throttling, charged to a receiver (here, the document). */
export interface DocsServerHooks {
  throttle(api: string, receiver: string | null): void;
  setApi(api: string): void;
  setBody(body: unknown): void;
}

type Access = 'edit' | 'none';

export class FakeFeishuDocs {
  readonly documents = new Map<string, FakeDocument>();
  readonly media = new Map<string, FakeMedia>();
  private readonly folders = new Map<string, Access>();
  private readonly wikiSpaces = new Map<string, { access: Access; nodes: Set<string> }>();
  private readonly missingScopes = new Map<string, string>();
  private quotaFull = false;
  private nextId = 1;
  /** Where the tenant's people open documents: what drive's metas answer as each document's `url`. */
  tenantUrl = 'https://fake-tenant.feishu.cn';

  // ---- setting up the tenant ----

  /** A folder of the tenant's drive; `none` when the app was not added as a collaborator. */
  addFolder(token: string, access: Access = 'edit'): this {
    this.folders.set(token, access);
    return this;
  }

  /** A wiki space with its nodes; `none` when the app is not a member of the space. */
  addWikiSpace(spaceId: string, nodes: string[], access: Access = 'edit'): this {
    this.wikiSpaces.set(spaceId, { access, nodes: new Set(nodes) });
    return this;
  }

  /** The app was not granted a scope an API needs (e.g. `docx.v1.document.create`, 'docx:document'). */
  withoutScope(api: string, scope: string): this {
    this.missingScopes.set(api, scope);
    return this;
  }

  /** The tenant's storage is full: creating documents and uploading media fail. */
  fillQuota(full = true): this {
    this.quotaFull = full;
    return this;
  }

  // ---- reading the state ----

  document(id: string): FakeDocument {
    const document = this.documents.get(id);
    if (!document) throw new Error(`fake Feishu: no document ${id}`);
    return document;
  }

  /** Every block under the root, depth first, in document order. */
  blocksOf(id: string): FakeBlock[] {
    const document = this.document(id);
    const out: FakeBlock[] = [];
    const walk = (blockId: string) => {
      for (const child of document.blocks.get(blockId)!.children) {
        out.push(document.blocks.get(child)!);
        walk(child);
      }
    };
    walk(id);
    return out;
  }

  /** The text of every block that has some, in document order. */
  documentText(id: string): string[] {
    return this.blocksOf(id)
      .filter((b) => TEXT_TYPES.has(b.block_type))
      .map((b) => textOf(b));
  }

  // ---- the server ----

  /** Answers a docx, drive media or wiki call, or null when the path is none of them. */
  async route(
    method: string,
    path: string,
    url: URL,
    req: IncomingMessage,
    raw: Buffer,
    json: () => Record<string, unknown>,
    hooks: DocsServerHooks,
  ): Promise<Answer | null> {
    let match: RegExpExecArray | null;
    const call = (api: string, receiver: string | null) => {
      hooks.setApi(api);
      hooks.throttle(api, receiver);
      const scope = this.missingScopes.get(api);
      if (scope) throw new ApiError(400, DOCX_CODES.scopeMissing, `Access denied. One of the following scopes is required: [${scope}].`);
    };
    if (method === 'POST' && path === '/open-apis/docx/v1/documents') {
      call('docx.v1.document.create', null);
      const body = json();
      return this.createDocument(body);
    }
    if (method === 'POST' && path === '/open-apis/docx/v1/documents/blocks/convert') {
      call('docx.v1.document.convert', null);
      const body = json();
      if (body.content_type !== 'markdown' && body.content_type !== 'html') throw invalid('content_type must be markdown or html');
      if (typeof body.content !== 'string' || body.content === '') throw invalid('content is required');
      return ok({ ...convertMarkdown(body.content, () => `tmp_${this.nextId++}`), block_id_to_image_urls: [] });
    }
    if ((match = /^\/open-apis\/docx\/v1\/documents\/([^/]+)\/blocks\/([^/]+)\/children(\/batch_delete)?$/.exec(path))) {
      const [documentId, blockId] = [decodeURIComponent(match[1]!), decodeURIComponent(match[2]!)];
      if (method === 'GET' && !match[3]) {
        call('docx.v1.document_block_children.get', documentId);
        return this.children(documentId, blockId, url);
      }
      if (method === 'DELETE' && match[3]) {
        call('docx.v1.document_block_children.batch_delete', documentId);
        return this.batchDelete(documentId, blockId, json());
      }
    }
    if (method === 'POST' && (match = /^\/open-apis\/docx\/v1\/documents\/([^/]+)\/blocks\/([^/]+)\/descendant$/.exec(path))) {
      const documentId = decodeURIComponent(match[1]!);
      call('docx.v1.document_block_descendant.create', documentId);
      return this.createDescendants(documentId, decodeURIComponent(match[2]!), json(), url);
    }
    if (method === 'PATCH' && (match = /^\/open-apis\/docx\/v1\/documents\/([^/]+)\/blocks\/([^/]+)$/.exec(path))) {
      const documentId = decodeURIComponent(match[1]!);
      call('docx.v1.document_block.patch', documentId);
      return this.patchBlock(documentId, decodeURIComponent(match[2]!), json());
    }
    if (method === 'POST' && path === '/open-apis/drive/v1/medias/upload_all') {
      call('drive.v1.media.upload_all', null);
      return this.uploadMedia(req, raw, hooks);
    }
    if (method === 'POST' && path === '/open-apis/drive/v1/metas/batch_query') {
      call('drive.v1.meta.batch_query', null);
      return this.metas(json());
    }
    if (method === 'POST' && (match = /^\/open-apis\/wiki\/v2\/spaces\/([^/]+)\/nodes$/.exec(path))) {
      call('wiki.v2.space_node.create', null);
      return this.createWikiNode(decodeURIComponent(match[1]!), json());
    }
    return null;
  }

  /**
   * drive.v1.meta.batch_query: each document's title and, with `with_url`, the link people open
   * (a docx by its document id, a wiki page by its node token). At most 200 a call, as Feishu;
   * a token it does not know goes to `failed_list` (970005, as Feishu answers a missing file).
   */
  private metas(body: Record<string, unknown>): Answer {
    const docs = body.request_docs;
    if (!Array.isArray(docs) || docs.length === 0) throw invalid('request_docs is required');
    if (docs.length > 200) throw invalid('request_docs: at most 200');
    const metas: Record<string, unknown>[] = [];
    const failed: { token: string; code: number }[] = [];
    for (const doc of docs as { doc_token?: unknown; doc_type?: unknown }[]) {
      const token = typeof doc.doc_token === 'string' ? doc.doc_token : '';
      const document =
        doc.doc_type === 'docx'
          ? this.documents.get(token)
          : doc.doc_type === 'wiki'
            ? [...this.documents.values()].find((d) => d.wiki?.node_token === token)
            : undefined;
      if (!document) {
        failed.push({ token, code: 970005 });
        continue;
      }
      metas.push({
        doc_token: token,
        doc_type: doc.doc_type,
        title: document.title,
        ...(body.with_url === true ? { url: `${this.tenantUrl}/${doc.doc_type === 'wiki' ? 'wiki' : 'docx'}/${token}` } : {}),
      });
    }
    return ok({ metas, failed_list: failed });
  }

  private createDocument(body: Record<string, unknown>): Answer {
    // Feishu takes a document without a title or folder (an untitled one in the app's own space,
    // which nobody else sees): refused here, since the bot must always give both.
    if (typeof body.title !== 'string' || body.title.trim() === '') throw invalid('title is required (the fake insists)');
    if (typeof body.folder_token !== 'string' || body.folder_token === '') throw invalid('folder_token is required (the fake insists)');
    if ([...body.title].length > 800) throw invalid('title is longer than 800 characters');
    const access = this.folders.get(body.folder_token);
    if (access === undefined) throw new ApiError(400, DOCX_CODES.folderNotFound, 'folder not found');
    if (access === 'none') throw new ApiError(403, DOCX_CODES.noFolderPermission, 'no folder permission');
    if (this.quotaFull) throw new ApiError(400, DOCX_CODES.quotaExceeded, 'tenant storage quota exceeded');
    const document = this.newDocument(body.title, { folder_token: body.folder_token });
    return ok({ document: { document_id: document.document_id, revision_id: document.revision_id, title: document.title } });
  }

  private createWikiNode(spaceId: string, body: Record<string, unknown>): Answer {
    const space = this.wikiSpaces.get(spaceId);
    if (!space) throw new ApiError(400, DOCX_CODES.wikiNotFound, 'not found');
    if (space.access === 'none') throw new ApiError(400, DOCX_CODES.wikiPermissionDenied, 'permission denied');
    if (body.obj_type !== 'docx') throw new ApiError(400, 131002, 'param err: obj_type (the fake creates docx only)');
    if (body.node_type !== 'origin') throw new ApiError(400, 131002, 'param err: node_type');
    const parent = body.parent_node_token;
    if (typeof parent !== 'string' || parent === '') throw new ApiError(400, 131002, 'param err: parent_node_token (the fake insists)');
    if (!space.nodes.has(parent)) throw new ApiError(400, DOCX_CODES.wikiNotFound, 'not found: parent_node_token');
    if (typeof body.title !== 'string' || body.title.trim() === '') throw new ApiError(400, 131002, 'param err: title (the fake insists)');
    if (this.quotaFull) throw new ApiError(400, DOCX_CODES.quotaExceeded, 'tenant storage quota exceeded');
    const nodeToken = `wikcnfake${this.nextId++}`;
    space.nodes.add(nodeToken);
    const document = this.newDocument(body.title, { wiki: { space_id: spaceId, node_token: nodeToken, parent_node_token: parent } });
    return ok({
      node: {
        space_id: spaceId,
        node_token: nodeToken,
        obj_token: document.document_id,
        obj_type: 'docx',
        parent_node_token: parent,
        node_type: 'origin',
        title: document.title,
        has_child: false,
      },
    });
  }

  private newDocument(title: string, where: Pick<FakeDocument, 'folder_token' | 'wiki'>): FakeDocument {
    const id = `doxcnfake${this.nextId++}`;
    const root: FakeBlock = { block_id: id, parent_id: '', block_type: 1, children: [], content: { page: { elements: [{ text_run: { content: title } }] } } };
    const document: FakeDocument = { document_id: id, title, ...where, blocks: new Map([[id, root]]), revision_id: 1 };
    this.documents.set(id, document);
    return document;
  }

  private block(documentId: string, blockId: string): { document: FakeDocument; block: FakeBlock } {
    const document = this.documents.get(documentId);
    if (!document) throw new ApiError(404, DOCX_CODES.notFound, 'not found: document');
    const block = document.blocks.get(blockId);
    if (!block) throw new ApiError(404, DOCX_CODES.notFound, 'not found: block');
    return { document, block };
  }

  private children(documentId: string, blockId: string, url: URL): Answer {
    const { document, block } = this.block(documentId, blockId);
    const pageSize = Number(url.searchParams.get('page_size') ?? CHILDREN_PAGE_MAX);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > CHILDREN_PAGE_MAX) throw invalid('page_size must be within [1, 500]');
    const start = Number(url.searchParams.get('page_token') ?? 0);
    if (!Number.isInteger(start) || start < 0 || start > block.children.length) throw new ApiError(400, 1770022, 'invalid page token');
    const ids = block.children.slice(start, start + pageSize);
    const more = start + pageSize < block.children.length;
    return ok({ items: ids.map((id) => blockView(document.blocks.get(id)!)), has_more: more, ...(more ? { page_token: String(start + pageSize) } : {}) });
  }

  private batchDelete(documentId: string, blockId: string, body: Record<string, unknown>): Answer {
    const { document, block } = this.block(documentId, blockId);
    const { start_index: start, end_index: end } = body;
    if (typeof start !== 'number' || typeof end !== 'number' || !Number.isInteger(start) || !Number.isInteger(end))
      throw invalid('start_index and end_index are required');
    if (start < 0 || end <= start || end > block.children.length)
      throw invalid(`[${start}, ${end}) is not within the block's ${block.children.length} children`);
    for (const id of block.children.splice(start, end - start)) removeTree(document, id);
    document.revision_id += 1;
    return ok({ document_revision_id: document.revision_id, client_token: `ct_${this.nextId++}` });
  }

  private createDescendants(documentId: string, blockId: string, body: Record<string, unknown>, url: URL): Answer {
    const { document, block: parent } = this.block(documentId, blockId);
    const childrenId = body.children_id;
    const descendants = body.descendants;
    if (!Array.isArray(childrenId) || childrenId.length === 0 || !childrenId.every((c) => typeof c === 'string')) throw invalid('children_id is required');
    if (!Array.isArray(descendants) || descendants.length === 0) throw invalid('descendants is required');
    if (descendants.length > DESCENDANTS_PER_CALL) throw invalid(`descendants has ${descendants.length} blocks; at most ${DESCENDANTS_PER_CALL} a call`);
    const index = body.index ?? -1;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < -1 || index > parent.children.length)
      throw invalid(`index ${String(index)} is out of range`);
    const given = new Map<string, Record<string, unknown>>();
    for (const d of descendants as Record<string, unknown>[]) {
      const problem = descendantProblem(d, this.media);
      if (problem) throw problem;
      if (given.has(d.block_id as string)) throw new ApiError(400, 1770019, `repeated block id ${String(d.block_id)}`);
      given.set(d.block_id as string, d);
    }
    // children_id are exactly the blocks no other descendant holds, and every child is given.
    const held = new Set<string>();
    for (const d of given.values()) {
      for (const child of (d.children as string[] | undefined) ?? []) {
        if (!given.has(child)) throw new ApiError(400, DOCX_CODES.parentChildrenMismatch, `child ${child} is not among descendants`);
        if (held.has(child)) throw new ApiError(400, DOCX_CODES.parentChildrenMismatch, `block ${child} has two parents`);
        held.add(child);
      }
    }
    const roots = [...given.keys()].filter((id) => !held.has(id));
    if (roots.length !== childrenId.length || !(childrenId as string[]).every((id) => roots.includes(id)))
      throw new ApiError(400, DOCX_CODES.parentChildrenMismatch, 'children_id must be exactly the descendants that no other descendant holds');
    for (const d of given.values()) {
      const kids = ((d.children as string[] | undefined) ?? []).map((c) => given.get(c)!);
      if (d.block_type === 31) {
        const property = (d.table as { property?: { row_size?: number; column_size?: number } }).property ?? {};
        if (kids.length !== (property.row_size ?? 0) * (property.column_size ?? 0) || !kids.every((k) => k.block_type === 32))
          throw new ApiError(400, DOCX_CODES.parentChildrenMismatch, 'a table holds row_size × column_size table cells');
      }
      if ((d.block_type === 32 || d.block_type === 19) && kids.length === 0)
        throw new ApiError(400, DOCX_CODES.parentChildrenMismatch, 'a table cell or callout needs a child block');
      if (kids.some((k) => k.block_type === 32) && d.block_type !== 31)
        throw new ApiError(400, DOCX_CODES.parentChildrenMismatch, 'a table cell must be in a table');
    }
    // Insert, with ids of Feishu's own.
    const relations = new Map<string, string>();
    for (const id of given.keys()) relations.set(id, `doxcnblk${this.nextId++}`);
    const insert = (tempId: string, parentId: string): FakeBlock => {
      const d = given.get(tempId)!;
      const field = BLOCK_TYPES[d.block_type as number]!;
      const block: FakeBlock = {
        block_id: relations.get(tempId)!,
        parent_id: parentId,
        block_type: d.block_type as number,
        children: [],
        content: { [field]: structuredClone(d[field]) },
      };
      document.blocks.set(block.block_id, block);
      block.children = ((d.children as string[] | undefined) ?? []).map((c) => insert(c, block.block_id).block_id);
      return block;
    };
    const created = (childrenId as string[]).map((id) => insert(id, parent.block_id));
    parent.children.splice(index === -1 ? parent.children.length : index, 0, ...created.map((b) => b.block_id));
    document.revision_id += 1;
    return ok({
      children: created.map(blockView),
      document_revision_id: document.revision_id,
      client_token: url.searchParams.get('client_token') ?? `ct_${this.nextId++}`,
      block_id_relations: [...relations].map(([temporary, real]) => ({ temporary_block_id: temporary, block_id: real })),
    });
  }

  private patchBlock(documentId: string, blockId: string, body: Record<string, unknown>): Answer {
    const { document, block } = this.block(documentId, blockId);
    const replace = body.replace_image as { token?: unknown } | undefined;
    if (!replace) throw invalid('the fake patches only replace_image');
    if (block.block_type !== 27) throw new ApiError(400, 1770025, 'operation and block not match: replace_image on a block that is no image');
    const media = typeof replace.token === 'string' ? this.media.get(replace.token) : undefined;
    if (!media || media.parent_node !== blockId || media.parent_type !== 'docx_image')
      throw new ApiError(400, DOCX_CODES.relationMismatch, 'relation mismatch: upload the image for this block first');
    block.content = { image: { token: media.file_token, width: 100, height: 100 } };
    document.revision_id += 1;
    return ok({ block: blockView(block), document_revision_id: document.revision_id });
  }

  private uploadMedia(req: IncomingMessage, raw: Buffer, hooks: DocsServerHooks): Answer {
    const parts = multipartParts(req, raw);
    const field = (name: string) => parts.get(name)?.toString('utf8');
    const [fileName, parentType, parentNode, size] = [field('file_name'), field('parent_type'), field('parent_node'), field('size')];
    const content = parts.get('file');
    hooks.setBody({ file_name: fileName, parent_type: parentType, parent_node: parentNode, size });
    if (!fileName || !parentType || !parentNode || !size)
      throw new ApiError(400, DOCX_CODES.mediaParams, 'params error: file_name, parent_type, parent_node and size are required');
    if (!content || content.length === 0) throw new ApiError(400, DOCX_CODES.mediaParams, 'params error: empty file');
    if (Number(size) !== content.length)
      throw new ApiError(400, DOCX_CODES.mediaParams, `params error: size ${size} is not the file's ${content.length} bytes`);
    if (content.length > MEDIA_LIMIT_BYTES) throw new ApiError(400, DOCX_CODES.mediaTooBig, 'file size beyond limit (20 MB; larger media go in parts)');
    if (parentType !== 'docx_image') throw new ApiError(400, DOCX_CODES.mediaParams, 'params error: the fake takes docx_image media only');
    const owner = [...this.documents.values()].find((d) => d.blocks.get(parentNode)?.block_type === 27);
    if (!owner) throw new ApiError(400, DOCX_CODES.mediaParams, 'params error: parent_node is not an image block');
    if (this.quotaFull) throw new ApiError(400, DOCX_CODES.quotaExceeded, 'tenant storage quota exceeded');
    const fileToken = `boxcnfake${this.nextId++}`;
    this.media.set(fileToken, {
      file_token: fileToken,
      file_name: fileName,
      parent_type: parentType,
      parent_node: parentNode,
      format: imageFormat(content),
      content,
    });
    return ok({ file_token: fileToken });
  }
}

function invalid(message: string): ApiError {
  return new ApiError(400, DOCX_CODES.invalidParam, `invalid param: ${message}`);
}

/** What Feishu refuses in one block of a descendant call, or null. */
function descendantProblem(d: Record<string, unknown>, media: Map<string, FakeMedia>): ApiError | null {
  if (!d || typeof d !== 'object') return invalid('a descendant must be an object');
  if (typeof d.block_id !== 'string' || d.block_id === '') return invalid('every descendant needs a block_id');
  const field = typeof d.block_type === 'number' ? BLOCK_TYPES[d.block_type] : undefined;
  if (!field || d.block_type === 1) return invalid(`block_type ${String(d.block_type)} cannot be created`);
  const content = d[field];
  if (!content || typeof content !== 'object') return new ApiError(400, 1770006, `schema mismatch: block_type ${String(d.block_type)} needs "${field}"`);
  if (TEXT_TYPES.has(d.block_type as number) && !Array.isArray((content as { elements?: unknown }).elements))
    return new ApiError(400, 1770006, `schema mismatch: ${field}.elements is required`);
  if (d.block_type === 31 && (content as { property?: { merge_info?: unknown } }).property?.merge_info !== undefined)
    return invalid('table.property.merge_info is read-only');
  if (d.block_type === 27) {
    const token = (content as { token?: unknown }).token;
    if (token !== undefined && (typeof token !== 'string' || !media.has(token)))
      return new ApiError(400, DOCX_CODES.relationMismatch, 'relation mismatch: image token not uploaded');
  }
  return null;
}

function removeTree(document: FakeDocument, id: string): void {
  const block = document.blocks.get(id);
  if (!block) return;
  for (const child of block.children) removeTree(document, child);
  document.blocks.delete(id);
}

function blockView(block: FakeBlock): ConvertedBlock {
  return {
    block_id: block.block_id,
    parent_id: block.parent_id,
    children: [...block.children],
    block_type: block.block_type,
    ...structuredClone(block.content),
  };
}

function textOf(block: FakeBlock): string {
  const content = block.content[BLOCK_TYPES[block.block_type]!] as { elements?: { text_run?: { content?: string } }[] } | undefined;
  return (content?.elements ?? []).map((e) => e.text_run?.content ?? '').join('');
}
