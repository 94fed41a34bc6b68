import { describe, expect, it } from 'vitest';
import { ArchiveLinks } from '../../src/archive/links.ts';
import { publishWeek } from '../../handlers/cycle/publish.ts';
import { consoleBot, FakeClock } from '../support/bot.ts';
import { storeReferenceWeek, storeWeek, W22_CREATED, W22_REPLIES } from '../support/stored-weeks.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { messagesFor } from '../../handlers/texts/messages.ts';

const SECRET = 'archive-command-test-secret-0123456789abcdef';
/** Monday 10 June 2024 in Shanghai: 2024-W24; 2024-W22 and 2024-W23 are published. */
const NOW = new Date('2024-06-10T10:00:00+08:00');

async function archiveBot(archive = true) {
  const store = new MemoryStore();
  const clock = new FakeClock(NOW);
  const bot = await consoleBot(store, clock);
  if (archive) bot.ctx.archive = new ArchiveLinks(SECRET, 'https://reports.example.com');
  await storeWeek(store, bot.team, '2024-W22', W22_CREATED, W22_REPLIES, new Date('2024-05-31T17:00:00+08:00'));
  await storeReferenceWeek(store, bot.team, new Date('2024-06-07T17:00:00+08:00'));
  const ask = async (command: string, as = 'lead') => {
    bot.session.you = as;
    await bot.session.command(command);
    const answer = bot.answers.at(-1)!;
    expect(answer.visibility).toBe('caller');
    return answer.message.text;
  };
  return { ...bot, clock, ask };
}

/** The links in an answer, each with what it opens, checked as the archive's server checks them. */
function linksIn(text: string, links: ArchiveLinks) {
  return [...text.matchAll(/https:\/\/reports\.example\.com(\/archive\/[^\s?]+)\?(\S+)/g)].map(([, path, query]) => {
    const week = /\/weeks\/(\d{4}-W\d{2})$/.exec(path!)?.[1];
    const check = links.check(new URLSearchParams(query), 'payments-weekly', week, NOW);
    return { path, scope: check.ok ? check.scope : check.status };
  });
}

