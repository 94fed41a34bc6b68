import markdownIt, { type Token } from 'markdown-it';

/**
 * The fake's `docx.v1.document.convert`: Markdown to docx blocks the way Feishu answers it, a flat
 * list of blocks with temporary ids, `parent_id` and `children`, and the ids of the first-level
 * ones in order. Tables come with `property.merge_info`, which Feishu answers and then refuses on
 * insert (it is read-only); table cells each hold a text block.
 */

export interface ConvertedBlock {
  block_id: string;
  parent_id: string;
  children: string[];
  block_type: number;
  [field: string]: unknown;
}

export interface Converted {
  first_level_block_ids: string[];
  blocks: ConvertedBlock[];
}

/** docx block types, by the name of the field that holds their content. */
export const BLOCK_TYPES: Record<number, string> = {
  1: 'page',
  2: 'text',
  3: 'heading1',
  4: 'heading2',
  5: 'heading3',
  6: 'heading4',
  7: 'heading5',
  8: 'heading6',
  9: 'heading7',
  10: 'heading8',
  11: 'heading9',
  12: 'bullet',
  13: 'ordered',
  14: 'code',
  15: 'quote',
  17: 'todo',
  19: 'callout',
  22: 'divider',
  27: 'image',
  31: 'table',
  32: 'table_cell',
  34: 'quote_container',
};

/** Block types whose content is a run of text elements. */
export const TEXT_TYPES = new Set([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17]);

interface TextElement {
  text_run: { content: string; text_element_style?: Record<string, unknown> };
}

const markdown = markdownIt({ html: false, linkify: false });

export function convertMarkdown(source: string, nextId: () => string): Converted {
  const tokens = markdown.parse(source, {});
  const blocks: ConvertedBlock[] = [];
  const firstLevel: string[] = [];
  /** The blocks that new blocks go under: '' at the top. */
  const parents: string[] = [''];
  /** The block of the list item being read, whose first paragraph is its text. */
  const listItems: (ConvertedBlock | null)[] = [];
  const listKinds: number[] = [];
  let table: { block: ConvertedBlock; rows: number; columns: number } | null = null;

  const add = (blockType: number, fields: Record<string, unknown>): ConvertedBlock => {
    const parent = parents[parents.length - 1]!;
    const block: ConvertedBlock = { block_id: nextId(), parent_id: parent, children: [], block_type: blockType, ...fields };
    blocks.push(block);
    if (parent === '') firstLevel.push(block.block_id);
    else blocks.find((b) => b.block_id === parent)!.children.push(block.block_id);
    return block;
  };
  const text = (inline: Token | undefined) => ({ elements: elementsOf(inline), style: {} });

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    switch (token.type) {
      case 'heading_open': {
        const level = Number(token.tag.slice(1));
        add(2 + level, { [`heading${level}`]: text(tokens[i + 1]) });
        i += 2;
        break;
      }
      case 'paragraph_open': {
        const item = listItems[listItems.length - 1];
        if (item && item.children.length === 0 && !itemHasText(item)) {
          Object.assign(item, { [BLOCK_TYPES[item.block_type]!]: text(tokens[i + 1]) });
        } else {
          add(2, { text: text(tokens[i + 1]) });
        }
        i += 2;
        break;
      }
      case 'bullet_list_open':
      case 'ordered_list_open':
        listKinds.push(token.type === 'bullet_list_open' ? 12 : 13);
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        listKinds.pop();
        break;
      case 'list_item_open': {
        const kind = listKinds[listKinds.length - 1]!;
        const item = add(kind, {});
        listItems.push(item);
        parents.push(item.block_id);
        break;
      }
      case 'list_item_close': {
        const item = listItems.pop()!;
        if (!itemHasText(item)) Object.assign(item, { [BLOCK_TYPES[item.block_type]!]: { elements: [], style: {} } });
        parents.pop();
        break;
      }
      case 'blockquote_open':
        parents.push(add(34, { quote_container: {} }).block_id);
        listItems.push(null);
        break;
      case 'blockquote_close':
        parents.pop();
        listItems.pop();
        break;
      case 'fence':
      case 'code_block':
        add(14, { code: { elements: [run(token.content.replace(/\n$/, ''))], style: { language: 1 } } });
        break;
      case 'hr':
        add(22, { divider: {} });
        break;
      case 'table_open': {
        const block = add(31, { table: { property: { row_size: 0, column_size: 0, merge_info: [] } } });
        table = { block, rows: 0, columns: 0 };
        parents.push(block.block_id);
        listItems.push(null);
        break;
      }
      case 'tr_open':
        table!.rows += 1;
        break;
      case 'th_open':
      case 'td_open': {
        if (table!.rows === 1) table!.columns += 1;
        const cell = add(32, { table_cell: {} });
        parents.push(cell.block_id);
        add(2, { text: text(tokens[i + 1]) });
        parents.pop();
        i += 2;
        break;
      }
      case 'table_close': {
        const { block, rows, columns } = table!;
        block.table = {
          property: { row_size: rows, column_size: columns, merge_info: Array.from({ length: rows * columns }, () => ({ row_span: 1, col_span: 1 })) },
        };
        table = null;
        parents.pop();
        listItems.pop();
        break;
      }
      default:
        break;
    }
  }
  return { first_level_block_ids: firstLevel, blocks };
}

function itemHasText(item: ConvertedBlock): boolean {
  return item[BLOCK_TYPES[item.block_type]!] !== undefined;
}

function run(content: string, style?: Record<string, unknown>): TextElement {
  return { text_run: { content, ...(style && Object.keys(style).length > 0 ? { text_element_style: style } : {}) } };
}

/** An inline token's children as text runs, with bold, italic, inline code and links kept. */
function elementsOf(inline: Token | undefined): TextElement[] {
  const elements: TextElement[] = [];
  const style: Record<string, unknown> = {};
  for (const child of inline?.children ?? []) {
    switch (child.type) {
      case 'text':
        if (child.content) elements.push(run(child.content, { ...style }));
        break;
      case 'code_inline':
        elements.push(run(child.content, { ...style, inline_code: true }));
        break;
      case 'softbreak':
      case 'hardbreak':
        elements.push(run('\n'));
        break;
      case 'strong_open':
        style.bold = true;
        break;
      case 'strong_close':
        delete style.bold;
        break;
      case 'em_open':
        style.italic = true;
        break;
      case 'em_close':
        delete style.italic;
        break;
      case 's_open':
        style.strikethrough = true;
        break;
      case 's_close':
        delete style.strikethrough;
        break;
      case 'link_open':
        // Feishu keeps a link's URL percent-encoded in the block.
        style.link = { url: encodeURIComponent(child.attrGet('href') ?? '') };
        break;
      case 'link_close':
        delete style.link;
        break;
      default:
        break;
    }
  }
  return elements;
}
