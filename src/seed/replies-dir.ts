import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { TeamDefinition } from '../report/definition.ts';

/** One reply as an owner would type it, read from a replies folder. */
export interface ReplyFile {
  sectionId: string;
  owner: string;
  file: string;
  text: string;
}

export interface RepliesDir {
  replies: ReplyFile[];
  /** Files that match no section, reported so that a typo in a name is not silently ignored. */
  ignored: string[];
}

/**
 * Reads `<dir>/<section-id>.md` (the section's first owner) and `<dir>/<section-id>/<owner>.md`
 * (one file per owner of a shared section). `expected.md` is the golden output, not a reply.
 */
export async function readRepliesDir(dir: string, definition: TeamDefinition): Promise<RepliesDir> {
  const replies: ReplyFile[] = [];
  const ignored: string[] = [];
  const entries = (await readdir(dir)).sort();
  for (const name of entries) {
    const full = path.join(dir, name);
    const sectionId = name.replace(/\.(md|txt)$/, '');
    const section = definition.sections.find((s) => s.id === sectionId);
    if ((await stat(full)).isDirectory() && section) {
      for (const ownerFile of (await readdir(full)).sort()) {
        const owner = ownerFile.replace(/\.(md|txt)$/, '');
        const ownerPath = path.join(full, ownerFile);
        if (!(owner in definition.people) || owner === ownerFile) {
          ignored.push(ownerPath);
          continue;
        }
        replies.push({ sectionId, owner, file: ownerPath, text: await readFile(ownerPath, 'utf8') });
      }
      continue;
    }
    if (!section || sectionId === name) {
      if (name !== 'expected.md') ignored.push(full);
      continue;
    }
    replies.push({ sectionId, owner: section.owners[0] ?? '', file: full, text: await readFile(full, 'utf8') });
  }
  return { replies, ignored };
}
