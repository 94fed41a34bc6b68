import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { runDueJobs } from '../../../handlers/jobs.ts';
import type { BotContext } from '../../../src/bot/context.ts';
import { loadTeamById } from '../../../src/config/definitions.ts';
import { inboundHandlers } from '../../../src/app.ts';
import { createLogger } from '../../../src/log.ts';
import { configuredPlatforms } from '../../../src/platforms/chat-runtimes.ts';
import { Inbound } from '../../../src/platforms/inbound.ts';
import { PLATFORM_MODULES, PLATFORM_NAMES } from '../../../src/platforms/modules.ts';
import { memoModule, MemoPlatform } from '../../fakes/memo-platform.ts';
import { FakeClock, seedReply } from '../../support/bot.ts';
import { documentLines, EXPECTED_MD } from '../../support/golden.ts';
import { discardTestStore, openTestStore } from '../../support/test-store.ts';

const TEMPLATES = fileURLToPath(new URL('../../../templates/', import.meta.url));

/** The payments team, with every person on Memo only and the report posted to a Memo room. */
async function memoTeamDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'memo-team-'));
  const raw = parseYaml(await readFile(path.join(TEMPLATES, 'payments-weekly.yaml'), 'utf8')) as Record<string, unknown>;
  const people = raw.people as Record<string, Record<string, string>>;
  raw.people = Object.fromEntries(Object.entries(people).map(([key, person]) => [key, { name: person.name!, memo: `mm-${key}` }]));
  raw.post = { memo: { room: 'room-payments' } };
  await writeFile(path.join(dir, 'payments-weekly.yaml'), stringify(raw));
  await cp(path.join(TEMPLATES, 'payments-weekly.md'), path.join(dir, 'payments-weekly.md'));
  return dir;
}

describe('a third platform added as one module', () => {
  const modules = [...PLATFORM_MODULES, memoModule];

  it('is configured from its own variables', () => {
    expect(configuredPlatforms(modules, { MEMO_TOKEN: 't' }, { PORT: 3000 }).map((c) => c.module.name)).toEqual(['memo']);
  });

  it('runs a whole week: prompts, replies in its own format, the report in its room', async () => {
    const team = await loadTeamById('payments-weekly', modules, await memoTeamDir());
    const store = await openTestStore('memo-week', createLogger('memo'), [...PLATFORM_NAMES, memoModule.name]);
    const memo = new MemoPlatform();
    const clock = new FakeClock(new Date('2024-06-04T15:34:00+08:00'));
    const ctx: BotContext = { teams: [team], store, modules, platforms: { memo }, clock, logger: createLogger('memo') };
    const inbound = new Inbound(inboundHandlers(ctx, 'memo-holder'), { logger: ctx.logger });
    try {
      // Tuesday: the week opens and every owner gets a prompt on Memo.
      await runDueJobs(ctx, team, 'memo-holder');
      const prompts = memo.messages.filter((m) => m.room.startsWith('dm:'));
      const owners = team.definition.sections.flatMap((s) => s.owners.map((o) => `dm:mm-${o}`));
      expect(prompts.map((m) => m.room).sort()).toEqual(owners.sort());

      // Each owner answers in the prompt's thread, as Memo sends it: an array of lines.
      for (const section of team.definition.sections.filter((s) => s.id !== 'reflections')) {
        const owner = section.owners[0]!;
        const prompt = prompts.find((m) => m.room === `dm:mm-${owner}` && m.text.includes(section.title))!;
        await inbound.dispatch({ platform: 'memo', eventId: `memo-${section.id}`, kind: 'reply' }, (h) =>
          h.onReply({
            sender: { platform: 'memo', userId: `mm-${owner}` },
            eventId: `memo-${section.id}`,
            channel: prompt.room,
            messageId: `typed-${section.id}`,
            replyTo: prompt.id,
            input: { source: 'memo-lines', lines: seedReply(section.id).split('\n') },
            rawText: seedReply(section.id),
          }),
        );
      }
      expect(memo.messages.filter((m) => m.text.startsWith('✅'))).toHaveLength(11);

      // Friday 17:00: the report goes to the Memo room, one message per section and the file.
      clock.set('2024-06-07T17:00:00+08:00');
      await runDueJobs(ctx, team, 'memo-holder');
      const file = memo.messages.find((m) => m.room === 'room-payments' && m.file);
      expect(documentLines(file!.file!.content)).toEqual(documentLines(EXPECTED_MD));
      expect(memo.messages.filter((m) => m.room === 'room-payments' && m.threadOf && !m.file).length).toBeGreaterThan(1);
    } finally {
      await inbound.idle();
      await discardTestStore(store);
    }
  });
});
