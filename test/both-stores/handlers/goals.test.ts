import { afterEach, describe, expect, it } from 'vitest';
import { answerInMemory } from '../../../handlers/inbound/command.ts';
import { openWeekNow } from '../../../handlers/cycle/prompt.ts';
import { compileWeek } from '../../../handlers/cycle/publish.ts';
import type { Store } from '../../../src/store/store.ts';
import { consoleBot, FakeClock, seedReply } from '../../support/bot.ts';
import { discardTestStore, openTestStore } from '../../support/test-store.ts';

const W22_TUESDAY = '2024-05-28T15:34:00+08:00';
const W23_TUESDAY = '2024-06-04T15:34:00+08:00';
const TEAM = 'payments-weekly';
let store: Store | undefined;

afterEach(async () => {
  if (store) await discardTestStore(store);
  store = undefined;
});

/**
 * Two weeks on the console: in 2024-W22 the lead sets next week's goals (the reference's five), and
 * 2024-W23 opens, so the lead's 收获与反思 prompt carries them as a checklist.
 */
async function goalsCarriedOver(label: string) {
  store = await openTestStore(label);
  const clock = new FakeClock(new Date(W22_TUESDAY));
  const bot = await consoleBot(store, clock);
  const promptOf = (owner: string, sectionId: string, week: string) =>
    bot.platform.messages.find((m) => m.channel === `@${owner}` && m.answerForm?.sectionId === sectionId && m.answerForm.week === week)!;
  await openWeekNow(bot.ctx, bot.team, '2024-W22');
  expect(promptOf('lead', 'reflections', '2024-W22').text).not.toContain('上周目标回顾');
  await bot.session.say(seedReply('next-week'), promptOf('lead', 'next-week', '2024-W22').id);
  clock.set(W23_TUESDAY);
  await openWeekNow(bot.ctx, bot.team, '2024-W23');
  const prompt = promptOf('lead', 'reflections', '2024-W23');
  const thread = () => bot.platform.channelMessages('@lead', prompt.id);
  return { bot, clock, prompt, thread };
}

