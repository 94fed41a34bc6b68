import type { Locale } from '../../src/report/locale.ts';

/** What the bot says about goal reviews, in the team's locale (beside ./messages.ts, which holds the rest). */

const zh = {
  checklistTitle: (goalsWeek: string, sectionTitle: string) => `📋 上周目标回顾（${goalsWeek} ${sectionTitle}）：`,
  checklistHint: '逐条标记：在话题中回复 “目标 1 完成”、“目标 2 进行中 等待评审” 或 “目标 3 放弃：原因”，可一次写多行。',
  placeholder: '标记',
  recorded: (goalsWeek: string, sectionTitle: string, reviewed: number, total: number, lines: string) =>
    `✅ 已记录目标回顾（${goalsWeek} ${sectionTitle}，已回顾 ${reviewed}/${total}）：\n${lines}\n\n要修改，再发一次即可，以最新的为准。`,
  refused: (problem: string, typed: string) => `⚠️ 目标回顾没有保存：${problem}\n\n你发送的内容（未保存，可复制修改后重发）：\n${typed}`,
  noGoals: (typed: string) => `⚠️ 目标回顾没有保存：上周没有设定目标，没有可回顾的内容。\n\n你发送的内容（未保存）：\n${typed}`,
  notYours: (owners: string) => `⚠️ 目标回顾没有保存：这份清单由 ${owners} 回顾，不是你。`,
  statusLine: (reviewed: number, total: number, sectionTitle?: string) => `🎯 目标回顾${sectionTitle ? `（${sectionTitle}）` : ''}：${reviewed}/${total}`,
};

const en: typeof zh = {
  checklistTitle: (goalsWeek, sectionTitle) => `📋 Last week’s goals (${goalsWeek} ${sectionTitle}):`,
  checklistHint:
    'Mark each one by replying in the thread: “goal 1 done”, “goal 2 in progress waiting for review” or “goal 3 dropped: reason”; several lines at once are fine.',
  placeholder: 'Mark',
  recorded: (goalsWeek, sectionTitle, reviewed, total, lines) =>
    `✅ Goal review saved (${goalsWeek} ${sectionTitle}, ${reviewed}/${total} reviewed):\n${lines}\n\nTo change it, send it again: the latest counts.`,
  refused: (problem, typed) => `⚠️ The goal review was not saved: ${problem}\n\nWhat you sent (not saved; copy it, fix it and send it again):\n${typed}`,
  noGoals: (typed) => `⚠️ The goal review was not saved: no goals were set last week, so there is nothing to review.\n\nWhat you sent (not saved):\n${typed}`,
  notYours: (owners) => `⚠️ The goal review was not saved: ${owners} reviews this checklist, not you.`,
  statusLine: (reviewed, total, sectionTitle) => `🎯 Goals reviewed${sectionTitle ? ` (${sectionTitle})` : ''}: ${reviewed}/${total}`,
};

export type GoalMessages = typeof zh;

export function goalMessagesFor(locale: Locale): GoalMessages {
  return locale === 'en' ? en : zh;
}
