import { afterEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../handlers/cycle/jobs.ts';
import { CachingStore } from '../../../src/store/caching-store.ts';
import type { Store } from '../../../src/store/store.ts';
import { consoleBot, FakeClock } from '../../support/bot.ts';
import { discardTestStore, openTestStore } from '../../support/test-store.ts';

/**
 * A section handed to someone else for a week (`/weekly-report delegate`): one section, one owner
 * at a time. payments-weekly opens Tuesday 15:30 and publishes Friday 17:00, Asia/Shanghai;
 * 2024-W23 is 3–9 June. O1 is Owner O1's; 【其他】 is the Lead's and Owner O2's.
 */
const TEAM = 'payments-weekly';
const WEEK = '2024-W23';
const TUESDAY = '2024-06-04T15:34:00+08:00';

let store: Store | undefined;
afterEach(async () => {
  if (store) await discardTestStore(store);
  store = undefined;
});

/** The week open on Tuesday, on one replica over a fresh store. */
async function openWeek(label: string) {
  store = await openTestStore(label);
  const clock = new FakeClock(new Date(TUESDAY));
  const bot = await consoleBot(store, clock);
  await runDueJobs(bot.ctx, bot.team, bot.holder);
  return withHelpers(bot, clock);
}

function withHelpers(bot: Awaited<ReturnType<typeof consoleBot>>, clock: FakeClock) {
  const promptOf = (person: string, sectionId: string, week = WEEK) => {
    const prompt = bot.platform.messages.find((m) => m.channel === `@${person}` && m.answerForm?.sectionId === sectionId && m.answerForm.week === week);
    if (!prompt) throw new Error(`no ${week} prompt of ${sectionId} to ${person}`);
    return prompt.id;
  };
  /** What the bot said last to a person (in their DM, or in the thread of one of their prompts), other than a prompt. */
  const lastTo = (person: string) => bot.platform.messages.filter((m) => m.channel === `@${person}` && !m.text.startsWith('📝')).at(-1)!;
  const as = (person: string) => {
    bot.session.you = person;
  };
  const command = async (text: string, person = 'lead') => {
    as(person);
    await bot.session.command(text);
    return bot.answers.at(-1)!.message.text;
  };
  const stored = (sectionId: string, owner: string) => store!.latestSubmission({ teamId: TEAM, week: WEEK, sectionId, owner });
  const reportFile = () => bot.platform.messages.filter((m) => m.file).at(-1)!.file!.content;
  return { bot, clock, promptOf, lastTo, as, command, stored, reportFile };
}

const O1_BOTH = '## 【O1 业务服务】\n\n1. 原负责人写的\n2. 代填的人写的';

describe('a section handed over after its owner answered', () => {
  it('previews the whole section in the delegate’s confirmation, the owner’s item first, from the thread and from the form', async () => {
    const { bot, promptOf, lastTo, as, command } = await openWeek('deleg-preview');
    as('owner-o1');
    await bot.session.say('1. 原负责人写的', promptOf('owner-o1', 'o1'));
    expect(await command('delegate o1 owner-o2')).toContain('交给 Owner O2');

    as('owner-o2');
    await bot.session.submitForm(promptOf('owner-o2', 'o1'), '1. 代填的人写的');
    expect(lastTo('owner-o2').markdown).toBe(O1_BOTH);
    await bot.session.say('1. 又补了一条', promptOf('owner-o2', 'o1'));
    expect(lastTo('owner-o2').markdown).toBe('## 【O1 业务服务】\n\n1. 原负责人写的\n2. 代填的人写的\n3. 又补了一条');
  });

  it('refuses the owner’s messages for the section that week, naming the delegate, and stores nothing', async () => {
    const { bot, promptOf, lastTo, as, command, stored } = await openWeek('deleg-refuse');
    as('owner-o1');
    const first = await bot.session.say('1. 原负责人写的', promptOf('owner-o1', 'o1'));
    await command('delegate o1 owner-o2');
    const before = await stored('o1', 'owner-o1');

    as('owner-o1');
    const refused = '⚠️ 没有保存：2024-W23 的 【O1 业务服务】 已交给 Owner O2 填写，这一周只有 Owner O2 能修改这个部分。';
    // In the prompt's thread, by direct message, by editing the earlier message, by the form.
    await bot.session.say('2. 交接后又写的', promptOf('owner-o1', 'o1'));
    expect(lastTo('owner-o1').text).toContain(refused);
    expect(lastTo('owner-o1').text).toContain('/weekly-report delegate cancel o1 2024-W23');
    await bot.session.say('2. 私信写的');
    expect(lastTo('owner-o1').text).toContain(refused);
    await bot.session.edit(first.messageId!, '1. 改过的');
    expect(lastTo('owner-o1').text).toContain(refused);
    await bot.session.submitForm(promptOf('owner-o1', 'o1'), '1. 表单里写的');
    // The form's text is in no chat message: the refusal gives it back.
    expect(lastTo('owner-o1').text).toContain(refused);
    expect(lastTo('owner-o1').text).toContain('1. 表单里写的');
    // Deleting the earlier message: it stays, and the owner is told so.
    await bot.session.remove(first.messageId!);
    expect(lastTo('owner-o1').text).toContain('仍保留在 2024-W23 的 【O1 业务服务】 中');
    expect(await bot.session.openForm(promptOf('owner-o1', 'o1'))).toEqual({
      refusal: { text: expect.stringContaining('已交给 Owner O2 填写') as string, locale: 'zh-CN' },
    });

    expect(await stored('o1', 'owner-o1')).toEqual(before);
    expect(await stored('o1', 'owner-o2')).toBeNull();
    // The owner's other sections are theirs as before: nothing else is touched.
    expect(await store!.latestSubmission({ teamId: TEAM, week: WEEK, sectionId: 'o2', owner: 'owner-o1' })).toBeNull();
  });

  it('prints the section in one order in preview, status, the confirmation, the lead’s publish and the scheduled one', async () => {
    const { bot, clock, promptOf, lastTo, as, command, reportFile } = await openWeek('deleg-order');
    as('owner-o1');
    await bot.session.say('1. 原负责人写的', promptOf('owner-o1', 'o1'));
    await command('delegate o1 owner-o2');
    as('owner-o2');
    await bot.session.say('1. 代填的人写的', promptOf('owner-o2', 'o1'));
    expect(lastTo('owner-o2').markdown).toBe(O1_BOTH);

    expect(await command('preview')).toContain(O1_BOTH);
    const status = await command('status');
    expect(status.split('\n').find((l) => l.startsWith('✅'))).toContain('【O1 业务服务】');
    expect(status).not.toContain('【O1 业务服务】（');
    // The scheduled publish (the lead's is in the co-owned case below).
    clock.set('2024-06-07T17:01:00+08:00');
    await runDueJobs(bot.ctx, bot.team, bot.holder);
    expect(reportFile()).toContain(O1_BOTH);
  });
});

describe('handing over, in combination', () => {
  it('hands a co-owned section to a third person: both owners are refused, their earlier items print first in definition order', async () => {
    const { bot, promptOf, lastTo, as, command, reportFile } = await openWeek('deleg-co-owned');
    as('owner-o2');
    await bot.session.say('1. O2 写的其他', promptOf('owner-o2', 'other'));
    as('lead');
    await bot.session.say('1. Lead 写的其他', promptOf('lead', 'other'));
    expect(await command('delegate other owner-o3')).toContain('交给 Owner O3');

    for (const owner of ['lead', 'owner-o2']) {
      as(owner);
      await bot.session.say('2. 交接后写的', promptOf(owner, 'other'));
      expect(lastTo(owner).text).toContain('【其他】 已交给 Owner O3 填写');
    }
    as('owner-o3');
    await bot.session.say('1. O3 代填的', promptOf('owner-o3', 'other'));
    const section = '## 【其他】\n\n1. Lead 写的其他\n2. O2 写的其他\n3. O3 代填的';
    expect(lastTo('owner-o3').markdown).toBe(section);
    expect(await command('preview')).toContain(section);
    await command('publish confirm');
    expect(reportFile()).toContain(section);
  });

  it('takes the delegate’s late answer into the posted report, in the same order, and refuses the owner’s', async () => {
    const { bot, promptOf, lastTo, as, command, reportFile, clock } = await openWeek('deleg-late');
    as('owner-o1');
    await bot.session.say('1. 原负责人写的', promptOf('owner-o1', 'o1'));
    await command('delegate o1 owner-o2');
    clock.set('2024-06-07T17:01:00+08:00');
    await runDueJobs(bot.ctx, bot.team, bot.holder);
    expect(reportFile()).toContain('## 【O1 业务服务】\n\n1. 原负责人写的\n');

    clock.set('2024-06-07T18:00:00+08:00');
    as('owner-o2');
    await bot.session.say('1. 代填的人写的', promptOf('owner-o2', 'o1'));
    expect(lastTo('owner-o2').text).toContain('周报已经发布');
    expect(reportFile()).toContain(O1_BOTH);

    const files = bot.platform.messages.filter((m) => m.file).length;
    as('owner-o1');
    await bot.session.say('3. 发布后原负责人写的', promptOf('owner-o1', 'o1'));
    expect(lastTo('owner-o1').text).toContain('已交给 Owner O2 填写');
    expect(bot.platform.messages.filter((m) => m.file)).toHaveLength(files);
  });

  it('keeps the handover across a restart: the owner is still refused, and the list and cancel work on the new process', async () => {
    const { bot, clock, promptOf, as, command } = await openWeek('deleg-restart');
    as('owner-o1');
    await bot.session.say('1. 原负责人写的', promptOf('owner-o1', 'o1'));
    await command('delegate o1 owner-o2');

    // The restarted process: a new cache over the same data.
    const inner = store instanceof CachingStore ? store.inner : store!;
    const restarted = withHelpers(await consoleBot(new CachingStore(inner, clock), clock, 'replica-b'), clock);
    restarted.as('owner-o1');
    await restarted.bot.session.say('2. 重启后写的', promptOf('owner-o1', 'o1'));
    expect(restarted.lastTo('owner-o1').text).toContain('已交给 Owner O2 填写');
    expect(await restarted.command('delegate list')).toContain('【O1 业务服务】（o1）：Owner O1 → Owner O2');
    expect(await restarted.command('delegate cancel o1')).toContain('已取消');
    restarted.as('owner-o1');
    await restarted.bot.session.say('2. 取消后写的', promptOf('owner-o1', 'o1'));
    expect(restarted.lastTo('owner-o1').markdown).toBe('## 【O1 业务服务】\n\n1. 原负责人写的\n2. 取消后写的');
  });
});

// Found by the model-based tests (week-model.test.ts): Thursday's reminder went to every prompt
// still unanswered, the owner's of a section handed away included, who would be refused if they
// answered it; and after a cancelled handover, to the delegate's.
describe('reminders of a section handed over', () => {
  it('go to whom the section is handed to, not to its owner; after a cancel, to its owner, not to the former delegate', async () => {
    const { bot, clock, command } = await openWeek('deleg-remind');
    expect(await command('delegate o1 owner-o3')).toContain('交给 Owner O3');
    expect(await command('delegate o2 owner-o4')).toContain('交给 Owner O4');
    expect(await command('delegate cancel o2')).toContain('已取消');
    clock.set('2024-06-06T16:00:00+08:00');
    await runDueJobs(bot.ctx, bot.team, bot.holder);
    const prompts = await store!.listPrompts(TEAM, WEEK);
    const reminded = bot.platform.messages
      .filter((m) => m.text.startsWith('⏰'))
      .map((m) => prompts.find((p) => p.messageId === m.threadOf)!)
      .map((p) => `${p.sectionId} ${p.owner}`);
    expect(reminded.filter((r) => r.startsWith('o1 ') || r.startsWith('o2 ')).sort()).toEqual(['o1 owner-o3', 'o2 owner-o2']);
  });
});

describe('listing and cancelling handovers', () => {
  it('lists the week’s handovers, cancels one, and gives the section back to its owner', async () => {
    const { bot, promptOf, lastTo, as, command, stored } = await openWeek('deleg-cancel');
    expect(await command('delegate list')).toBe('2024-W23 没有交接的部分。');
    await command('delegate o1 owner-o2');
    await command('delegate other owner-o3');
    expect(await command('delegate list')).toBe(
      [
        '2024-W23 交接的部分：',
        '• 【O1 业务服务】（o1）：Owner O1 → Owner O2（Lead 设置）',
        '• 【其他】（other）：Lead、Owner O2 → Owner O3（Lead 设置）',
        '取消：/weekly-report delegate cancel <部分> [周]',
      ].join('\n'),
    );
    expect(await command('delegate list 2024-W24')).toBe('2024-W24 没有交接的部分。');

    as('owner-o2');
    const delegated = await bot.session.say('1. 代填的人写的', promptOf('owner-o2', 'o1'));
    expect(await command('delegate cancel o1')).toBe(
      '已取消：2024-W23 的 【O1 业务服务】 不再交给 Owner O2，由 Owner O1 填写；已收到的内容仍保留在这个部分中。',
    );
    expect(await command('delegate cancel o1')).toBe('2024-W23 的 【O1 业务服务】 没有交接，无需取消。');
    expect(await command('delegate list')).toBe(
      ['2024-W23 交接的部分：', '• 【其他】（other）：Lead、Owner O2 → Owner O3（Lead 设置）', '取消：/weekly-report delegate cancel <部分> [周]'].join('\n'),
    );

    // The owner answers again; the delegate no longer may, and what they wrote stays after the owner's.
    as('owner-o1');
    await bot.session.say('1. 原负责人写的', promptOf('owner-o1', 'o1'));
    expect(lastTo('owner-o1').markdown).toBe(O1_BOTH);
    as('owner-o2');
    await bot.session.say('2. 取消后还想写', promptOf('owner-o2', 'o1'));
    expect(lastTo('owner-o2').text).toContain('⚠️ 没有保存：2024-W23 的 【O1 业务服务】 由 Owner O1 填写，不是你。');
    await bot.session.remove(delegated.messageId!);
    expect(lastTo('owner-o2').text).toContain('⚠️ 你撤回的消息仍保留在 2024-W23 的 【O1 业务服务】 中：这个部分现在由 Owner O1 填写，不是你。');
    expect((await stored('o1', 'owner-o2'))!.rawText).toBe('1. 代填的人写的');

    // Handed over again to the same person after the cancellation: theirs again.
    await command('delegate o1 owner-o2');
    as('owner-o2');
    await bot.session.say('2. 再次交接后写的', promptOf('owner-o2', 'o1'));
    expect(lastTo('owner-o2').text).toMatch(/^✅/u);
  });

  it('prompts the owner when a handover made before the week opened is cancelled after', async () => {
    store = await openTestStore('deleg-cancel-prompt');
    const clock = new FakeClock(new Date('2024-06-03T10:00:00+08:00'));
    const { bot, promptOf, command } = withHelpers(await consoleBot(store, clock), clock);
    await command('delegate o1 owner-o2');
    clock.set('2024-06-04T15:31:00+08:00');
    await runDueJobs(bot.ctx, bot.team, bot.holder);
    expect(() => promptOf('owner-o1', 'o1')).toThrow();
    await command('delegate cancel o1');
    expect(promptOf('owner-o1', 'o1')).toBeDefined();
    // Cancelling again prompts nobody again.
    const prompts = bot.platform.messages.filter((m) => m.answerForm).length;
    await command('delegate cancel o1');
    expect(bot.platform.messages.filter((m) => m.answerForm)).toHaveLength(prompts);
  });

  it('says what is wrong with a list or cancel it cannot read, and refuses them to non-leads', async () => {
    const { command } = await openWeek('deleg-usage');
    expect(await command('delegate cancel')).toMatch(/^用法：\/weekly-report delegate cancel <部分> \[周\]/);
    expect(await command('delegate cancel nowhere')).toMatch(/^用法：\/weekly-report delegate cancel <部分> \[周\]/);
    expect(await command('delegate cancel o1 2024-W99')).toMatch(/^用法：\/weekly-report delegate cancel/);
    expect(await command('delegate list soon')).toMatch(/^用法：\/weekly-report delegate list \[周\]/);
    expect(await command('delegate list', 'owner-o1')).toContain('只有周报负责人可以执行 delegate');
    expect(await command('delegate cancel o1', 'owner-o1')).toContain('只有周报负责人可以执行 delegate');
  });
});

describe('listing and cancelling absences', () => {
  it('lists who is away from today on, cancels one, and the person is prompted and reminded again', async () => {
    store = await openTestStore('away-cancel');
    const clock = new FakeClock(new Date('2024-06-03T10:00:00+08:00'));
    const { bot, command } = withHelpers(await consoleBot(store, clock), clock);
    expect(await command('away list')).toBe('没有休假记录（今天及以后）。');
    await command('away owner-o4 5/20 5/24');
    await command('away owner-o2 6/3 6/9');
    await command('away owner-o3 6/17 6/21');
    await command('away owner-o3 7/1 7/5');
    expect(await command('away list')).toBe(
      [
        '休假记录（今天及以后）：',
        '• Owner O2（owner-o2）2024-06-03 至 2024-06-09（Lead 设置）',
        '• Owner O3（owner-o3）2024-06-17 至 2024-06-21（Lead 设置）',
        '• Owner O3（owner-o3）2024-07-01 至 2024-07-05（Lead 设置）',
        '取消：/weekly-report away cancel <成员> [开始日期]',
      ].join('\n'),
    );

    // Someone with several: which one is asked; by its first day, it is cancelled.
    expect(await command('away cancel owner-o3')).toBe(
      'Owner O3 有 2 段休假：2024-06-17 至 2024-06-21、2024-07-01 至 2024-07-05。请写上开始日期，例如 away cancel owner-o3 2024-06-17。',
    );
    expect(await command('away cancel owner-o3 7/1')).toBe('已取消：Owner O3 2024-07-01 至 2024-07-05 的休假。');
    expect(await command('away cancel owner-o3 7/1')).toBe('Owner O3 没有从 2024-07-01 开始的休假，无需取消。');
    // A past one, by its first day.
    expect(await command('away cancel owner-o4 2024-05-20')).toBe('已取消：Owner O4 2024-05-20 至 2024-05-24 的休假。');
    expect(await command('away cancel owner-o2')).toBe('已取消：Owner O2 2024-06-03 至 2024-06-09 的休假。');
    expect(await command('away cancel owner-o2')).toBe('Owner O2 没有今天及以后的休假，无需取消。');

    await command('away owner-o4 6/3 6/9');
    clock.set('2024-06-04T15:31:00+08:00');
    await runDueJobs(bot.ctx, bot.team, bot.holder);
    expect(bot.platform.messages.filter((m) => m.answerForm).map((m) => m.channel)).toContain('@owner-o2');
    expect(await command('status')).toContain('🌴 休假：【O4 支付 × AI】（Owner O4）');
    expect(await command('status')).not.toMatch(/休假：.*Owner O2/);

    // Recorded again after the cancellation: away again.
    await command('away owner-o2 6/3 6/9');
    expect(await command('status')).toContain('🌴 休假：【O2 能力升级】（Owner O2）、【O4 支付 × AI】（Owner O4）');

    // Cancelled while the week is open: prompted at once, and reminded on Thursday.
    expect(bot.platform.messages.filter((m) => m.answerForm && m.channel === '@owner-o4')).toEqual([]);
    expect(await command('away cancel owner-o4')).toBe('已取消：Owner O4 2024-06-03 至 2024-06-09 的休假。');
    expect(bot.platform.messages.filter((m) => m.answerForm && m.channel === '@owner-o4').map((m) => m.answerForm!.sectionId)).toEqual(['o4']);
    clock.set('2024-06-06T16:00:00+08:00');
    await runDueJobs(bot.ctx, bot.team, bot.holder);
    const reminded = bot.platform.messages.filter((m) => m.text.startsWith('⏰')).map((m) => m.channel);
    expect(reminded).toContain('@owner-o4');
    expect(reminded).not.toContain('@owner-o2');
  });

  it('says what is wrong with a cancel it cannot read, and refuses list and cancel to non-leads', async () => {
    const { command } = await openWeek('away-usage');
    expect(await command('away cancel')).toMatch(/^用法：\/weekly-report away cancel <成员> \[开始日期\]/);
    expect(await command('away cancel nobody')).toMatch(/^用法：\/weekly-report away cancel <成员> \[开始日期\]/);
    expect(await command('away cancel owner-o2 someday')).toMatch(/^用法：\/weekly-report away cancel/);
    expect(await command('away list now')).toMatch(/^用法：\/weekly-report away list/);
    expect(await command('away list', 'owner-o1')).toContain('只有周报负责人可以执行 away');
    expect(await command('away cancel owner-o2', 'owner-o1')).toContain('只有周报负责人可以执行 away');
  });

  it('lists the new commands in help', async () => {
    const { command } = await openWeek('away-help');
    const help = await command('help');
    for (const usage of ['away list', 'away cancel owner-o1 [2024-06-03]', 'delegate list [2024-W23]', 'delegate cancel o1 [2024-W23]'])
      expect(help).toContain(usage);
  });
});
