import { Readable, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../handlers/cycle/jobs.ts';
import { claimChatPrefix } from '../../../src/platforms/console/chat-ids.ts';
import { runRepl } from '../../../src/platforms/console/repl.ts';
import type { Store } from '../../../src/store/store.ts';
import { FakeClock, localChat } from '../../support/bot.ts';
import { discardTestStore, openTestStore } from '../../support/test-store.ts';

/**
 * The local chat (`npm start` with no Slack or Feishu) on a store that outlives it (MONGODB_URI):
 * each start is a new process whose messages are new, while the prompts and answers stored by the
 * earlier ones, with the ids those showed, stay. An id a person types must be the message they
 * see, in this chat or an earlier one on the same store, never another one that had the same id.
 */

const W22_TUESDAY = '2024-05-28T15:34:00+08:00';
const W22_FRIDAY = '2024-05-31T17:00:00+08:00';
const W23_TUESDAY = '2024-06-04T15:34:00+08:00';
const W23_WEDNESDAY = '2024-06-05T10:00:00+08:00';
const W23_THURSDAY = '2024-06-06T16:00:00+08:00';

type Chat = Awaited<ReturnType<typeof localChat>>;

let store: Store | undefined;

afterEach(async () => {
  if (store) await discardTestStore(store);
  store = undefined;
});

async function openStore(label: string): Promise<Store> {
  store = await openTestStore(label);
  return store;
}

/** The prompt for `owner`'s `sectionId` as this chat shows it. */
function promptIn(chat: Chat, owner: string, sectionId: string, week = '2024-W23'): string {
  const prompt = chat.platform.messages.find((m) => m.channel === `@${owner}` && m.answerForm?.sectionId === sectionId && m.answerForm.week === week);
  if (!prompt) throw new Error(`no prompt of ${sectionId} to ${owner} (${week}) in this chat`);
  return prompt.id;
}

function history(store: Store, week: string, sectionId: string, owner: string) {
  return store.submissionHistory({ teamId: 'payments-weekly', week, sectionId, owner });
}

/** Types `lines` into the chat's terminal, one after the other; what it printed. */
async function typeInto(chat: Chat, lines: string[]): Promise<string> {
  let printed = '';
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      printed += chunk.toString();
      done();
    },
  });
  await runRepl({
    team: chat.team,
    platform: chat.platform,
    session: chat.session,
    runDueJobs: async () => '',
    openNow: async () => '',
    input: Readable.from([`${[...lines, '/quit'].join('\n')}\n`]),
    output,
  });
  return printed;
}

