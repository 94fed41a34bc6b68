import type { Team } from '../../report/definition.ts';
import type { Locale } from '../../report/locale.ts';
import { isoWeekOf } from '../../report/week.ts';
import type { Store } from '../../store/store.ts';

/**
 * The ids a person types in the local chat, and what they can name.
 *
 * The bot's messages are `m1`, `m2` … and the person's own `u1`, `u2` …, counted by the process.
 * Prompts and answers are stored with those ids, and outlive the process when the data is in
 * MongoDB: so every start of the chat takes the next number of the store (an insert its unique
 * index admits once, ClaimStore.claimNumber), and its ids carry it. `3m4` is the bot's 4th message
 * in the third chat started on this store, `3u1` the first message typed in it: an id never names
 * two messages, however often the bot restarts. With the data in memory, the store lives as long
 * as the chat: its first (and only) chat keeps the plain `m4` and `u1`.
 */

/** The store's series of local chat numbers. */
export const CHAT_SERIES = 'console-chat';

/** Claims this chat's number on the store; the prefix of its ids (`''` or `'3'`). */
export async function claimChatPrefix(store: Pick<Store, 'claimNumber' | 'describe'>, at: Date): Promise<string> {
  const chat = await store.claimNumber(CHAT_SERIES, at);
  return chat === 1 && !store.describe().durable ? '' : String(chat);
}

/** A prompt as stored: where it went and what it asks, for an id this chat did not show itself. */
export interface StoredPrompt {
  channel: string;
  owner: string;
  teamId: string;
  week: string;
  sectionId: string;
}

/** A prompt to list for a person: its id and the section's title. */
export interface PromptListing {
  id: string;
  title: string;
}

/**
 * What the chat reads from the store for an id it did not show itself: one shown by an earlier
 * chat on the same store (before a restart), which the reminders' ↳ and the person's memory still
 * name.
 */
export interface ConsoleLookups {
  /** The prompt sent as message `id`, by any chat on the store. */
  prompt(messageId: string): Promise<StoredPrompt | null>;
  /** Who typed message `id`, when an answer was stored from it. */
  typedBy(messageId: string): Promise<string | null>;
  /** The prompts of the current week sent to `person`, by any chat on the store. */
  promptsOf(person: string): Promise<PromptListing[]>;
}

/** ConsoleLookups on the bot's store, for one team. */
export function storeLookups(
  store: Pick<Store, 'findPromptByMessage' | 'findSubmissionBySourceMessage' | 'listPrompts'>,
  team: Team,
  now: () => Date,
): ConsoleLookups {
  const { definition } = team;
  return {
    prompt: async (messageId) => {
      const prompt = await store.findPromptByMessage('console', messageId);
      if (!prompt?.channel) return null;
      return { channel: prompt.channel, owner: prompt.owner, teamId: prompt.teamId, week: prompt.week, sectionId: prompt.sectionId };
    },
    typedBy: async (messageId) => (await store.findSubmissionBySourceMessage('console', messageId))?.owner ?? null,
    promptsOf: async (person) => {
      const week = isoWeekOf(now(), definition.timeZone);
      const prompts = await store.listPrompts(definition.id, week);
      return prompts
        .filter((p) => p.owner === person && p.platform === 'console' && p.messageId)
        .map((p) => ({ id: p.messageId!, title: definition.sections.find((s) => s.id === p.sectionId)?.title ?? p.sectionId }));
    },
  };
}

/** What the chat says when an id can't be used: which id, why, and the ids that can. */
export interface ConsoleIdTexts {
  unknownMessage(id: string, prompts: PromptListing[], you: string): string;
  notYours(id: string, owner: string): string;
  notAPrompt(id: string, prompts: PromptListing[], you: string): string;
  unknownTyped(id: string, yours: string[]): string;
  notTypedByYou(id: string, author: string): string;
}

const listed = (prompts: PromptListing[], separator: string): string => prompts.map((p) => `[${p.id}] ${p.title}`).join(separator);

const zh: ConsoleIdTexts = {
  unknownMessage: (id, prompts, you) =>
    `⚠️ 没有 id 为 ${id} 的消息，这条没有记录。请用消息前方括号里的 id。` +
    (prompts.length ? `本周发给你的提示：${listed(prompts, '、')}。` : '本周还没有发给你的提示。') +
    `/as ${you} 会再显示这次会话里发给你的消息。`,
  notYours: (id, owner) => `⚠️ ${id} 是发给 ${owner} 的，不是发给你的：只能在发给你的消息里回复。这条没有记录。`,
  notAPrompt: (id, prompts, you) =>
    `⚠️ ${id} 不是提示消息，没有表单。` +
    (prompts.length ? `本周发给你的提示：${listed(prompts, '、')}。` : '本周还没有发给你的提示。') +
    `/as ${you} 会再显示这次会话里发给你的消息。`,
  unknownTyped: (id, yours) =>
    `⚠️ 你没有发过 id 为 ${id} 的消息，什么都没有改动。` +
    (yours.length ? `你在这次会话里发的消息：${yours.join('、')}。` : '') +
    '每条消息发出后会显示它的 id（“you sent …”）；要整体替换某个部分的回答，可以用 /form <提示 id>。',
  notTypedByYou: (id, author) => `⚠️ ${id} 是 ${author} 发的，不是你：只能编辑或删除自己发的消息。什么都没有改动。`,
};

const en: ConsoleIdTexts = {
  unknownMessage: (id, prompts, you) =>
    `⚠️ There is no message ${id}; nothing was recorded. Use the id shown in brackets before a message. ` +
    (prompts.length ? `Your prompts this week: ${listed(prompts, ', ')}. ` : 'No prompt was sent to you this week. ') +
    `/as ${you} shows the messages this chat sent you again.`,
  notYours: (id, owner) => `⚠️ ${id} was sent to ${owner}, not to you: you can only reply in your own messages with the bot. Nothing was recorded.`,
  notAPrompt: (id, prompts, you) =>
    `⚠️ ${id} is not a prompt: it has no form. ` +
    (prompts.length ? `Your prompts this week: ${listed(prompts, ', ')}. ` : 'No prompt was sent to you this week. ') +
    `/as ${you} shows the messages this chat sent you again.`,
  unknownTyped: (id, yours) =>
    `⚠️ You typed no message ${id}; nothing was changed. ` +
    (yours.length ? `Your messages in this chat: ${yours.join(', ')}. ` : '') +
    'Each message’s id is shown when you send it (“you sent …”); /form <prompt id> replaces a whole answer.',
  notTypedByYou: (id, author) => `⚠️ ${id} was typed by ${author}, not by you: you can only edit or delete your own messages. Nothing was changed.`,
};

const TEXTS: Record<Locale, ConsoleIdTexts> = { 'zh-CN': zh, en };

export function consoleIdTexts(locale: Locale): ConsoleIdTexts {
  return TEXTS[locale];
}

/** An id the person typed that can't be used: the message says which and what to type instead. Nothing was sent. */
export class ConsoleRefusal extends Error {
  override name = 'ConsoleRefusal';
}