describe('/weekly-report archive', () => {
  it('gives a lead the team’s link, opening every page', async () => {
    const bot = await archiveBot();
    const text = await bot.ask('archive');
    expect(linksIn(text, bot.ctx.archive!)).toEqual([{ path: '/archive/payments-weekly', scope: { teamId: 'payments-weekly' } }]);
    expect(text).toContain('链接有效期至 2024-07-10 10:00');
  });

  it('gives a lead the team’s link and the week’s when asked for a week', async () => {
    const bot = await archiveBot();
    const text = await bot.ask('archive 2024-W22');
    expect(linksIn(text, bot.ctx.archive!)).toEqual([
      { path: '/archive/payments-weekly', scope: { teamId: 'payments-weekly' } },
      { path: '/archive/payments-weekly/weeks/2024-W22', scope: { teamId: 'payments-weekly', week: '2024-W22' } },
    ]);
  });

  it('gives a member who is not a lead one week’s link only: the last published, or the one asked for', async () => {
    const bot = await archiveBot();
    const latest = await bot.ask('archive', 'owner-o1');
    expect(linksIn(latest, bot.ctx.archive!)).toEqual([
      { path: '/archive/payments-weekly/weeks/2024-W23', scope: { teamId: 'payments-weekly', week: '2024-W23' } },
    ]);
    const asked = await bot.ask('archive 2024-w22', 'owner-o1');
    expect(linksIn(asked, bot.ctx.archive!)).toEqual([
      { path: '/archive/payments-weekly/weeks/2024-W22', scope: { teamId: 'payments-weekly', week: '2024-W22' } },
    ]);
    // Their link opens no other page: not the team's, whose participation shows everyone.
    const query = new URL(/https:\S+/.exec(asked)![0]).searchParams;
    expect(bot.ctx.archive!.check(query, 'payments-weekly', undefined, NOW)).toMatchObject({ ok: false, status: 401 });
  });

  it('gives no link to a week with no report, and a member a draft week’s when they ask for it', async () => {
    const bot = await archiveBot();
    expect(await bot.ask('archive 2024-W24', 'owner-o1')).toBe('2024-W24 没有周报记录。');
    expect(await bot.ask('archive 2024-W24')).toBe('2024-W24 没有周报记录。');
    await storeWeek(bot.ctx.store, bot.team, '2024-W24', NOW, [{ sectionId: 'o1', text: '1. 本周内容' }]);
    expect(linksIn(await bot.ask('archive 2024-W24', 'owner-o1'), bot.ctx.archive!)).toEqual([
      { path: '/archive/payments-weekly/weeks/2024-W24', scope: { teamId: 'payments-weekly', week: '2024-W24' } },
    ]);
    // Without a week, still the last published one.
    expect(linksIn(await bot.ask('archive', 'owner-o1'), bot.ctx.archive!)[0]!.path).toBe('/archive/payments-weekly/weeks/2024-W23');
  });

  it('says what is wrong with a word that is not a week, and what to type', async () => {
    const bot = await archiveBot();
    expect(await bot.ask('archive 2024-23')).toContain('/weekly-report archive 2024-W23');
  });

  it('says how to turn the archive on when it is off', async () => {
    const bot = await archiveBot(false);
    const text = await bot.ask('archive');
    expect(text).toContain('ARCHIVE_SECRET');
    expect(text).not.toContain('http');
  });

  it('is in the help, in both languages', async () => {
    const bot = await archiveBot();
    expect(await bot.ask('help')).toContain('• `archive [2024-W23]` — 网页版周报归档');
    expect(messagesFor('en').help).toContain('• `archive [2024-W23]` — a signed link to the web archive');
  });
});

describe('the digest header with the archive on', () => {
  it('links the week’s page with an expiry fixed by the week, so that publishing again posts the same header', async () => {
    const bot = await archiveBot();
    await bot.ctx.store.openCycle('payments-weekly', '2024-W24', NOW);
    await storeWeek(bot.ctx.store, bot.team, '2024-W24', NOW, [{ sectionId: 'o1', text: '1. 本周内容' }]);
    expect(await publishWeek(bot.ctx, bot.team, '2024-W24', bot.holder)).toEqual({ status: 'published', updated: false });
    const header = bot.platform.messages[0]!.text;
    const line = header.split('\n').find((l) => l.startsWith('🔗 网页版：'));
    expect(line).toBeDefined();
    const [link] = linksIn(line!, bot.ctx.archive!);
    expect(link).toEqual({ path: '/archive/payments-weekly/weeks/2024-W24', scope: { teamId: 'payments-weekly', week: '2024-W24' } });
    // Friday 14 June 17:00 in Shanghai, the week's publish time, plus 30 days.
    expect(new URL(/https:\S+/.exec(line!)![0]).searchParams.get('exp')).toBe(String(Date.parse('2024-07-14T17:00:00+08:00') / 1000));

    // Republished a day later with nothing changed: the same header, so nothing is posted or edited.
    bot.clock.advance(24 * 3600_000);
    const before = bot.platform.messages.map((m) => m.text);
    await publishWeek(bot.ctx, bot.team, '2024-W24', bot.holder);
    expect(bot.platform.messages.map((m) => m.text)).toEqual(before);
  });

  it('has no link when the archive is off', async () => {
    const bot = await archiveBot(false);
    await storeWeek(bot.ctx.store, bot.team, '2024-W24', NOW, [{ sectionId: 'o1', text: '1. 本周内容' }]);
    await publishWeek(bot.ctx, bot.team, '2024-W24', bot.holder);
    expect(bot.platform.messages[0]!.text).not.toContain('http');
  });
});