describe('goals that carry over, on the console', () => {
  it('sends the reviewing section’s owner last week’s goals as numbered lines, with how to mark them', async () => {
    const { bot, prompt } = await goalsCarriedOver('goals-prompt');
    expect(prompt.text).toContain(
      [
        '📋 上周目标回顾（2024-W22 下周工作及目标）：',
        '1. ⬜ 支付安全方案设计与内部评审',
        '2. ⬜ 银行体系账户子户模型的改进',
        '3. ⬜ 聚合支付商业计划更新',
        '4. ⬜ AI影像数字化（DocAI）沟通以及下阶段计划',
        '5. ⬜ 54321计划项目进度跟进',
        '逐条标记：在话题中回复 “目标 1 完成”、“目标 2 进行中 等待评审” 或 “目标 3 放弃：原因”，可一次写多行。',
      ].join('\n'),
    );
    // Only that prompt: the goals section's own prompt and the others are as before.
    const others = bot.platform.messages.filter((m) => m.answerForm?.week === '2024-W23' && m.id !== prompt.id);
    expect(others.length).toBeGreaterThan(10);
    expect(others.every((m) => !m.text.includes('上周目标回顾'))).toBe(true);
  });

  it('stores a review typed in the prompt’s thread once, confirms it, and leaves the section unanswered', async () => {
    const { bot, prompt, thread } = await goalsCarriedOver('goals-typed');
    const typed = await bot.session.say('目标 1 完成\n目标 2 进行中 等待评审', prompt.id);
    // The platform delivers the same event again: nothing new is stored or said.
    await bot.session.deliver(typed);

    const reviews = await store!.listGoalReviews(TEAM, '2024-W23');
    expect(reviews).toMatchObject([
      {
        sectionId: 'next-week',
        goalsWeek: '2024-W22',
        owner: 'lead',
        revision: 1,
        marks: [
          { goal: 1, status: 'done', note: '' },
          { goal: 2, status: 'in-progress', note: '等待评审' },
        ],
        rawText: '目标 1 完成\n目标 2 进行中 等待评审',
      },
    ]);
    const confirmations = thread().filter((m) => m.text.startsWith('✅ 已记录目标回顾'));
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]!.text).toContain('（2024-W22 下周工作及目标，已回顾 2/5）');
    expect(confirmations[0]!.text).toContain(
      '1. ✅ 支付安全方案设计与内部评审（完成）\n2. 🔄 银行体系账户子户模型的改进（进行中：等待评审）\n3. ⬜ 聚合支付商业计划更新',
    );
    expect(await store!.latestSubmission({ teamId: TEAM, week: '2024-W23', sectionId: 'reflections', owner: 'lead' })).toBeNull();

    // Anything else in the thread is the section's answer, as before.
    await bot.session.say('本周收获：评审节奏更稳定', prompt.id);
    expect((await store!.latestSubmission({ teamId: TEAM, week: '2024-W23', sectionId: 'reflections', owner: 'lead' }))?.rawText).toBe(
      '本周收获：评审节奏更稳定',
    );
    expect(await store!.listGoalReviews(TEAM, '2024-W23')).toHaveLength(1);
  });

  it('refuses a review it cannot store, saying what to fix and giving the owner’s text back', async () => {
    const { bot, prompt, thread } = await goalsCarriedOver('goals-refused');
    await bot.session.say('目标 1 完成\n目标 9 完成', prompt.id);
    const refusal = thread().at(-1)!;
    expect(refusal.text).toBe(
      '⚠️ 目标回顾没有保存：第 2 行（“目标 9 完成”）：上周只有 5 个目标，没有目标 9。\n\n你发送的内容（未保存，可复制修改后重发）：\n目标 1 完成\n目标 9 完成',
    );
    expect(await store!.listGoalReviews(TEAM, '2024-W23')).toEqual([]);
    expect(await store!.latestSubmission({ teamId: TEAM, week: '2024-W23', sectionId: 'reflections', owner: 'lead' })).toBeNull();
  });

  it('takes a review sent to the bot outside any thread, latest mark winning, and counts it in status', async () => {
    const { bot } = await goalsCarriedOver('goals-direct');
    await bot.session.say('目标 3 放弃：优先级调整\n目标 1 进行中');
    await bot.session.say('目标 1 完成');
    const reviews = await store!.listGoalReviews(TEAM, '2024-W23');
    expect(reviews.map((r) => r.revision)).toEqual([1, 2]);

    await bot.session.command('status');
    expect(bot.answers.at(-1)!.message.text).toContain('\n🎯 目标回顾：2/5');
  });

  it('never sends the status from before a review with a command’s acknowledgement', async () => {
    const { bot } = await goalsCarriedOver('goals-status-at-once');
    const status = { sender: { platform: 'console', userId: 'lead' }, text: 'status', channel: '@lead' };
    await bot.session.say('目标 1 完成');
    await bot.session.command('status');
    expect(answerInMemory(bot.ctx, status)?.text).toContain('\n🎯 目标回顾：1/5');
    await bot.session.say('目标 2 完成');
    expect(answerInMemory(bot.ctx, status)).toBeNull();
    await bot.session.command('status');
    expect(answerInMemory(bot.ctx, status)?.text).toContain('\n🎯 目标回顾：2/5');
  });

  it('shows the marks so far in a prompt sent later (a delegate’s), and prints the review where a layout says', async () => {
    const { bot } = await goalsCarriedOver('goals-later-prompt');
    await bot.session.say('目标 1 完成\n目标 2 进行中 等待评审');
    await bot.session.command('delegate reflections owner-o2');
    const delegated = bot.platform.messages.find((m) => m.channel === '@owner-o2' && m.answerForm?.sectionId === 'reflections')!;
    expect(delegated.text).toContain(
      '1. ✅ 支付安全方案设计与内部评审（完成）\n2. 🔄 银行体系账户子户模型的改进（进行中：等待评审）\n3. ⬜ 聚合支付商业计划更新',
    );

    const team = { ...bot.team, layout: '{{section.reflections}}\n\n{{#if goals.review}}## 上周目标回顾\n\n{{goals.review}}{{/if}}' };
    const cycle = (await store!.getCycle(TEAM, '2024-W23'))!;
    // What publishing compiles: the week's answers and its goal reviews.
    const report = await compileWeek(bot.ctx, team, cycle);
    expect(report.markdown).toBe(
      [
        '## 收获与反思',
        '',
        '暂无',
        '',
        '## 上周目标回顾',
        '',
        '1. 支付安全方案设计与内部评审 —— ✅ 完成',
        '2. 银行体系账户子户模型的改进 —— 🔄 进行中：等待评审',
        '3. 聚合支付商业计划更新 —— ⬜ 未回顾',
        '4. AI影像数字化（DocAI）沟通以及下阶段计划 —— ⬜ 未回顾',
        '5. 54321计划项目进度跟进 —— ⬜ 未回顾',
        '',
      ].join('\n'),
    );
  });

  it('refuses a checklist choice from someone who does not review the goals, and stores nothing', async () => {
    const { bot } = await goalsCarriedOver('goals-not-yours');
    await bot.session.deliver({
      sender: { platform: 'console', userId: 'owner-o1' },
      eventId: 'console-choice:1',
      channel: '@owner-o1',
      goalReview: { teamId: TEAM, week: '2024-W23', sectionId: 'next-week', goal: 1, status: 'done' },
      input: { source: 'text', text: 'goal 1 done' },
      rawText: 'goal 1 done',
    });
    expect(await store!.listGoalReviews(TEAM, '2024-W23')).toEqual([]);
    expect(bot.platform.channelMessages('@owner-o1').at(-1)!.text).toBe('⚠️ 目标回顾没有保存：这份清单由 Lead 回顾，不是你。');
  });

  it('treats 目标 lines in another section’s thread as that section’s answer', async () => {
    const { bot } = await goalsCarriedOver('goals-other-thread');
    bot.session.you = 'owner-o1';
    const o1 = bot.platform.messages.find((m) => m.channel === '@owner-o1' && m.answerForm?.sectionId === 'o1' && m.answerForm.week === '2024-W23')!;
    await bot.session.say('目标 1 完成', o1.id);
    expect(await store!.listGoalReviews(TEAM, '2024-W23')).toEqual([]);
    expect((await store!.latestSubmission({ teamId: TEAM, week: '2024-W23', sectionId: 'o1', owner: 'owner-o1' }))?.rawText).toBe('目标 1 完成');
  });
});
