import { parseReply } from '../../src/report/parse/index.ts';
import type { SectionDefinition, Team } from '../../src/report/definition.ts';
import type { SectionContent } from '../../src/report/model.ts';
import type { Store } from '../../src/store/store.ts';
import { momentInWeek } from '../../src/report/week.ts';
import { hostileInputs, storedContent, type HostileInput } from '../report/hostile-corpus.ts';

/** Longer inputs each get a section of their own, as in test/platforms/hostile-week.test.ts. */
const LONG_INPUT = 1_000;

/**
 * A published week whose every section holds the hostile corpus (test/fixtures/hostile/), sent after
 * the report went out, one message per input as owners add to their sections, and then republished: the week's page
 * shows each input twice, in the report and as typed among its revisions (one revision each). Each
 * input is what the reply parser made of it, or, when the parser refuses it, the text stored as it
 * is (as content an older parser or a tool wrote): the page must hold even what the parser would
 * never let through.
 * The inputs that open an HTML comment come last: on a page that let owner markup through, an
 * unclosed comment would hide every input after it, and a test would see none of them run.
 */
export async function seedHostileWeek(store: Store, team: Team, week: string): Promise<{ inputs: HostileInput[]; messages: string[] }> {
  const { definition } = team;
  const opened = momentInWeek(week, definition.schedule.open, definition.timeZone);
  const published = momentInWeek(week, definition.schedule.publish, definition.timeZone);
  await store.openCycle(definition.id, week, opened);
  await store.markPublished(definition.id, week, [], published);

  const inputs = hostileInputs();
  const targets = definition.sections.filter((s) => s.kind !== 'entries');
  const incidents = definition.sections.find((s) => s.kind === 'entries');
  const deliveries: { section: SectionDefinition; input: HostileInput }[] = [
    ...inputs.map((input, i) => ({ section: targets[i % targets.length]!, input })),
    // Every short input once more as an incident's text: the entries section renders owner text its own way.
    ...(incidents ? inputs.filter(({ text }) => [...text].length <= LONG_INPUT).map((input) => ({ section: incidents, input })) : []),
  ];
  const opensComment = ({ input }: { input: HostileInput }) => input.text.includes('<!--');
  const ordered = [...deliveries.filter((d) => !opensComment(d)), ...deliveries.filter(opensComment)];

  const sent = new Map<SectionDefinition, SectionContent[]>();
  for (const [i, { section, input }] of ordered.entries()) {
    const contents = [...(sent.get(section) ?? []), contentOf(section, input.text)];
    sent.set(section, contents);
    await store.recordSubmission({
      teamId: definition.id,
      week,
      sectionId: section.id,
      owner: section.owners[0]!,
      platform: 'console',
      eventId: `hostile:${week}:${i}`,
      rawText: input.text,
      content: merged(section, contents),
      receivedAt: new Date(published.getTime() + (i + 1) * 60_000),
    });
  }
  // Republished after the last of them (as a late answer is, with lateAnswers: update): the posted report holds them all.
  await store.markPublished(definition.id, week, [], new Date(published.getTime() + (ordered.length + 1) * 60_000));
  return { inputs, messages: ordered.map(({ input }) => input.text) };
}

/** What the parser makes of `text` in the section, or the text as content of the section's kind. */
function contentOf(section: SectionDefinition, text: string): SectionContent {
  if (section.kind !== 'entries') {
    const parsed = parseReply({ source: 'text', text }, section);
    if (parsed.ok) return parsed.content;
  }
  return storedContent(section, text);
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
