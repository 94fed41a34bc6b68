/**
 * What `docx.v1.document.convert` answers, made into what `documentBlockDescendant.create` takes:
 * the same blocks without what the insert refuses, cut into calls of at most 1,000 blocks at
 * first-level boundaries (a first-level block goes whole, with everything under it).
 */

/** One block as convert answers it and the descendant call takes it: temporary id, type, children, content field. */
export interface DocBlock {
  block_id: string;
  block_type: number;
  children?: string[];
  [field: string]: unknown;
}

/** One descendant call: the first-level blocks it adds, in order, and every block under them. */
export interface DescendantBatch {
  childrenId: string[];
  descendants: DocBlock[];
}

/** Feishu inserts at most this many blocks in one descendant call. */
export const DESCENDANTS_PER_CALL = 1000;

const IMAGE = 27;
const TABLE = 31;

/**
 * The converted blocks as the descendant call takes them: `parent_id` dropped (the tree is given
 * by `children`), a table's read-only `merge_info` and `cells` dropped (Feishu answers them from
 * convert and refuses them on insert), and images left out with everything under them (convert
 * answers a Markdown image as a block whose picture still has to be uploaded: a report has none of
 * its own; charts are added apart, see chartBlocks).
 */
export function insertableBlocks(firstLevel: readonly string[], blocks: readonly DocBlock[]): { firstLevel: string[]; blocks: Map<string, DocBlock> } {
  const byId = new Map(blocks.map((b) => [b.block_id, b]));
  const dropped = new Set(blocks.filter((b) => b.block_type === IMAGE).map((b) => b.block_id));
  const out = new Map<string, DocBlock>();
  for (const block of blocks) {
    if (dropped.has(block.block_id)) continue;
    const { parent_id: _parent, ...copy } = structuredClone(block) as DocBlock & { parent_id?: string };
    if (copy.children) copy.children = copy.children.filter((id) => byId.has(id) && !dropped.has(id));
    if (copy.block_type === TABLE && copy.table && typeof copy.table === 'object') {
      const table = copy.table as { property?: Record<string, unknown>; cells?: unknown };
      delete table.cells;
      if (table.property) delete table.property.merge_info;
    }
    out.set(copy.block_id, copy);
  }
  // A dropped block's children were dropped with it: keep only what is still reachable.
  const reachable = new Map<string, DocBlock>();
  const keep = (id: string) => {
    const block = out.get(id);
    if (!block || reachable.has(id)) return;
    reachable.set(id, block);
    for (const child of block.children ?? []) keep(child);
  };
  const roots = firstLevel.filter((id) => out.has(id));
  roots.forEach(keep);
  return { firstLevel: roots, blocks: reachable };
}

/**
 * The descendant calls that add the blocks in order: first-level blocks packed while the call
 * stays within `limit` blocks. A first-level block bigger than that alone cannot be inserted.
 */
export function descendantBatches(firstLevel: readonly string[], blocks: ReadonlyMap<string, DocBlock>, limit = DESCENDANTS_PER_CALL): DescendantBatch[] {
  const batches: DescendantBatch[] = [];
  let current: DescendantBatch = { childrenId: [], descendants: [] };
  for (const id of firstLevel) {
    const subtree = subtreeOf(id, blocks);
    if (subtree.length > limit)
      throw new RangeError(`one part of the report (a ${blocks.get(id)!.block_type} block) is ${subtree.length} blocks, over Feishu's ${limit} a call`);
    if (current.descendants.length + subtree.length > limit) {
      batches.push(current);
      current = { childrenId: [], descendants: [] };
    }
    current.childrenId.push(id);
    current.descendants.push(...subtree);
  }
  if (current.childrenId.length > 0) batches.push(current);
  return batches;
}

function subtreeOf(id: string, blocks: ReadonlyMap<string, DocBlock>): DocBlock[] {
  const block = blocks.get(id)!;
  return [block, ...(block.children ?? []).flatMap((child) => subtreeOf(child, blocks))];
}

/** A heading with the chart's title, then an empty image block its picture is uploaded into. */
export function chartBlocks(titles: readonly string[]): { batch: DescendantBatch; imageIds: string[] } {
  const descendants: DocBlock[] = [];
  const imageIds: string[] = [];
  titles.forEach((title, i) => {
    descendants.push({ block_id: `chart_${i}_title`, block_type: 5, children: [], heading3: { elements: [{ text_run: { content: title } }], style: {} } });
    descendants.push({ block_id: `chart_${i}`, block_type: IMAGE, children: [], image: {} });
    imageIds.push(`chart_${i}`);
  });
  return { batch: { childrenId: descendants.map((d) => d.block_id), descendants }, imageIds };
}