describe('the local chat started again on the same store', () => {
  it('stores an answer in the new week’s thread in the new week, not as a late answer to last week', async () => {
    const store = await openStore('console-restart-week');
    const clock = new FakeClock(new Date(W22_TUESDAY));
    // Last week's chat: prompts, an answer of O1, the report published on Friday.
    const lastWeek = await localChat(store, clock);
    await runDueJobs(lastWeek.ctx, lastWeek.team, lastWeek.holder);
    lastWeek.session.you = 'owner-o1';
    await lastWeek.session.say('1. 上周的第一件事', promptIn(lastWeek, 'owner-o1', 'o1', '2024-W22'));
    clock.set(W22_FRIDAY);
    await runDueJobs(lastWeek.ctx, lastWeek.team, lastWeek.holder);
    expect((await store.getCycle('payments-weekly', '2024-W22'))?.status).toBe('published');
    // The report in the channel is a message of the chat, but no prompt: it has no form.
    const header = lastWeek.platform.messages.find((m) => m.channel === '#payments-weekly' && !m.threadOf)!;
    await expect(lastWeek.session.openForm(header.id)).rejects.toThrow(
      `⚠️ ${header.id} 不是提示消息，没有表单。本周发给你的提示：[${promptIn(lastWeek, 'owner-o1', 'o1', '2024-W22')}] 【O1 业务服务】。`,
    );

    // This week, the bot was started again: a new chat on the same data.
    clock.set(W23_TUESDAY);
    const chat = await localChat(store, clock);
    await runDueJobs(chat.ctx, chat.team, chat.holder);
    chat.session.you = 'owner-o2';
    await chat.session.say('1. 聚合支付二期评审', promptIn(chat, 'owner-o2', 'other'));
    chat.session.you = 'owner-o1';
    const typed = await chat.session.say('1. 本周的第一件事', promptIn(chat, 'owner-o1', 'o1'));
    await chat.session.edit(typed.messageId!, '1. 本周的第一件事（已改）');

    // Each answer is this week's; last week's report, already published, is left alone.
    expect((await history(store, '2024-W23', 'other', 'owner-o2')).map((s) => s.rawText)).toEqual(['1. 聚合支付二期评审']);
    expect((await history(store, '2024-W23', 'o1', 'owner-o1')).map((s) => s.rawText)).toEqual(['1. 本周的第一件事', '1. 本周的第一件事（已改）']);
    expect(await history(store, '2024-W22', 'other', 'owner-o2')).toEqual([]);
    expect((await history(store, '2024-W22', 'o1', 'owner-o1')).map((s) => s.rawText)).toEqual(['1. 上周的第一件事']);
    expect(chat.platform.messages.filter((m) => m.text.startsWith('✏️'))).toEqual([]);
  });

  it('stores the answer to a prompt delegated after a restart in the delegated section', async () => {
    const store = await openStore('console-restart-delegate');
    const clock = new FakeClock(new Date(W23_TUESDAY));
    const opened = await localChat(store, clock);
    await runDueJobs(opened.ctx, opened.team, opened.holder);

    clock.set(W23_WEDNESDAY);
    const chat = await localChat(store, clock);
    await chat.session.command('delegate o1 owner-o3');
    chat.session.you = 'owner-o3';
    await chat.session.say('1. 代为填写的 O1 内容', promptIn(chat, 'owner-o3', 'o1'));

    expect((await history(store, '2024-W23', 'o1', 'owner-o3')).map((s) => s.rawText)).toEqual(['1. 代为填写的 O1 内容']);
    expect(await history(store, '2024-W23', 'o3', 'owner-o3')).toEqual([]);
  });

  it('answers a reminder’s prompt, by the id the reminder points to, for everyone reminded', async () => {
    const store = await openStore('console-restart-remind');
    const clock = new FakeClock(new Date(W23_TUESDAY));
    const opened = await localChat(store, clock);
    await runDueJobs(opened.ctx, opened.team, opened.holder);
    opened.session.you = 'owner-o1';
    await opened.session.say('1. 已经回答', promptIn(opened, 'owner-o1', 'o1'));

    // Thursday, after a restart: the reminders are in the threads of Tuesday's prompts.
    clock.set(W23_THURSDAY);
    const chat = await localChat(store, clock);
    await runDueJobs(chat.ctx, chat.team, chat.holder);
    const reminders = chat.platform.messages.filter((m) => m.text.startsWith('⏰'));
    expect(reminders).toHaveLength(12);
    const lines = reminders.flatMap((r) => [`/as ${r.channel.slice(1)}`, `/reply ${r.threadOf!} 本周无`]);
    const printed = await typeInto(chat, lines);

    expect(printed).not.toContain('not to you');
    for (const reminder of reminders) {
      const prompt = await store.findPromptByMessage('console', reminder.threadOf!);
      expect(prompt?.owner).toBe(reminder.channel.slice(1));
      const latest = await store.latestSubmission({ teamId: 'payments-weekly', week: '2024-W23', sectionId: prompt!.sectionId, owner: prompt!.owner });
      expect(latest?.skipped, `${prompt!.owner} ${prompt!.sectionId}`).toBe(true);
    }
  });

  it('never shows an id that an earlier chat on the same store showed', async () => {
    const store = await openStore('console-restart-unique');
    const clock = new FakeClock(new Date(W23_TUESDAY));
    const first = await localChat(store, clock);
    await runDueJobs(first.ctx, first.team, first.holder);
    first.session.you = 'owner-o1';
    const firstTyped = await first.session.say('1. 第一件事', promptIn(first, 'owner-o1', 'o1'));

    clock.set(W23_WEDNESDAY);
    const second = await localChat(store, clock);
    await second.session.command('delegate o1 owner-o3');
    second.session.you = 'owner-o3';
    const secondTyped = await second.session.say('1. 代为填写', promptIn(second, 'owner-o3', 'o1'));

    const firstIds = new Set([...first.platform.messages.map((m) => m.id), firstTyped.messageId]);
    const secondIds = [...second.platform.messages.map((m) => m.id), secondTyped.messageId];
    expect(secondIds.filter((id) => firstIds.has(id))).toEqual([]);
    // Still a few characters to type: the chat's number, m or u, the message's.
    for (const id of [...firstIds, ...secondIds]) expect(id).toMatch(/^\d{0,2}[mu]\d{1,2}$/);
  });

  it('answers by a reminder’s own id, its ↳ id or /form of a prompt shown before the restart, and refuses someone else’s', async () => {
    const store = await openStore('console-restart-thread');
    const clock = new FakeClock(new Date(W23_TUESDAY));
    const opened = await localChat(store, clock);
    await runDueJobs(opened.ctx, opened.team, opened.holder);
    const o3Prompt = promptIn(opened, 'owner-o3', 'o3');
    const o4Prompt = promptIn(opened, 'owner-o4', 'o4');
    const o2Prompt = promptIn(opened, 'owner-o2', 'o2');

    clock.set(W23_THURSDAY);
    const chat = await localChat(store, clock);
    await runDueJobs(chat.ctx, chat.team, chat.holder);
    const reminderTo = (owner: string, prompt: string) => chat.platform.messages.find((m) => m.channel === `@${owner}` && m.threadOf === prompt)!;
    expect(reminderTo('owner-o3', o3Prompt).text).toContain('【O3 平台治理】');

    const printed = await typeInto(chat, [
      '/as owner-o3',
      `/reply ${reminderTo('owner-o3', o3Prompt).id} 1. 回复在提醒里`,
      '/as owner-o4',
      `/reply ${o4Prompt} 1. 第一条`,
      `/form ${reminderTo('owner-o4', o4Prompt).id}`,
      '1. 表单整体替换',
      '"""',
      `/reply ${o2Prompt} 1. 不是我的`,
    ]);
    expect((await history(store, '2024-W23', 'o3', 'owner-o3')).map((s) => s.rawText)).toEqual(['1. 回复在提醒里']);
    // The form opens on the answer as it stands, and replaces it.
    expect(printed).toContain('Prefilled:\n1. 第一条');
    expect((await store.latestSubmission({ teamId: 'payments-weekly', week: '2024-W23', sectionId: 'o4', owner: 'owner-o4' }))?.rawText).toBe(
      '1. 表单整体替换',
    );
    // O2's prompt, shown before the restart, is still O2's: not taken for anything of O4's.
    expect(printed).toContain(`⚠️ ${o2Prompt} 是发给 owner-o2 的，不是发给你的`);
    expect((await history(store, '2024-W23', 'o4', 'owner-o4')).map((s) => s.rawText)).not.toContain('1. 不是我的');
    expect(await history(store, '2024-W23', 'o2', 'owner-o2')).toEqual([]);
  });

  it('edits and deletes a message typed before the restart by its id, and only its author can', async () => {
    const store = await openStore('console-restart-edit');
    const clock = new FakeClock(new Date(W23_TUESDAY));
    const opened = await localChat(store, clock);
    await runDueJobs(opened.ctx, opened.team, opened.holder);
    opened.session.you = 'owner-o1';
    const first = await opened.session.say('1. 第一件事', promptIn(opened, 'owner-o1', 'o1'));
    const second = await opened.session.say('2. 第二件事', promptIn(opened, 'owner-o1', 'o1'));

    clock.set(W23_WEDNESDAY);
    const chat = await localChat(store, clock);
    const printed = await typeInto(chat, [
      '/as owner-o3',
      `/edit ${first.messageId!} 1. 不是我写的`,
      '/as owner-o1',
      `/edit ${first.messageId!} 1. 第一件事（已改）`,
      `/delete ${second.messageId!}`,
    ]);
    expect(printed).toContain(`⚠️ ${first.messageId!} 是 owner-o1 发的，不是你`);
    const latest = await store.latestSubmission({ teamId: 'payments-weekly', week: '2024-W23', sectionId: 'o1', owner: 'owner-o1' });
    expect(latest!.parts!.map((p) => p.rawText)).toEqual(['1. 第一件事（已改）']);
    expect(await history(store, '2024-W23', 'o3', 'owner-o3')).toEqual([]);
  });

  it('numbers each chat on the store: in memory the first keeps m1 and u1, on MongoDB every one carries its number', async () => {
    const store = await openStore('console-restart-numbers');
    const at = new Date(W23_TUESDAY);
    const prefixes = [await claimChatPrefix(store, at), await claimChatPrefix(store, at), await claimChatPrefix(store, at)];
    expect(prefixes).toEqual(store.describe().durable ? ['1', '2', '3'] : ['', '2', '3']);
  });

  it('refuses an id it never showed, naming it and the prompts you can answer, and stores nothing', async () => {
    const store = await openStore('console-restart-unknown');
    const clock = new FakeClock(new Date(W23_TUESDAY));
    const chat = await localChat(store, clock);
    await runDueJobs(chat.ctx, chat.team, chat.holder);
    const yours = promptIn(chat, 'owner-o1', 'o1');

    const printed = await typeInto(chat, ['/as owner-o1', '/reply m999 1. 不该记下', '/form m999', '/edit u999 1. 不该记下', '/delete u999', '/reply m999']);
    expect(printed).toContain(`⚠️ 没有 id 为 m999 的消息，这条没有记录。请用消息前方括号里的 id。本周发给你的提示：[${yours}] 【O1 业务服务】。/as owner-o1`);
    expect(printed).toContain('⚠️ 你没有发过 id 为 u999 的消息，什么都没有改动。');
    expect(printed).not.toContain('error:');
    // Refused before the text is asked for: nothing typed after it is lost in a reply that can't be sent.
    expect(printed).not.toContain('(type the text');
    expect(await history(store, '2024-W23', 'o1', 'owner-o1')).toEqual([]);
  });

  it('lists, after a restart, the week’s prompts an earlier chat sent, in the team’s language', async () => {
    const store = await openStore('console-restart-unknown-en');
    const clock = new FakeClock(new Date(W23_TUESDAY));
    const opened = await localChat(store, clock);
    await runDueJobs(opened.ctx, opened.team, opened.holder);
    const o2 = promptIn(opened, 'owner-o2', 'o2');
    const other = promptIn(opened, 'owner-o2', 'other');

    clock.set(W23_WEDNESDAY);
    const chat = await localChat(store, clock, 'lead', 'en');
    await chat.session.command('delegate o1 owner-o2');
    const delegated = promptIn(chat, 'owner-o2', 'o1');
    const printed = await typeInto(chat, ['/as owner-o2', '/reply x1 1. lost?', '/edit u42 1. lost?']);
    const listing = `[${o2}] 【O2 能力升级】, [${other}] 【其他】, [${delegated}] 【O1 业务服务】`;
    expect(printed).toContain(
      `⚠️ There is no message x1; nothing was recorded. Use the id shown in brackets before a message. Your prompts this week: ${listing}. /as owner-o2`,
    );
    expect(printed).toContain('⚠️ You typed no message u42; nothing was changed.');
    expect(await history(store, '2024-W23', 'o2', 'owner-o2')).toEqual([]);
    expect(await history(store, '2024-W23', 'other', 'owner-o2')).toEqual([]);
  });
});
