/**
 * A Markdown document shortened to fit `maxChars` without losing a section: every heading (an
 * ATX heading, or a top-level bullet with a body indented under it) is kept, with as much of the start of its
 * section as fits (short sections whole, long ones cut between lines and marked `…`), and `note`
 * at the end says that it was shortened. For previews, which must show the whole outline of the
 * report even when its text cannot fit in chat.
 */
export function shortenMarkdown(markdown: string, maxChars: number, note: string): { text: string; shortened: boolean } {
  const length = (text: string) => [...text].length;
  if (length(markdown) <= maxChars) return { text: markdown, shortened: false };

  const sections = splitAtHeadings(markdown);
  const headings = sections.reduce((sum, s) => sum + length(s.heading) + CUT_MARK.length + 2, 0);
  let budget = Math.max(0, maxChars - length(note) - headings - 2);
  // Water-filling: sections shorter than an even share keep all of it; the rest share what is left.
  const allotted = new Map<number, number>();
  const bySize = sections.map((s, i) => ({ i, size: length(s.body) })).sort((a, b) => a.size - b.size);
  bySize.forEach(({ i, size }, rank) => {
    const share = Math.floor(budget / (bySize.length - rank));
    const given = Math.min(size, share);
    allotted.set(i, given);
    budget -= given;
  });

  const parts = sections.map((section, i) => {
    const body = cutLines(section.body, allotted.get(i) ?? 0);
    return [section.heading, body].filter((p) => p.trim() !== '').join('\n');
  });
  return { text: `${parts.filter((p) => p !== '').join('\n\n')}\n\n${note}`, shortened: true };
}

/** What marks a section whose end was left out. */
const CUT_MARK = '…';

interface HeadedSection {
  /** The heading line; '' for what comes before the first heading. */
  heading: string;
  body: string;
}

/**
 * The document cut before each section start, outside code fences: an ATX heading, or a top-level
 * bullet with an indented body under it, on the next line or after a blank line (a section whose
 * heading is a bullet). A top-level list item with children, or with a paragraph after a blank
 * line, passes for one too; that only costs it its first line being kept.
 */
function splitAtHeadings(markdown: string): HeadedSection[] {
  const sections: HeadedSection[] = [{ heading: '', body: '' }];
  const bodies: string[][] = [[]];
  const lines = markdown.split('\n');
  let inFence = false;
  lines.forEach((line, i) => {
    const fence = /^\s{0,3}(```|~~~)/.test(line);
    // Its body starts on the next line (a list), or after a blank line (any other body).
    const bodyLine = lines[i + 1] === '' ? lines[i + 2] : lines[i + 1];
    const bulletHeading = /^[-*+]\s/.test(line) && /^\s+\S/.test(bodyLine ?? '');
    const starts = !inFence && !fence && (/^\s{0,3}#{1,6}(\s|$)/.test(line) || bulletHeading);
    if (fence) inFence = !inFence;
    if (starts) {
      sections.push({ heading: line, body: '' });
      bodies.push([]);
    } else {
      bodies.at(-1)!.push(line);
    }
  });
  sections.forEach((section, i) => {
    // Leading blank lines stay: the blank line between a heading and its body.
    section.body = bodies[i]!.join('\n').trimEnd();
  });
  return sections.filter((s) => s.heading !== '' || s.body !== '');
}

/** The first lines of `body` that fit in `max` characters, then `…` (and a fence closed if one was left open). */
function cutLines(body: string, max: number): string {
  if ([...body].length <= max) return body;
  const kept: string[] = [];
  let size = 0;
  for (const line of body.split('\n')) {
    const added = [...line].length + 1;
    if (size + added > max) break;
    kept.push(line);
    size += added;
  }
  const openFence = kept.filter((line) => /^\s{0,3}(```|~~~)/.test(line)).length % 2 === 1;
  return [...kept, ...(openFence ? ['```'] : []), CUT_MARK].join('\n');
}
