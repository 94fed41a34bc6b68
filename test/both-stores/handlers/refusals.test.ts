import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseCommand } from '../../../handlers/inbound/command.ts';
import { runDueJobs } from '../../../handlers/cycle/jobs.ts';
import type { Store } from '../../../src/store/index.ts';
import { consoleBot, FakeClock, openTestStore, seedReply } from '../../support/bot.ts';

describe('what the bot refuses, and how', () => {
  let store: Store;
  let bot: Awaited<ReturnType<typeof consoleBot>>;
  const clock = new FakeClock(new Date('2024-06-05T10:00:00+08:00'));
  const stored = async () => (await store.latestSubmissions('payments-weekly', '2024-W23')).length;

  beforeAll(async () => {
    store = await openTestStore('refusals');
    bot = await consoleBot(store, clock);
    await runDueJobs(bot.ctx, bot.team, bot.holder);
  });
  afterAll(async () => {
    await store.close();
  });
  beforeEach(() => {
    bot.answers.length = 0;
  });

  it('explains politely to someone who owns no section, and stores nothing', async () => {
    bot.session.you = 'stranger';
    await bot.session.say('这是我的周报');
    const answer = bot.platform.messages.at(-1)!;
    expect(answer.channel).toBe('@stranger');
    expect(answer.text).toContain('你目前不负责任何周报部分');
    expect(await stored()).toBe(0);
  });

  it('refuses a repeated delivery of the same event once', async () => {
    bot.session.you = 'stranger';
    const before = bot.platform.messages.length;
    const delivered = await bot.session.say('再来一条');
    await bot.session.deliver(delivered);
    await bot.session.deliver(delivered);
    expect(bot.platform.messages.slice(before).map((m) => m.channel)).toEqual(['@stranger']);
  });

  it('asks an owner with several open sections which one a message outside a thread is for', async () => {
    bot.session.you = 'owner-o2';
    await bot.session.say(seedReply('o2'));
    const answer = bot.platform.messages.at(-1)!;
    expect(answer.text).toContain('你负责多个部分：【O2 能力升级】（o2）、【其他】（other）');
    expect(answer.text).toContain('这条消息没有被记录');
    expect(await stored()).toBe(0);
  });

  it('takes the section id alone on the first line as the answer to that section', async () => {
    bot.session.you = 'owner-o2';
    await bot.session.say(`o2\n${seedReply('o2')}`);
    const latest = await store.latestSubmissions('payments-weekly', '2024-W23');
    expect(latest.map((s) => `${s.sectionId}/${s.owner}`)).toEqual(['o2/owner-o2']);
    expect(bot.platform.messages.at(-1)!.text).toContain('✅ 已收到 【O2 能力升级】（第 1 版）');
  });

  it('rejects a reply with the parser’s message quoting the line, and stores nothing', async () => {
    const prompt = bot.platform.messages.find((m) => m.channel === '@owner-incidents' && m.answerForm)!;
    bot.session.you = 'owner-incidents';
    await bot.session.say('06/03 18:31 正常的一条\n\n这一行没有时间', prompt.id);
    const answer = bot.platform.messages.at(-1)!;
    expect(answer.threadOf).toBe(prompt.id);
    expect(answer.text).toMatch(/^⚠️ 【生产事件】 未保存：/);
    expect(answer.text).toContain('这一行没有时间');
    expect(await store.submissionHistory({ teamId: 'payments-weekly', week: '2024-W23', sectionId: 'incidents', owner: 'owner-incidents' })).toEqual([]);
  });

  it('refuses remind and publish to someone who is not a lead, saying who the leads are', async () => {
    bot.session.you = 'owner-o1';
    for (const sub of ['publish', 'remind']) {
      await bot.session.command(sub);
      expect(bot.answers.at(-1)).toMatchObject({ visibility: 'caller', message: { text: `只有周报负责人可以执行 ${sub}（负责人：Lead）。` } });
    }
    expect((await store.getCycle('payments-weekly', '2024-W23'))?.posts).toEqual([]);
    expect(bot.platform.messages.filter((m) => m.channel === '#payments-weekly')).toEqual([]);
  });

  it('answers an unknown subcommand with the help text', async () => {
    bot.session.you = 'lead';
    await bot.session.command('publsh');
    const reply = bot.answers.at(-1)!;
    expect(reply.visibility).toBe('caller');
    expect(reply.message.text).toContain('无法识别 “publsh”');
    expect(reply.message.text).toContain('`week 2024-W22`');
  });

  it('answers words a known subcommand cannot use with what is wrong and what to type, not the help text', async () => {
    bot.session.you = 'lead';
    const answers = {
      'status now': 'status 后面不需要 “now”。请输入：/weekly-report status',
      'week 2024-23': '“2024-23” 不是 ISO 周：周写成 2024-W22 这样（年份-W周数）。例如：/weekly-report week 2024-W22',
      week: '请写要看哪一周，例如：/weekly-report week 2024-W22（本周的草稿：/weekly-report preview）',
    };
    for (const [text, answer] of Object.entries(answers)) {
      await bot.session.command(text);
      expect(bot.answers.at(-1)).toEqual(expect.objectContaining({ visibility: 'caller', message: { text: answer } }));
    }
  });

  it('shows status to a member and the draft only to the caller', async () => {
    bot.session.you = 'owner-o1';
    await bot.session.command('status');
    expect(bot.answers.at(-1)!.message.text).toMatch(/^2024-W23 已提交 1\/12\n✅ 【O2 能力升级】\n⏳ 未提交：【贝易转】（Owner 贝易转）/);
    await bot.session.command('preview');
    expect(bot.answers.at(-1)).toMatchObject({ visibility: 'caller' });
    expect(bot.answers.at(-1)!.message.markdown).toContain('## 【O2 能力升级】\n\n1. 银商POS');
    await bot.session.command('week 2024-W22');
    expect(bot.answers.at(-1)!.message.text).toBe('2024-W22 没有周报记录。');
  });

  it('parses commands strictly', () => {
    expect(parseCommand('  STATUS ', ['payments-weekly'])).toEqual({ sub: 'status', teamId: undefined });
    expect(parseCommand('week 2024-w22 payments-weekly', ['payments-weekly'])).toEqual({ sub: 'week', week: '2024-W22', teamId: 'payments-weekly' });
    expect(parseCommand('', [])).toEqual({ sub: 'help', teamId: undefined });
    expect(parseCommand('week 2024-W99', [])).toEqual({
      sub: 'invalid',
      of: 'week',
      problem: { kind: 'week', word: '2024-W99', problem: { problem: 'no-such-week', year: 2024, weekNumber: 99, weeksInYear: 52, nearest: '2024-W52' } },
      teamId: undefined,
    });
    expect(parseCommand('publish now', [])).toMatchObject({ sub: 'invalid', of: 'publish', problem: { kind: 'publish-argument', word: 'now' } });
    expect(parseCommand('stauts', [])).toEqual({ sub: 'unknown', what: 'stauts' });
  });
});
