/**
 * Everything the bot says to people, in the team's locale. Handlers pick a message by name;
 * adapters only render it.
 */
export type Locale = 'zh-CN' | 'en';

interface PromptFacts {
  reportName: string;
  week: string;
  sectionTitle: string;
  deadline: string;
  lastWeek: string | null;
  hint?: string;
}

const zh = {
  prompt: (f: PromptFacts) =>
    [
      `📝 ${f.reportName} ${f.week}：请填写 ${f.sectionTitle}，截止 ${f.deadline}。`,
      f.hint ? `提示：${f.hint}` : null,
      f.lastWeek ? `上周内容如下，可复制后修改：\n\n${f.lastWeek}` : '上周没有内容，请直接填写。',
      '回复方式：在本消息的话题中直接回复，或在表单中编辑后提交。',
    ]
      .filter(Boolean)
      .join('\n\n'),
  formButton: '填写',
  reminder: (reportName: string, week: string, sectionTitle: string, deadline: string) =>
    `⏰ 提醒：${reportName} ${week} 的 ${sectionTitle} 还没有收到，截止 ${deadline}。请在原提示消息的话题中回复。`,
  confirmed: (sectionTitle: string, revision: number, preview: string) =>
    `✅ 已收到 ${sectionTitle}（第 ${revision} 版），将在周报中显示为：\n\n${preview}\n\n如需修改，再次回复即可，会保存为新版本。`,
  rejected: (sectionTitle: string, problem: string) => `⚠️ ${sectionTitle} 未保存：${problem}`,
  notAnOwner: '你好！你目前不负责任何周报部分，所以这条消息没有被记录。如需加入，请联系周报负责人。',
  notOpen: (reportName: string, opensAt: string) => `${reportName} 本周尚未开始收集，将于 ${opensAt} 开始。届时你会收到提示消息。`,
  whichSection: (options: { id: string; title: string }[]) =>
    `你负责多个部分：${options.map((o) => `${o.title}（${o.id}）`).join('、')}。这条消息没有被记录。\n请在对应提示消息的话题中回复，或在第一行只写部分编号（例如 “${options[0]?.id ?? 'o1'}”），下一行起写内容。`,
  help: [
    '*/weekly-report* 用法：',
    '• `status` — 本周谁已提交、谁还没有',
    '• `preview` — 预览本周草稿（仅你可见）',
    '• `remind` — 提醒未提交的负责人（仅负责人）',
    '• `publish` — 汇总并发布到群（仅负责人；再次发布会更新原消息）',
    '• `week 2024-W22` — 查看往期周报',
    '• `help` — 显示本帮助',
  ].join('\n'),
  unknownCommand: (what: string) => `无法识别 “${what}”。`,
  notLead: (sub: string, leads: string) => `只有周报负责人可以执行 ${sub}（负责人：${leads}）。`,
  noTeam: '你不在任何周报团队中，无法使用该命令。',
  chooseTeam: (ids: string[]) => `你在多个周报中：${ids.join('、')}。请在命令末尾加上周报编号，例如 \`status ${ids[0] ?? ''}\`。`,
  status: (week: string, done: string[], missing: string[], total: number) =>
    [`${week} 已提交 ${done.length}/${total}`, done.length ? `✅ ${done.join('、')}` : null, missing.length ? `⏳ 未提交：${missing.join('、')}` : '全部已提交 🎉']
      .filter(Boolean)
      .join('\n'),
  noCycle: (week: string) => `${week} 没有周报记录。`,
  working: '处理中…',
  reminded: (n: number) => (n > 0 ? `已提醒 ${n} 位未提交的负责人。` : '没有需要提醒的人：未提交的人今天已提醒过，或全部已提交。'),
  published: (week: string, updated: boolean) => (updated ? `${week} 周报已更新。` : `${week} 周报已发布。`),
  digestHeader: (name: string, week: string, submitted: number, total: number, missing: string[]) =>
    `📋 ${name} ${week}：已提交 ${submitted}/${total}${missing.length ? `，未提交：${missing.join('、')}` : ''}。完整周报见话题和附件。`,
  failed: (what: string) => `出错了：${what}。请稍后再试，或联系管理员。`,
};

