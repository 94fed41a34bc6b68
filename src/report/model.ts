/**
 * The structured content of one section, as parsed from what an owner typed.
 * Inline text is kept as Markdown inline text (links already normalised to `[label](url)`).
 */
export interface ListItem {
  text: string;
  children: ListItem[];
}

/** `06/03 18:31 …` in the incidents section. `time` is normalised to ASCII digits. */
export interface TimedEntry {
  time: string;
  /** The entry's text; continuation lines are joined with `\n`. */
  text: string;
}

export type SectionContent =
  | { kind: 'list'; items: ListItem[] }
  /** Free text: paragraphs, blank lines and simple lists kept as typed, as Markdown lines. */
  | { kind: 'text'; markdown: string }
  /** Timestamped entries, then free notes such as `详细记录：[…](…)`. */
  | { kind: 'entries'; entries: TimedEntry[]; notes: string[] };

export type SectionKind = SectionContent['kind'];

/** A section's content with nothing in it: what a skip, or deleting every message of an answer, leaves. */
export function emptyContent(kind: SectionKind): SectionContent {
  switch (kind) {
    case 'list':
      return { kind, items: [] };
    case 'text':
      return { kind, markdown: '' };
    case 'entries':
      return { kind, entries: [], notes: [] };
  }
}

export function isEmptyContent(content: SectionContent): boolean {
  switch (content.kind) {
    case 'list':
      return content.items.length === 0;
    case 'text':
      return content.markdown.trim() === '';
    case 'entries':
      return content.entries.length === 0 && content.notes.length === 0;
  }
}
