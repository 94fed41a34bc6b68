import { parseReply } from '../../src/report/parse/index.ts';
import type { SectionDefinition, Team } from '../../src/report/definition.ts';
import type { SectionContent } from '../../src/report/model.ts';
import type { Store } from '../../src/store/store.ts';
import { momentInWeek } from '../../src/report/week.ts';
import { hostileInputs, type HostileInput } from '../report/hostile-corpus.ts';

/** Longer inputs each get a section of their own, as in test/platforms/hostile-week.test.ts. */
const LONG_INPUT = 1_000;

/**
 * A published week whose every section holds the hostile corpus (test/fixtures/hostile/), sent after
 * the report went out: the week's page shows each input twice, in the report and among its
 * revisions (the text the owner typed). Each input is what the reply parser made of it, or, when
 * the parser refuses it, the text stored as it is (as content an older parser or a tool wrote):
 * the page must hold even what the parser would never let through.
 * A section gets several inputs, one after another, so that all of them fit in one week.
 */
export async function seedHostileWeek(store: Store, team: Team, week: string): Promise<{ inputs: HostileInput[] }> {
  const { definition } = team;
  const opened = momentInWeek(week, definition.schedule.open, definition.timeZone);
  const published = momentInWeek(week, definition.schedule.publish, definition.timeZone);
  await store.openCycle(definition.id, week, opened);
  await store.markPublished(definition.id, week, [], published);

  const inputs = hostileInputs();
  const targets = definition.sections.filter((s) => s.kind !== 'entries');
  const incidents = definition.sections.find((s) => s.kind === 'entries');
  const bySection = new Map<SectionDefinition, HostileInput[]>(targets.map((s) => [s, []]));
  inputs.forEach((input, i) => bySection.get(targets[i % targets.length]!)!.push(input));
  // Every short input once more as an incident's text: the entries section renders owner text its own way.
  if (incidents)
    bySection.set(
      incidents,
      inputs.filter(({ text }) => [...text].length <= LONG_INPUT),
    );

  let minute = 0;
  for (const [section, given] of bySection) {
    const contents = given.map(({ text }) => contentOf(section, text));
    minute += 1;
    await store.recordSubmission({
      teamId: definition.id,
      week,
      sectionId: section.id,
      owner: section.owners[0]!,
      platform: 'console',
      eventId: `hostile:${week}:${section.id}`,
      rawText: given.map(({ text }) => text).join('\n\n'),
      content: merged(section, contents),
      receivedAt: new Date(published.getTime() + minute * 60_000),
    });
  }
  return { inputs };
}

/** What the parser makes of `text` in the section, or the text as content of the section's kind. */
function contentOf(section: SectionDefinition, text: string): SectionContent {
  if (section.kind !== 'entries') {
    const parsed = parseReply({ source: 'text', text }, section);
    if (parsed.ok) return parsed.content;
  }
  switch (section.kind) {
    case 'list':
      return { kind: 'list', items: [{ text, children: [{ text, children: [] }] }] };
    case 'text':
      return { kind: 'text', markdown: text };
    case 'entries':
      return { kind: 'entries', entries: [{ time: '06/03 18:31', text }], notes: [text] };
  }
}

/** Several contents of one section as one answer: the items, paragraphs or entries one after another. */
function merged(section: SectionDefinition, contents: SectionContent[]): SectionContent {
  switch (section.kind) {
    case 'list':
      return { kind: 'list', items: contents.flatMap((c) => (c.kind === 'list' ? c.items : [])) };
    case 'text':
      return { kind: 'text', markdown: contents.map((c) => (c.kind === 'text' ? c.markdown : '')).join('\n\n') };
    case 'entries':
      return {
        kind: 'entries',
        entries: contents.flatMap((c) => (c.kind === 'entries' ? c.entries : [])),
        notes: contents.flatMap((c) => (c.kind === 'entries' ? c.notes : [])),
      };
  }
}
