import { afterEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../handlers/cycle/jobs.ts';
import type { Store } from '../../src/store/store.ts';
import { consoleBot, FakeClock } from '../support/bot.ts';
import { discardTestStore, openTestStore } from '../support/test-store.ts';

const TUESDAY = '2024-06-04T15:34:00+08:00';
let store: Store | undefined;

afterEach(async () => {
  if (store) await discardTestStore(store);
  store = undefined;
});

/** The week open (Tuesday), acting as the owner of 【系统运行数据】, which declares nine metrics. */
async function metricsOwner(label: string) {
  store = await openTestStore(label);
  const bot = await consoleBot(store, new FakeClock(new Date(TUESDAY)));
  await runDueJobs(bot.ctx, bot.team, bot.holder);
  bot.session.you = 'owner-metrics';
  const prompt = bot.platform.messages.find((m) => m.channel === '@owner-metrics' && m.answerForm?.sectionId === 'metrics')!.id;
  const lastConfirmation = () => bot.platform.messages.filter((m) => m.channel === '@owner-metrics' && /^(✅|⚠️)/u.test(m.text)).at(-1)!;
  const stored = async () =>
    (await store!.latestSubmission({ teamId: 'payments-weekly', week: '2024-W23', sectionId: 'metrics', owner: 'owner-metrics' }))?.rawText;
  return { bot, prompt, lastConfirmation, stored };
}

const PERCENTAGES = '支付成功率：\n\n- 入金有效成功率：99.987%\n- 出金有效成功率：99.980%';
const THE_REST =
  '系统可用性：\n\n- 年度可用性：100%\n- 事故数AB级0次，CD级1次。\n\n截至6/7，待追款1个商户，金额 322 。 其中 账户已沉淀金额：128.8 待追回：193.2';

describe('an answer to a section that declares metrics', () => {
  it('is stored, and the confirmation names each declared metric it could not read, with the line to add', async () => {
    const { bot, prompt, lastConfirmation, stored } = await metricsOwner('metrics_missing');
    await bot.session.say(PERCENTAGES, prompt);
    expect(await stored()).toBe(PERCENTAGES);
    const confirmation = lastConfirmation().text;
    expect(confirmation).toMatch(/^✅ 已收到 【系统运行数据】（第 1 版）/);
    expect(confirmation).toContain('📈 有 7 个指标没有读到：已保存，但摘要和趋势图里会缺少它们。');
    expect(confirmation).toContain('• 回复里没有找到“年度可用性”（availability）。请加一行，例如：年度可用性：99.99%');
    expect(confirmation).toContain('• 回复里没有找到“待追回”（recovery-outstanding）。请加一行，例如：待追回：0');
    expect(confirmation).not.toContain('入金有效成功率”');
    expect(confirmation).toContain('再发一条消息写上这些行即可，会追加到这个部分，已发的内容不变。');

    // The rest in a second message: every metric reads, and nothing more is said about them.
    await bot.session.say(THE_REST, prompt);
    expect(lastConfirmation().text).toMatch(/^✅ 已收到 【系统运行数据】（第 2 版）/);
    expect(lastConfirmation().text).not.toContain('📈');
  });

  it('quotes a line that names a metric with no number after it', async () => {
    const { bot, prompt, lastConfirmation } = await metricsOwner('metrics_without_value');
    await bot.session.say(`${PERCENTAGES}\n\n${THE_REST.replace('年度可用性：100%', '年度可用性：待补充')}`, prompt);
    const confirmation = lastConfirmation().text;
    expect(confirmation).toContain('📈 有 1 个指标没有读到');
    expect(confirmation).toMatch(/• 第 \d+ 行有“年度可用性”（availability），但后面没有数值：“- 年度可用性：待补充”。请这样写：年度可用性：99.99%/);
  });

  it('says it in English for an English team', async () => {
    const { bot, prompt, lastConfirmation } = await metricsOwner('metrics_missing_en');
    bot.team.definition.locale = 'en';
    await bot.session.say(THE_REST, prompt);
    const confirmation = lastConfirmation().text;
    expect(confirmation).toContain('📈 2 metric(s) could not be read: the answer is saved, but the digest and trend charts will miss them.');
    expect(confirmation).toContain('• "入金有效成功率" (deposit-success-rate) was not found in your reply. Add a line like: 入金有效成功率：99.95%');
    expect(confirmation).toContain('Send another message with these lines: it is added to this section, and what you sent stays.');
  });

  it('says nothing about metrics when the owner has nothing this week', async () => {
    const { bot, prompt, lastConfirmation } = await metricsOwner('metrics_skip');
    await bot.session.say('本周无', prompt);
    expect(lastConfirmation().text).toContain('本周无内容');
    expect(lastConfirmation().text).not.toContain('📈');
  });
});
