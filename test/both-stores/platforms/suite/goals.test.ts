import { afterEach, describe, expect, it } from 'vitest';
import { goalReviewStatus } from '../../../../handlers/cycle/goals.ts';
import { openWeekNow } from '../../../../handlers/cycle/prompt.ts';
import { seedReply } from '../../../support/bot.ts';
import type { Prompt } from '../../../platforms/suite/platform-harness.ts';
import { PLATFORMS, type PlatformHarness } from '../../../platforms/suite/platforms.ts';

const TEAM = 'payments-weekly';
const GOALS = [
  '支付安全方案设计与内部评审',
  '银行体系账户子户模型的改进',
  '聚合支付商业计划更新',
  'AI影像数字化（DocAI）沟通以及下阶段计划',
  '54321计划项目进度跟进',
];

/**
 * Goals that carry over (issue #13): last week's 下周计划 is reviewed in this week's 收获与反思
 * prompt, by typing in its thread everywhere, and with a menu per goal where the platform has them.
 */
describe.each(PLATFORMS)('goals that carry over, on $name', (platform) => {
  const { capabilities } = platform;
  let h: PlatformHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** In 2024-W22 the lead sets the reference's five goals; 2024-W23 opens. */
  async function goalsCarriedOver(label: string): Promise<{ week: PlatformHarness; prompt: Prompt }> {
    const week = await platform.start(label, { now: '2024-05-28T15:34:00+08:00' });
    h = week;
    await openWeekNow(week.ctx, week.team, '2024-W22');
    await week.reply('lead', (await week.prompt('lead', 'next-week', '2024-W22')).ref, seedReply('next-week'));
    week.setNow('2024-06-04T15:34:00+08:00');
    await openWeekNow(week.ctx, week.team, '2024-W23');
    return { week, prompt: await week.prompt('lead', 'reflections', '2024-W23') };
  }
  const reviewed = (week: PlatformHarness, prompt: Prompt) => week.thread(prompt.ref).filter((m) => m.text.startsWith('✅ 已记录目标回顾'));

  it.skipIf(capabilities.goalMenus)('lists last week’s goals in the 收获与反思 prompt, to review by typing', async () => {
    const { prompt } = await goalsCarriedOver('goals_lines');
    expect(prompt.text).toContain(GOALS.map((goal, i) => `${i + 1}. ⬜ ${goal}`).join('\n'));
  });

  it.skipIf(!capabilities.goalMenus)('shows last week’s goals in the 收获与反思 prompt, each with a menu of 完成 / 进行中 / 放弃', async () => {
    const { week, prompt } = await goalsCarriedOver('goals_menus');
    const menus = week.goalMenus(prompt);
    expect(menus.map((m) => m.text)).toEqual(GOALS.map((goal, i) => `${i + 1}. ${goal}`));
    for (const menu of menus) {
      expect(menu.options).toEqual([
        ['✅ 完成', 'done'],
        ['🔄 进行中', 'in-progress'],
        ['❌ 放弃', 'dropped'],
      ]);
      expect(menu.initial).toBeUndefined();
    }
  });

  it.skipIf(!capabilities.goalMenus)('stores a menu choice once, however often it is delivered, and confirms it in the prompt’s thread', async () => {
    const { week, prompt } = await goalsCarriedOver('goals_choice');
    const choice = await week.chooseGoal('lead', prompt, 3, 'dropped');
    await choice.again();

    const reviews = await week.store.listGoalReviews(TEAM, '2024-W23');
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({
      sectionId: 'next-week',
      goalsWeek: '2024-W22',
      owner: 'lead',
      platform: week.name,
      marks: [{ goal: 3, status: 'dropped' }],
      rawText: 'goal 3 dropped',
    });
    expect(reviewed(week, prompt)).toHaveLength(1);
    expect(reviewed(week, prompt)[0]!.text).toContain('已回顾 1/5');
    expect(reviewed(week, prompt)[0]!.text).toContain('3. ❌ 聚合支付商业计划更新（放弃）');
  });

  it('takes a review typed in the prompt’s thread, which is not the section’s answer', async () => {
    const { week, prompt } = await goalsCarriedOver('goals_typed');
    await week.reply('lead', prompt.ref, '目标 1 完成\n目标 2 进行中：等待评审');

    expect((await week.store.listGoalReviews(TEAM, '2024-W23'))[0]!.marks).toEqual([
      { goal: 1, status: 'done', note: '' },
      { goal: 2, status: 'in-progress', note: '等待评审' },
    ]);
    expect(reviewed(week, prompt)).toHaveLength(1);
    expect(reviewed(week, prompt)[0]!.text).toContain('已回顾 2/5');
    expect(await goalReviewStatus(week.ctx, week.team, '2024-W23')).toBe('🎯 目标回顾：2/5');
    expect(await week.store.latestSubmission({ teamId: TEAM, week: '2024-W23', sectionId: 'reflections', owner: 'lead' })).toBeNull();
  });

  it.skipIf(!capabilities.goalMenus)('keeps a note typed earlier that a later menu choice does not carry, and counts both in status', async () => {
    const { week, prompt } = await goalsCarriedOver('goals_typed_then_chosen');
    await week.reply('lead', prompt.ref, '目标 2 进行中 等待评审\n目标 3 放弃：优先级调整');
    await week.chooseGoal('lead', prompt, 2, 'done');

    expect((await week.store.listGoalReviews(TEAM, '2024-W23')).map((r) => r.revision)).toEqual([1, 2]);
    expect(reviewed(week, prompt).at(-1)!.text).toContain('2. ✅ 银行体系账户子户模型的改进（完成：等待评审）\n3. ❌ 聚合支付商业计划更新（放弃：优先级调整）');
    expect(await goalReviewStatus(week.ctx, week.team, '2024-W23')).toBe('🎯 目标回顾：2/5');
    expect(await week.store.latestSubmission({ teamId: TEAM, week: '2024-W23', sectionId: 'reflections', owner: 'lead' })).toBeNull();
  });

  it.skipIf(!capabilities.goalMenus)('starts the menus of a prompt sent after a review from where each goal stands', async () => {
    const { week, prompt } = await goalsCarriedOver('goals_delegated');
    await week.reply('lead', prompt.ref, '目标 1 完成\n目标 2 进行中：等待评审');
    // Handed to someone else this week: their prompt shows where each goal stands.
    await week.store.recordDelegation({
      teamId: TEAM,
      week: '2024-W23',
      sectionId: 'reflections',
      person: 'owner-o2',
      setBy: 'lead',
      at: new Date('2024-06-04T16:00:00+08:00'),
    });
    await openWeekNow(week.ctx, week.team, '2024-W23');
    expect(week.goalMenus(await week.prompt('owner-o2', 'reflections', '2024-W23')).map((m) => m.initial)).toEqual([
      'done',
      'in-progress',
      undefined,
      undefined,
      undefined,
    ]);
  });
});
