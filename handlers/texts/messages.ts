/**
 * Everything the bot says to people, in the team's locale. Handlers pick a message by name;
 * adapters only render it.
 */
import type { Locale } from '../../src/report/locale.ts';
import type { MetricUnit } from '../../src/report/metrics/index.ts';
import type { TeamDefinition, WeeklyMoment } from '../../src/report/definition.ts';
import { formatInZone, momentInWeek } from '../../src/report/week.ts';

export type { Locale };

interface PromptFacts {
  reportName: string;
  week: string;
  sectionTitle: string;
  deadline: string;
  lastWeek: string | null;
  hint?: string;
}

/**
 * `status`: every section once, by state (src/report/section-answers.ts weekStanding): the titles
 * answered and skipped, and “title（who）” for those missing and those whose owners are away.
 */
export interface StatusLines {
  answered: string[];
  skipped: string[];
  missing: string[];
  away: string[];
  total: number;
}

/** The digest's counts, as `status` counts them: submitted = answered + skipped; who owes a section, who is away. */
export interface DigestCounts {
  submitted: number;
  total: number;
  skipped: number;
  missing: string[];
  away: string[];
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
    `✅ 已收到 ${sectionTitle}（第 ${revision} 版），整个部分将在周报中显示为：\n\n${preview}\n\n继续发消息会追加到这个部分；编辑或撤回某条消息会相应更新。要重新开始，请用表单整体替换，或只发“重写”。`,
  skipped: (sectionTitle: string, preview: string) =>
    `✅ 已记录：${sectionTitle} 本周无内容，不会再提醒你。周报中显示为：\n\n${preview}\n\n如有内容，直接发送即可。`,
  cleared: (sectionTitle: string) => `🧹 ${sectionTitle} 已清空，之前的内容都已移除（仍保存在历史版本中）。请重新发送本周的内容。`,
  metricsNotRead: (problems: string[]) =>
    `📈 有 ${problems.length} 个指标没有读到：已保存，但摘要和趋势图里会缺少它们。\n${problems.map((p) => `• ${p}`).join('\n')}\n再发一条消息写上这些行即可，会追加到这个部分，已发的内容不变。`,
  lateAnswer: (week: string, updated: boolean) =>
    updated ? `${week} 周报已经发布，已按你的修改更新已发布的周报，并通知了负责人。` : `${week} 周报已经发布；你的修改已保存，并已通知负责人。`,
  startedOverAfterPublishing: (week: string, updates: boolean) =>
    `${week} 周报已经发布：已发布的周报暂时保持原样，也不会通知负责人；你发来新内容后，${updates ? '会用新内容更新已发布的周报并通知负责人' : '会保存新内容并通知负责人（已发布的周报不改动）'}。`,
  stillStartedOver: (week: string) => `${week} 周报已经发布；你发来新内容之前，已发布的周报保持原样，也不会通知负责人。`,
  leadLateAnswer: (person: string, sectionTitle: string, week: string, updated: boolean) =>
    `✏️ ${person} 在发布后修改了 ${week} 的 ${sectionTitle}。${updated ? '已发布的周报已更新。' : '已发布的周报没有改动。'}`,
  updatedAfterPublishing: (sections: string[]) => `（发布后已更新：${sections.join('、')}）`,
  delayed: (receivedAt: string) => `🕓 这条消息在 ${receivedAt} 收到；当时存储暂时不可用，现已保存，所以这条确认晚到了。`,
  rejected: (sectionTitle: string, problem: string) => `⚠️ ${sectionTitle} 未保存：${problem}`,
  namesOtherSection: (named: string, owners: string, target: string) =>
    `⚠️ 这条消息没有保存：第一行写的是 ${named}，这个部分由 ${owners} 负责，不是你。这个话题是 ${target} 的；如果内容属于 ${target}，去掉第一行再发一次即可。`,
  notAnOwner: '你好！你目前不负责任何周报部分，所以这条消息没有被记录。如需加入，请联系周报负责人。',
  notYourSection: '这个部分不由你负责，表单没有打开。如有疑问，请联系周报负责人。',
  starting: '周报机器人正在启动，请稍后再试。',
  notOpen: (reportName: string, opensAt: string) => `${reportName} 本周尚未开始收集，将于 ${opensAt} 开始。届时你会收到提示消息。`,
  whichSection: (options: { id: string; title: string }[]) =>
    `你负责多个部分：${options.map((o) => `${o.title}（${o.id}）`).join('、')}。这条消息没有被记录。\n请在对应提示消息的话题中回复，或在第一行只写部分编号（例如 “${options[0]?.id ?? 'o1'}”），下一行起写内容。`,
  help: [
    '*/weekly-report* 用法：',
    '• `status` — 本周谁已提交、谁还没有',
    '• `preview` — 预览本周草稿（仅你可见）',
    '• `remind` — 提醒未提交的负责人（仅负责人）',
    '• `open` — 现在就开始本周收集（仅负责人）',
    '• `away owner-o1 2024-06-03 2024-06-09` — 标记成员休假：不提示、不提醒（仅负责人）',
    '• `delegate o1 owner-o2 [2024-W23]` — 把某个部分交给另一个人填写一周（仅负责人）',
    '• `publish` — 汇总并发布到群（仅负责人；有未提交时需确认；再次发布会更新原消息）',
    '• `week 2024-W22` — 查看往期周报',
    '• `history o1 8` — 某个部分最近几周的内容',
    '• `trend [指标] [周数]` — 指标趋势图（默认最近 12 周）',
    '• `incidents [起始周] [结束周]` — 各周的生产事件（默认最近一个季度）',
    '• `participation [周数]` — 各人各部分按时、迟交、跳过、休假、未交，附热力图（非负责人只看到自己）',
    '• `help` — 显示本帮助',
  ].join('\n'),
  unknownCommand: (what: string) => `无法识别 “${what}”。`,
  notLead: (sub: string, leads: string) => `只有周报负责人可以执行 ${sub}（负责人：${leads}）。`,
  noTeam: '你不在任何周报团队中，无法使用该命令。',
  chooseTeam: (ids: string[]) => `你在多个周报中：${ids.join('、')}。请在命令末尾加上周报编号，例如 \`status ${ids[0] ?? ''}\`。`,
  status: (week: string, s: StatusLines) =>
    [
      `${week} 已提交 ${s.answered.length + s.skipped.length}/${s.total}`,
      s.answered.length ? `✅ ${s.answered.join('、')}` : null,
      s.skipped.length ? `⏭ 跳过：${s.skipped.join('、')}` : null,
      s.missing.length ? `⏳ 未提交：${s.missing.join('、')}` : s.away.length ? null : '全部已提交 🎉',
      s.away.length ? `🌴 休假：${s.away.join('、')}` : null,
    ]
      .filter(Boolean)
      .join('\n'),
  /** A section and the people it is waiting for: 【贝易转】（Owner 贝易转）. */
  sectionWho: (sectionTitle: string, names: string[]) => `${sectionTitle}（${names.join(', ')}）`,
  noCycle: (week: string) => `${week} 没有周报记录。`,
  notOpenYet: (week: string, opensAt: string) => `${week} 周报还没有开始收集，将于 ${opensAt} 自动开始。负责人现在就可以开始：/weekly-report open`,
  holiday: (week: string, name: string) => `${week} 是假期（${name}），本周不收集周报：不发提示、不提醒、不发布。`,
  opened: (week: string, alreadyOpen: boolean, r: { sent: number; skipped: number; failed: number; unreachable: number; away: number }) =>
    `${alreadyOpen ? `${week} 已经在收集中` : `已开始 ${week}`}：发出提示 ${r.sent} 条，已提示或已提交 ${r.skipped} 人次${r.away ? `，休假不提示 ${r.away} 人次` : ''}${r.failed ? `，失败 ${r.failed} 条（稍后重试）` : ''}${r.unreachable ? `，${r.unreachable} 人次在任何平台上都没有账号` : ''}。`,
  awaySet: (name: string, from: string, to: string) => `已记录：${name} ${from} 至 ${to} 休假，期间不提示、不提醒，状态和摘要中显示为休假。`,
  delegated: (section: string, person: string, week: string) => `已记录：${week} 的 ${section} 交给 ${person} 填写；由 ${person} 接收提示和提醒。`,
  delegateUsage: (sections: string, people: string) => `用法：/weekly-report delegate <部分> <成员> [周]，例如 delegate o1 owner-o2 2024-W23。部分：${sections}；成员：${people}`,
  awayUsage: (people: string) => `用法：/weekly-report away <成员> <开始日期> <结束日期>，例如 away owner-o1 2024-06-03 2024-06-09。成员：${people}`,
  confirmPublish: (week: string, missing: string[]) =>
    `${week} 还有 ${missing.length} 个部分未提交：${missing.join('、')}。\n确定现在发布吗？未提交的部分会显示为“暂无”。确认请点按钮，或输入 /weekly-report publish confirm`,
  publishAnyway: '仍然发布',
  working: '处理中…',
  reminded: (r: { people: number; nudges: number }) =>
    r.nudges > 0 ? `已提醒 ${r.people} 位未提交的负责人，共 ${r.nudges} 条提醒。` : '没有需要提醒的人：未提交的人都已提醒过（每个部分提醒一次），或全部已提交。',
  published: (week: string, updated: boolean) => (updated ? `${week} 周报已更新。` : `${week} 周报已发布。`),
  digestHeader: (name: string, week: string, d: DigestCounts) =>
    `📋 ${name} ${week}：已提交 ${d.submitted}/${d.total}${d.skipped ? `（其中跳过 ${d.skipped}）` : ''}${d.missing.length ? `，未提交：${d.missing.join('、')}` : ''}${d.away.length ? `，休假：${d.away.join('、')}` : ''}。完整周报见话题和附件。`,
  failed: (what: string) => `出错了：${what}。请稍后再试，或联系管理员。`,
  metricPart: (label: string, value: string, change: string | undefined, missedTarget: string | undefined) =>
    `${label} ${value}${change ? `（较上周 ${change}）` : ''}${missedTarget ? ` ⚠️ 未达标（目标 ${missedTarget}）` : ''}`,
  metricChange: (signed: string, unit: MetricUnit) => (unit === '%' ? `${signed} 个百分点` : signed),
  metricNotFound: (label: string) => `${label} 未填写`,
  metricsLine: (parts: string[]) => `📈 ${parts.join('；')}`,
  incidentsLine: (count: number, average: number, weeks: number) => `🚨 本周生产事件 ${count} 起，前 ${weeks} 周平均 ${average} 起`,
  noMetrics: '这个周报没有声明指标（在模板的部分下加 metrics:），所以没有趋势图。',
  unknownMetric: (word: string, ids: string[]) => `没有指标 “${word}”。可选：${ids.join('、')}；也可以写周数，例如 trend 12。`,
  incidentsNone: (from: string, to: string) => `${from} – ${to} 没有记录生产事件。`,
  incidentsHeader: (from: string, to: string, count: number) => `🚨 ${from} – ${to} 生产事件 ${count} 起`,
  incidentsWeek: (week: string, lines: string[]) => `*${week}*（${lines.length} 起）\n${lines.map((l) => `• ${l}`).join('\n')}`,
  badWeek: (word: string) => `“${word}” 不是 ISO 周（例如 2024-W14）。用法：incidents [起始周] [结束周]`,
  rangeTooLong: '一次最多查看 52 周，请缩小范围。',
  chooseSection: (ids: string[]) => `请指定部分，例如 history o1 8。可选：${ids.join('、')}`,
  unknownSection: (word: string, ids: string[]) => `没有部分 “${word}”。可选：${ids.join('、')}`,
  historyNone: (title: string) => `${title} 在这些周里没有记录。`,
  historyWeek: (week: string, markdown: string) => `*${week}*\n\n${markdown}`,
  participationUsage: '用法：participation [周数]，例如 participation 12（最多 52）。',
  participationNone: '这些周里没有记录。',
  participationHeader: (weeks: string[]) => `${weeks[0]} – ${weeks.at(-1)}（${weeks.length} 周）✅按时 ⏰迟交 ⏭跳过 🌴休假 ❌未交`,
  participationChartTitle: (name: string, from: string, to: string) => `${name} 参与情况 ${from} – ${to}`,
  participationChartSent: '🖼 参与情况热力图已私信发给你（只有你能看到）。',
  onTimeLine: (onTime: number, asked: number) => `⏱ 按时提交：${onTime}/${asked}`,
  answerPart: (part: number, parts: number) => `（${part}/${parts}）`,
  answerTooLong: (shown: number, parts: number, filename: string) => `……回答较长，共 ${parts} 部分，这里显示了前 ${shown} 部分；完整内容已作为文件 ${filename} 私信发给你。`,
  answerFile: (filename: string) => `📎 完整内容见文件 ${filename}`,
  trendChartTitle: (name: string, labels: string[], from: string, to: string) => `${name} ${labels.join('、')} ${from} – ${to}`,
  trendSent: (title: string, empty: string[]) => `📈 已发送趋势图：${title}${empty.length ? `（这些周里没有数据：${empty.join('、')}）` : ''}`,
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
    `✅ Got ${sectionTitle} (revision ${revision}). The whole section will read:\n\n${preview}\n\nMore messages are added to this section; editing or deleting a message updates it. To start over, replace it all in the form, or send just “start over”.`,
  skipped: (sectionTitle, preview) => `✅ Noted: nothing for ${sectionTitle} this week, and no more reminders. The report will read:\n\n${preview}\n\nIf something comes up, just send it.`,
  cleared: (sectionTitle) => `🧹 ${sectionTitle} is now empty: everything you sent before was removed (the revisions are kept). Send this week's text again.`,
  metricsNotRead: (problems) =>
    `📈 ${problems.length} metric(s) could not be read: the answer is saved, but the digest and trend charts will miss them.\n${problems.map((p) => `• ${p}`).join('\n')}\nSend another message with these lines: it is added to this section, and what you sent stays.`,
  lateAnswer: (week, updated) =>
    updated ? `The ${week} report was already posted: it has been updated with your change, and the leads were told.` : `The ${week} report was already posted: your change is saved and the leads were told.`,
  startedOverAfterPublishing: (week, updates) =>
    `The ${week} report was already posted: it stays as it is for now, and the leads are not told; when you send the new text, ${updates ? 'the posted report is updated with it and the leads are told' : 'it is saved and the leads are told (the posted report stays as it was)'}.`,
  stillStartedOver: (week) => `The ${week} report was already posted: until you send the new text, it stays as it is and the leads are not told.`,
  leadLateAnswer: (person, sectionTitle, week, updated) =>
    `✏️ ${person} changed ${sectionTitle} of ${week} after it was published. ${updated ? 'The posted report was updated.' : 'The posted report was left as it was.'}`,
  updatedAfterPublishing: (sections) => ` (updated after publishing: ${sections.join(', ')})`,
  delayed: (receivedAt) => `🕓 This message arrived at ${receivedAt}, while the store was unavailable; it is saved now, which is why this confirmation is late.`,
  rejected: (sectionTitle, problem) => `⚠️ ${sectionTitle} was not saved: ${problem}`,
  namesOtherSection: (named, owners, target) =>
    `⚠️ This message was not saved: its first line names ${named}, which ${owners} owns, not you. This thread is for ${target}; if the text belongs there, send it again without that first line.`,
  notAnOwner: 'Hi! You don’t own a section of any weekly report, so this message was not recorded. Ask the report’s lead to add you.',
  notYourSection: 'You don’t own this section, so the form was not opened. Ask the report’s lead if this looks wrong.',
  starting: 'The weekly-report bot is starting; try again in a moment.',
  notOpen: (reportName, opensAt) => `${reportName} is not collecting for this week yet; it opens ${opensAt}, when you’ll get a prompt.`,
  whichSection: (options) =>
    `You own several sections: ${options.map((o) => `${o.title} (${o.id})`).join(', ')}. This message was not recorded.\nReply in the thread of the section’s prompt, or put only the section id on the first line (e.g. “${options[0]?.id ?? 'o1'}”) and the text below it.`,
  help: [
    '*/weekly-report* usage:',
    '• `status` — who has and hasn’t submitted this week',
    '• `preview` — this week’s draft (only you see it)',
    '• `remind` — nudge owners who haven’t answered (leads only)',
    '• `open` — open this week now (leads only)',
    '• `away owner-o1 2024-06-03 2024-06-09` — mark someone away: not prompted or reminded (leads only)',
    '• `delegate o1 owner-o2 [2024-W23]` — hand a section to someone else for a week (leads only)',
    '• `publish` — compile and post to the channel (leads only; asks first when sections are missing; again = update)',
    '• `week 2024-W22` — a past week’s report',
    '• `history o1 8` — one section over the last weeks',
    '• `trend [metric] [weeks]` — a metric’s trend chart (last 12 weeks by default)',
    '• `incidents [from week] [to week]` — incidents across weeks (the last quarter by default)',
    '• `participation [weeks]` — on time, late, skipped, away, missing per person and section, with a heatmap (non-leads see their own row)',
    '• `help` — this text',
  ].join('\n'),
  unknownCommand: (what) => `“${what}” is not a command I know.`,
  notLead: (sub, leads) => `Only the report’s leads can run ${sub} (leads: ${leads}).`,
  noTeam: 'You are not part of any weekly report, so this command is not available to you.',
  chooseTeam: (ids) => `You are in several reports: ${ids.join(', ')}. Add the report id, e.g. \`status ${ids[0] ?? ''}\`.`,
  status: (week, s) =>
    [
      `${week}: ${s.answered.length + s.skipped.length}/${s.total} submitted`,
      s.answered.length ? `✅ ${s.answered.join(', ')}` : null,
      s.skipped.length ? `⏭ skipped: ${s.skipped.join(', ')}` : null,
      s.missing.length ? `⏳ missing: ${s.missing.join(', ')}` : s.away.length ? null : 'Everyone has answered 🎉',
      s.away.length ? `🌴 away: ${s.away.join(', ')}` : null,
    ]
      .filter(Boolean)
      .join('\n'),
  sectionWho: (sectionTitle, names) => `${sectionTitle} (${names.join(', ')})`,
  noCycle: (week) => `No report for ${week}.`,
  notOpenYet: (week, opensAt) => `${week} is not collecting yet; it opens by itself ${opensAt}. A lead can open it now: /weekly-report open`,
  holiday: (week, name) => `${week} is a holiday (${name}): no report this week, so no prompts, reminders or publication.`,
  opened: (week, alreadyOpen, r) =>
    `${alreadyOpen ? `${week} was already open` : `Opened ${week}`}: ${r.sent} prompt(s) sent, ${r.skipped} already prompted or answered${r.away ? `, ${r.away} away and not asked` : ''}${r.failed ? `, ${r.failed} failed (retried later)` : ''}${r.unreachable ? `, ${r.unreachable} with no account on any platform` : ''}.`,
  awaySet: (name, from, to) => `Noted: ${name} is away from ${from} to ${to}: not prompted or reminded, and listed as away in status and the digest.`,
  delegated: (section, person, week) => `Noted: ${section} of ${week} is handed to ${person}, who gets its prompt and reminders.`,
  delegateUsage: (sections, people) => `Usage: /weekly-report delegate <section> <person> [week], e.g. delegate o1 owner-o2 2024-W23. Sections: ${sections}; people: ${people}`,
  awayUsage: (people) => `Usage: /weekly-report away <person> <from> <to>, e.g. away owner-o1 2024-06-03 2024-06-09. People: ${people}`,
  confirmPublish: (week, missing) =>
    `${week} still has ${missing.length} section(s) missing: ${missing.join(', ')}.\nPublish now anyway? Missing sections print as empty. Press the button, or type /weekly-report publish confirm`,
  publishAnyway: 'Publish anyway',
  working: 'Working on it…',
  reminded: (r) =>
    r.nudges > 0 ? `Reminded ${r.people} owner(s) who haven’t answered, with ${r.nudges} nudge(s).` : 'Nobody to remind: everyone who hasn’t answered was already reminded (once per section), or everyone has answered.',
  published: (week, updated) => (updated ? `${week} report updated.` : `${week} report published.`),
  digestHeader: (name, week, d) =>
    `📋 ${name} ${week}: ${d.submitted}/${d.total} sections submitted${d.skipped ? ` (${d.skipped} skipped)` : ''}${d.missing.length ? `; missing: ${d.missing.join(', ')}` : ''}${d.away.length ? `; away: ${d.away.join(', ')}` : ''}. Full report in the thread and the attached file.`,
  failed: (what) => `Something went wrong: ${what}. Try again later or ask the admin.`,
  metricPart: (label, value, change, missedTarget) =>
    `${label} ${value}${change ? ` (${change} on last week)` : ''}${missedTarget ? ` ⚠️ target missed (${missedTarget})` : ''}`,
  metricChange: (signed, unit) => (unit === '%' ? `${signed} pp` : signed),
  metricNotFound: (label) => `${label} not given`,
  metricsLine: (parts) => `📈 ${parts.join('; ')}`,
  incidentsLine: (count, average, weeks) => `🚨 ${count} incident(s) this week; the ${weeks} week(s) before averaged ${average}`,
  noMetrics: 'This report declares no metrics (add metrics: under a section of the template), so there is no trend chart.',
  unknownMetric: (word, ids) => `No metric “${word}”. Choose one of: ${ids.join(', ')}; or give a number of weeks, e.g. trend 12.`,
  incidentsNone: (from, to) => `No incidents recorded from ${from} to ${to}.`,
  incidentsHeader: (from, to, count) => `🚨 ${count} incident(s) from ${from} to ${to}`,
  incidentsWeek: (week, lines) => `*${week}* (${lines.length})\n${lines.map((l) => `• ${l}`).join('\n')}`,
  badWeek: (word) => `“${word}” is not an ISO week (e.g. 2024-W14). Usage: incidents [from week] [to week]`,
  rangeTooLong: 'At most 52 weeks at a time: narrow the range.',
  chooseSection: (ids) => `Name a section, e.g. history o1 8. Sections: ${ids.join(', ')}`,
  unknownSection: (word, ids) => `No section “${word}”. Sections: ${ids.join(', ')}`,
  historyNone: (title) => `Nothing recorded for ${title} in these weeks.`,
  historyWeek: (week, markdown) => `*${week}*\n\n${markdown}`,
  participationUsage: 'Usage: participation [weeks], e.g. participation 12 (at most 52).',
  participationNone: 'Nothing recorded in these weeks.',
  participationHeader: (weeks) => `${weeks[0]} – ${weeks.at(-1)} (${weeks.length} weeks) ✅ on time ⏰ late ⏭ skipped 🌴 away ❌ missing`,
  participationChartTitle: (name, from, to) => `${name}: participation ${from} – ${to}`,
  participationChartSent: '🖼 The participation heatmap is in your direct messages (only you can see it).',
  onTimeLine: (onTime, asked) => `⏱ On time this week: ${onTime} of ${asked}`,
  answerPart: (part, parts) => `(${part}/${parts})`,
  answerTooLong: (shown, parts, filename) => `…a long answer: ${parts} parts, of which the first ${shown} are shown here; the whole answer is in the file ${filename}, sent to you in a direct message.`,
  answerFile: (filename) => `📎 The whole answer: ${filename}`,
  trendChartTitle: (name, labels, from, to) => `${name}: ${labels.join(', ')} ${from} – ${to}`,
  trendSent: (title, empty) => `📈 Trend chart sent: ${title}${empty.length ? ` (no data in these weeks: ${empty.join(', ')})` : ''}`,
};

export type Messages = typeof zh;

export function messagesFor(locale: Locale): Messages {
  return locale === 'en' ? en : zh;
}

/** A moment of the team's week as people read it: "6月7日 周五 17:00" / "Fri 7 Jun 17:00". */
export function formatMoment(definition: TeamDefinition, week: string, moment: WeeklyMoment): string {
  const at = momentInWeek(week, moment, definition.timeZone);
  const format = definition.locale === 'en' ? 'ccc d LLL HH:mm' : 'M月d日 ccc HH:mm';
  return formatInZone(at, definition.timeZone, format, definition.locale);
}