const en: typeof zh = {
  prompt: (f) =>
    [
      `📝 ${f.reportName} ${f.week}: please write ${f.sectionTitle} by ${f.deadline}.`,
      f.hint ? `Hint: ${f.hint}` : null,
      f.lastWeek ? `Last week's text, to copy and edit:\n\n${f.lastWeek}` : 'Nothing last week: just write this week’s.',
      'To answer: reply in this message’s thread, or edit the text in the form and submit it.',
    ]
      .filter(Boolean)
      .join('\n\n'),
  formButton: 'Write',
  reminder: (reportName, week, sectionTitle, deadline) =>
    `⏰ Reminder: ${sectionTitle} for ${reportName} ${week} is still missing; due ${deadline}. Reply in the thread of the prompt.`,
  confirmed: (sectionTitle, revision, preview) =>
    `✅ Got ${sectionTitle} (revision ${revision}). It will read:\n\n${preview}\n\nTo change it, reply again: it is saved as a new revision.`,
  rejected: (sectionTitle, problem) => `⚠️ ${sectionTitle} was not saved: ${problem}`,
  notAnOwner: 'Hi! You don’t own a section of any weekly report, so this message was not recorded. Ask the report’s lead to add you.',
  notOpen: (reportName, opensAt) => `${reportName} is not collecting for this week yet; it opens ${opensAt}, when you’ll get a prompt.`,
  whichSection: (options) =>
    `You own several sections: ${options.map((o) => `${o.title} (${o.id})`).join(', ')}. This message was not recorded.\nReply in the thread of the section’s prompt, or put only the section id on the first line (e.g. “${options[0]?.id ?? 'o1'}”) and the text below it.`,
  help: [
    '*/weekly-report* usage:',
    '• `status` — who has and hasn’t submitted this week',
    '• `preview` — this week’s draft (only you see it)',
    '• `remind` — nudge owners who haven’t answered (leads only)',
    '• `publish` — compile and post to the channel (leads only; again = update)',
    '• `week 2024-W22` — a past week’s report',
    '• `help` — this text',
  ].join('\n'),
  unknownCommand: (what) => `“${what}” is not a command I know.`,
  notLead: (sub, leads) => `Only the report’s leads can run ${sub} (leads: ${leads}).`,
  noTeam: 'You are not part of any weekly report, so this command is not available to you.',
  chooseTeam: (ids) => `You are in several reports: ${ids.join(', ')}. Add the report id, e.g. \`status ${ids[0] ?? ''}\`.`,
  status: (week, done, missing, total) =>
    [`${week}: ${done.length}/${total} submitted`, done.length ? `✅ ${done.join(', ')}` : null, missing.length ? `⏳ missing: ${missing.join(', ')}` : 'Everyone has answered 🎉']
      .filter(Boolean)
      .join('\n'),
  noCycle: (week) => `No report for ${week}.`,
  working: 'Working on it…',
  reminded: (n) => (n > 0 ? `Reminded ${n} owner(s) who haven’t answered.` : 'Nobody to remind: everyone has answered or was already reminded.'),
  published: (week, updated) => (updated ? `${week} report updated.` : `${week} report published.`),
  digestHeader: (name, week, submitted, total, missing) =>
    `📋 ${name} ${week}: ${submitted}/${total} sections submitted${missing.length ? `; missing: ${missing.join(', ')}` : ''}. Full report in the thread and the attached file.`,
  failed: (what) => `Something went wrong: ${what}. Try again later or ask the admin.`,
};

export type Messages = typeof zh;

export function messagesFor(locale: Locale): Messages {
  return locale === 'en' ? en : zh;
}
