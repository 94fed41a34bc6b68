/**
 * Everything the bot says to people, in the team's locale. Handlers pick a message by name;
 * adapters only render it.
 */
import type { Locale } from '../../src/report/locale.ts';
import type { MetricUnit } from '../../src/report/metrics/index.ts';
import type { TeamDefinition, WeeklyMoment } from '../../src/report/definition.ts';
import { formatInZone, momentInWeek, type WeekProblem } from '../../src/report/week.ts';
import type { ReportDocumentProblem } from '../../src/platforms/report-document-error.ts';

export type { Locale };

/** The links `/weekly-report archive` gives: the team's (leads), a week's, and until when they work. */
export interface ArchiveLinkLines {
  team?: string;
  week?: { week: string; url: string };
  /** When the links stop working, in the team's time. */
  expires: string;
}

interface PromptFacts {
  reportName: string;
  week: string;
  sectionTitle: string;
  due: Due;
  lastWeek: string | null;
  hint?: string;
}

/**
 * When an answer is due, as a prompt or a reminder says it: by a moment still to come, or, once
 * the week's publish time has passed, why there is no moment to name (never a moment past).
 */
export type Due =
  /** The week's publish time, still to come. */
  | { kind: 'by'; at: string }
  /** Opened after its publish time: no scheduled deadline, the lead publishes. */
  | { kind: 'opened-late' }
  /** Opened in time, its publish time passed, the report not out yet. */
  | { kind: 'overdue' }
  /** The report is out: an answer is a late answer. */
  | { kind: 'published'; updates: boolean };

/** The next week the schedule opens by itself (holidays skipped), as people read it. */
export interface NextOpening {
  week: string;
  /** Its open moment. */
  at: string;
  /** Its publish moment: the deadline of its prompts. */
  deadline: string;
  /** It is the week right after this one, so a lead can open it now (`open next`). */
  following: boolean;
}

/** Why an owner's message outside any thread finds no open week. */
export type NotOpenReason =
  /** The week opens at a moment still to come. */
  | { kind: 'opens'; at: string }
  /** The open moment has passed and the schedule has not run yet: it opens shortly. */
  | { kind: 'due'; at: string }
  /** This week is not collected (a holiday, or not opened before its publish time). */
  | { kind: 'closed'; holiday: string | null; next: NextOpening | null };

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
      f.due.kind === 'by'
        ? `📝 ${f.reportName} ${f.week}：请填写 ${f.sectionTitle}，截止 ${f.due.at}。`
        : `📝 ${f.reportName} ${f.week}：请填写 ${f.sectionTitle}。${zhDueNote(f.due)}`,
      f.hint ? `提示：${f.hint}` : null,
      f.lastWeek ? `上周内容如下，可复制后修改：\n\n${f.lastWeek}` : '上周没有内容，请直接填写。',
      '回复方式：在本消息的话题中直接回复，或在表单中编辑后提交。',
    ]
      .filter(Boolean)
      .join('\n\n'),
  formButton: '填写',
  reminder: (reportName: string, week: string, sectionTitle: string, due: Due) =>
    `⏰ 提醒：${reportName} ${week} 的 ${sectionTitle} 还没有收到${due.kind === 'by' ? `，截止 ${due.at}。` : `。${zhDueNote(due)}`}请在原提示消息的话题中回复。`,
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
  handedOver: (section: string, delegate: string, week: string, sectionId: string) =>
    `⚠️ 没有保存：${week} 的 ${section} 已交给 ${delegate} 填写，这一周只有 ${delegate} 能修改这个部分。请把内容发给 ${delegate}；如果交接有误，请周报负责人取消（/weekly-report delegate cancel ${sectionId} ${week}），然后再发一次。`,
  handedOverDeleted: (section: string, delegate: string, week: string, sectionId: string) =>
    `⚠️ 你撤回的消息仍保留在 ${week} 的 ${section} 中：这个部分已交给 ${delegate} 填写，这一周只有 ${delegate} 能修改它。如需删除，请周报负责人取消交接（/weekly-report delegate cancel ${sectionId} ${week}），然后发送“重写”并重新填写。`,
  handedOverNoForm: (section: string, delegate: string, week: string) =>
    `${week} 的 ${section} 已交给 ${delegate} 填写，表单没有打开。如有疑问，请联系周报负责人。`,
  notWeekOwner: (section: string, owners: string, week: string) =>
    `⚠️ 没有保存：${week} 的 ${section} 由 ${owners} 填写，不是你。请把内容发给 ${owners}；如有疑问，请联系周报负责人。`,
  notWeekOwnerDeleted: (section: string, owners: string, week: string) =>
    `⚠️ 你撤回的消息仍保留在 ${week} 的 ${section} 中：这个部分现在由 ${owners} 填写，不是你。如需删除，请联系周报负责人。`,
  formTextKept: (text: string) => `你在表单中填写的内容（没有保存，可复制）：\n\n${text}`,
  starting: '周报机器人正在启动，请稍后再试。',
  notOpen: (reportName: string, why: NotOpenReason) =>
    why.kind === 'opens'
      ? `${reportName} 本周尚未开始收集，将于 ${why.at} 开始，届时你会收到提示消息。这条消息没有被记录。`
      : why.kind === 'due'
        ? `${reportName} 本周尚未开始收集（本应于 ${why.at} 开始，稍后就会开始），届时你会收到提示消息。这条消息没有被记录。`
        : `${reportName} 本周没有收集（${why.holiday ? `假期：${why.holiday}` : '没有在发布时间前开始'}）。${why.next ? `下次开始：${why.next.at}（${why.next.week}），届时你会收到提示消息。` : ''}这条消息没有被记录；如需补交本周内容，请联系负责人。`,
  whichSection: (options: { id: string; title: string }[]) =>
    `你负责多个部分：${options.map((o) => `${o.title}（${o.id}）`).join('、')}。这条消息没有被记录。\n请在对应提示消息的话题中回复，或在第一行只写部分编号（例如 “${options[0]?.id ?? 'o1'}”），下一行起写内容。`,
  help: [
    '*/weekly-report* 用法：',
    '• `status` — 本周谁已提交、谁还没有',
    '• `preview` — 预览本周草稿（仅你可见）',
    '• `remind` — 提醒未提交的负责人（仅负责人）',
    '• `open` — 现在就开始本周收集（仅负责人；已过发布时间或假期时先询问：`open late` 补开本周，`open next` 开始下周，`open confirm` 假期仍开始）',
    '• `away owner-o1 2024-06-03 2024-06-09` — 标记成员休假：不提示、不提醒（仅负责人）',
    '• `away list` — 今天及以后的休假；`away cancel owner-o1 [2024-06-03]` — 取消休假（仅负责人）',
    '• `delegate o1 owner-o2 [2024-W23]` — 把某个部分交给另一个人填写一周，期间原负责人不能再修改（仅负责人）',
    '• `delegate list [2024-W23]` — 某周交接的部分；`delegate cancel o1 [2024-W23]` — 取消交接（仅负责人）',
    '• `publish` — 汇总并发布到群（仅负责人；有未提交时需确认；再次发布会更新原消息）',
    '• `week 2024-W22` — 查看往期周报',
    '• `history o1 8` — 某个部分最近几周的内容',
    '• `trend [指标] [周数]` — 指标趋势图（默认最近 12 周）',
    '• `incidents [起始周] [结束周]` — 各周的生产事件（默认最近一个季度）',
    '• `participation [周数]` — 各人各部分按时、迟交、跳过、休假、未交，附热力图（非负责人只看到自己）',
    '• `archive [2024-W23]` — 网页版周报归档的签名链接（负责人：整个周报；其他成员：某一周的周报）',
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
  archiveOff: '网页版周报归档没有开启。管理员设置 ARCHIVE_SECRET（至少 32 个字符的随机字符串）和 PUBLIC_URL 后重启机器人即可开启，见 docs/archive.md。',
  archiveLinks: (links: ArchiveLinkLines) =>
    [
      links.team ? `🗂 周报归档（所有周、趋势、提交情况、生产事件、目标回顾、搜索）：${links.team}` : null,
      links.week ? `📄 ${links.week.week} 周报：${links.week.url}` : null,
      `链接有效期至 ${links.expires}，请勿转发给团队以外的人。`,
    ]
      .filter(Boolean)
      .join('\n'),
  archiveEmpty: '还没有任何一周的周报，归档里暂时没有内容。',
  digestArchiveLink: (url: string) => `🔗 网页版：${url}`,
  notOpenYet: (week: string, opensAt: string) => `${week} 周报还没有开始收集，将于 ${opensAt} 自动开始。负责人现在就可以开始：/weekly-report open`,
  openDue: (week: string, dueAt: string, deadline: string) =>
    `${week} 周报本应于 ${dueAt} 开始收集，还没有开始：定时任务下次运行时会补开，截止 ${deadline}。负责人现在就可以开始：/weekly-report open`,
  openSkipped: (week: string, publishAt: string, next: NextOpening | null) =>
    `${week} 周报没有开始收集：到发布时间 ${publishAt} 还没有开始，所以没有自动开始，也没有给任何人发截止时间已过的提示。` +
    `${next ? `下次自动开始：${next.at}（${next.week}）。` : '之后没有计划中的自动开始。'}负责人可以补开本周（没有定时截止，收齐后由负责人发布）：/weekly-report open late` +
    `${next?.following ? `；或现在就开始 ${next.week}：/weekly-report open next` : ''}`,
  confirmOpenLate: (week: string, publishAt: string, holiday: string | null, next: NextOpening | null) =>
    [
      `${week} 的发布时间 ${publishAt} 已过${holiday ? `，而且本周是假期（${holiday}）` : ''}，本周还没有开始收集。要怎么做？`,
      `• 补开 ${week}：现在提示每个负责人，没有定时截止，收齐后由你发布（/weekly-report open late）`,
      next?.following ? `• 现在开始 ${next.week}：提示每个负责人，截止 ${next.deadline}（/weekly-report open next）` : null,
      `${next ? `什么都不做的话，${next.week} 将于 ${next.at} 自动开始。` : ''}请点按钮，或输入对应的命令。`,
    ]
      .filter(Boolean)
      .join('\n'),
  confirmOpenHoliday: (week: string, holiday: string, deadline: string) =>
    `${week} 是假期（${holiday}），按团队定义本周不收集周报。确定要现在开始吗？开始后会提示每个负责人，之后照常提醒，截止 ${deadline} 时发布。确认请点按钮，或输入 /weekly-report open confirm`,
  openPublished: (week: string, publishedAt: string, updates: boolean, next: NextOpening | null) =>
    `${week} 周报已于 ${publishedAt} 发布。之后收到的回答${updates ? '会作为补交更新已发布的周报，并通知负责人' : '会保存并通知负责人，已发布的周报不变'}。` +
    `${next ? `${next.week} 将于 ${next.at} 自动开始` : '之后没有计划中的自动开始'}${next?.following ? '；要现在就开始，请点按钮或输入 /weekly-report open next' : ''}。`,
  openNextTooEarly: (week: string, deadline: string) => `现在还不能开始下一周：${week} 的收集截止 ${deadline}，在那之前只能开始本周（/weekly-report open）。`,
  openNextHoliday: (week: string, holiday: string, next: NextOpening | null) =>
    `${week} 是假期（${holiday}），不收集周报，所以不能提前开始。${next ? `下次自动开始：${next.at}（${next.week}）。` : ''}`,
  openLateButton: (week: string) => `补开 ${week}`,
  openNextButton: (week: string) => `现在开始 ${week}`,
  openAnywayButton: (week: string) => `仍然开始 ${week}`,
  holiday: (week: string, name: string) => `${week} 是假期（${name}），本周不收集周报：不发提示、不提醒、不发布。`,
  opened: (week: string, alreadyOpen: boolean, r: { sent: number; skipped: number; failed: number; unreachable: number; away: number }, late = false) =>
    `${alreadyOpen ? `${week} 已经在收集中` : `已开始 ${week}`}：发出提示 ${r.sent} 条，已提示或已提交 ${r.skipped} 人次${r.away ? `，休假不提示 ${r.away} 人次` : ''}${r.failed ? `，失败 ${r.failed} 条（稍后重试）` : ''}${r.unreachable ? `，${r.unreachable} 人次在任何平台上都没有账号` : ''}。` +
    (late ? '本周已过发布时间，没有定时截止：收齐后请发布（/weekly-report publish）。' : ''),
  awaySet: (name: string, from: string, to: string) => `已记录：${name} ${from} 至 ${to} 休假，期间不提示、不提醒，状态和摘要中显示为休假。`,
  delegated: (section: string, person: string, week: string) => `已记录：${week} 的 ${section} 交给 ${person} 填写；由 ${person} 接收提示和提醒。`,
  delegateUsage: (sections: string, people: string) =>
    `用法：/weekly-report delegate <部分> <成员> [周]，例如 delegate o1 owner-o2 2024-W23。部分：${sections}；成员：${people}`,
  awayUsage: (people: string) => `用法：/weekly-report away <成员> <开始日期> <结束日期>，例如 away owner-o1 2024-06-03 2024-06-09。成员：${people}`,
  awayReversed: (start: string, end: string, corrected: string) => `结束日期 ${end} 早于开始日期 ${start}。是不是想写：/weekly-report ${corrected}`,
  notADate: (word: string) => `“${word}” 不是日期：日期写成 2024-06-03 或 6/3。`,
  noSuchPerson: (word: string) => `没有成员 “${word}”。`,
  noSuchSection: (word: string) => `没有部分 “${word}”。`,
  weekProblem: (word: string, problem: WeekProblem, corrected: string) =>
    problem.problem === 'no-such-week'
      ? `${problem.year} 年没有第 ${problem.weekNumber} 周：ISO 年有 52 或 53 周，${problem.year} 年有 ${problem.weeksInYear} 周（${problem.year}-W01 到 ${problem.year}-W${problem.weeksInYear}）。例如：/weekly-report ${corrected}`
      : problem.suggestion
        ? `“${word}” 不是 ISO 周的写法，应写成 ${problem.suggestion}。请输入：/weekly-report ${corrected}`
        : `“${word}” 不是 ISO 周：周写成 2024-W22 这样（年份-W周数）。例如：/weekly-report ${corrected}`,
  weekMissing: (corrected: string) => `请写要看哪一周，例如：/weekly-report ${corrected}（本周的草稿：/weekly-report preview）`,
  weekCountOutOfRange: (word: string, corrected: string) => `${word} 周不是有效的周数（1–52）。例如：/weekly-report ${corrected}`,
  notAWeekCount: (word: string, corrected: string) => `“${word}” 不是周数（1–52 之间的数字）。例如：/weekly-report ${corrected}`,
  extraWords: (sub: string, extra: string, corrected: string) => `${sub} 后面不需要 “${extra}”。请输入：/weekly-report ${corrected}`,
  publishArgument: (word: string, plain: string, confirmed: string) =>
    `publish 后面只能写 confirm，不能写 “${word}”。发布：/weekly-report ${plain}；有部分未提交时仍要发布：/weekly-report ${confirmed}`,
  awayList: (lines: { name: string; key: string; from: string; to: string; setBy: string }[]) =>
    lines.length === 0
      ? '没有休假记录（今天及以后）。'
      : [
          '休假记录（今天及以后）：',
          ...lines.map((l) => `• ${l.name}（${l.key}）${l.from} 至 ${l.to}（${l.setBy} 设置）`),
          '取消：/weekly-report away cancel <成员> [开始日期]',
        ].join('\n'),
  awayListUsage: '用法：/weekly-report away list，列出今天及以后的休假。',
  awayCancelUsage: (people: string) =>
    `用法：/weekly-report away cancel <成员> [开始日期]，例如 away cancel owner-o1 2024-06-03；不写开始日期时，取消这个人今天及以后唯一的一段休假。成员：${people}`,
  awayCancelled: (name: string, ranges: { from: string; to: string }[]) => `已取消：${name} ${ranges.map((r) => `${r.from} 至 ${r.to}`).join('、')} 的休假。`,
  awayNothingToCancel: (name: string, from: string | null) =>
    from ? `${name} 没有从 ${from} 开始的休假，无需取消。` : `${name} 没有今天及以后的休假，无需取消。`,
  awayWhich: (name: string, key: string, ranges: { from: string; to: string }[]) =>
    `${name} 有 ${ranges.length} 段休假：${ranges.map((r) => `${r.from} 至 ${r.to}`).join('、')}。请写上开始日期，例如 away cancel ${key} ${ranges[0]?.from ?? ''}。`,
  delegateList: (week: string, lines: { title: string; id: string; usual: string[]; person: string; setBy: string }[]) =>
    lines.length === 0
      ? `${week} 没有交接的部分。`
      : [
          `${week} 交接的部分：`,
          ...lines.map((l) => `• ${l.title}（${l.id}）：${l.usual.join('、')} → ${l.person}（${l.setBy} 设置）`),
          '取消：/weekly-report delegate cancel <部分> [周]',
        ].join('\n'),
  delegateListUsage: '用法：/weekly-report delegate list [周]，例如 delegate list 2024-W23；不写周时为本周。',
  delegateCancelUsage: (sections: string) =>
    `用法：/weekly-report delegate cancel <部分> [周]，例如 delegate cancel o1 2024-W23；不写周时为本周。部分：${sections}`,
  delegateCancelled: (section: string, person: string, usual: string[], week: string) =>
    `已取消：${week} 的 ${section} 不再交给 ${person}，由 ${usual.join('、')} 填写；已收到的内容仍保留在这个部分中。`,
  delegateNothingToCancel: (section: string, week: string) => `${week} 的 ${section} 没有交接，无需取消。`,
  confirmPublish: (week: string, missing: string[]) =>
    `${week} 还有 ${missing.length} 个部分未提交：${missing.join('、')}。\n确定现在发布吗？未提交的部分会显示为“暂无”。确认请点按钮，或输入 /weekly-report publish confirm`,
  openArgument: (word: string, plain: string, late: string, next: string) =>
    `open 后面只能写 late（本周补开）或 next（现在开始下周），不能写 “${word}”。开始本周：/weekly-report ${plain}；本周补开：/weekly-report ${late}；开始下周：/weekly-report ${next}`,
  publishAnyway: '仍然发布',
  working: '处理中…',
  reminded: (r: { people: number; nudges: number }) =>
    r.nudges > 0
      ? `已提醒 ${r.people} 位未提交的负责人，共 ${r.nudges} 条提醒。`
      : '没有需要提醒的人：未提交的人都已提醒过（每个部分提醒一次），或全部已提交。',
  published: (week: string, updated: boolean) => (updated ? `${week} 周报已更新。` : `${week} 周报已发布。`),
  digestHeader: (name: string, week: string, d: DigestCounts) =>
    `📋 ${name} ${week}：已提交 ${d.submitted}/${d.total}${d.skipped ? `（其中跳过 ${d.skipped}）` : ''}${d.missing.length ? `，未提交：${d.missing.join('、')}` : ''}${d.away.length ? `，休假：${d.away.join('、')}` : ''}。完整周报见话题和附件。`,
  failed: (what: string) => `出错了：${what}。请稍后再试，或联系管理员。`,
  reportDocumentLink: (label: string, url: string) => `📄 ${label}：${url}`,
  reportDocumentFailed: (label: string, week: string, detail: string, problem: ReportDocumentProblem) =>
    `⚠️ ${week} 周报没能写入${label}（${detail}）。${
      problem.kind === 'permission'
        ? `应用缺少权限 ${problem.needs}：请管理员为应用添加该权限（并重新安装或发布应用）。`
        : problem.kind === 'no-access'
          ? `应用没有 ${problem.place} 的写入权限：请把应用添加为它的协作者（Slack 频道则邀请应用加入）。`
          : problem.kind === 'unavailable'
            ? `当前工作区的套餐或管理员设置不允许创建${label}：请升级套餐或开启该功能，或在模板中关闭${label}。`
            : problem.kind === 'quota'
              ? `工作区已超出配额：请清理空间或提高配额。`
              : `如果持续失败，请管理员查看机器人的日志。`
    }周报已照常发布在群里；下次发布时会再试一次。`,
  metricPart: (label: string, value: string, change: string | undefined, missedTarget: string | undefined) =>
    `${label} ${value}${change ? `（较上周 ${change}）` : ''}${missedTarget ? ` ⚠️ 未达标（目标 ${missedTarget}）` : ''}`,
  metricChange: (signed: string, unit: MetricUnit) => (unit === '%' ? `${signed} 个百分点` : signed),
  metricNotFound: (label: string) => `${label} 未填写`,
  metricsLine: (parts: string[]) => `📈 ${parts.join('；')}`,
  incidentsLine: (count: number, average: number, weeks: number) => `🚨 本周生产事件 ${count} 起，前 ${weeks} 周平均 ${average} 起`,
  noMetrics: '这个周报没有声明指标（在模板的部分下加 metrics:），所以没有趋势图。',
  unknownMetric: (word: string, ids: string[]) => `没有指标 “${word}”。可选：${ids.join('、')}；也可以写周数，例如 trend 12。`,
  trendOneMetric: (first: string, second: string, corrected: string) =>
    `一次只画一个指标（收到了 “${first}” 和 “${second}”）。例如：/weekly-report ${corrected}`,
  trendOneCount: (first: string, second: string, corrected: string) => `周数只写一个（收到了 ${first} 和 ${second}）。例如：/weekly-report ${corrected}`,
  incidentsNone: (from: string, to: string) => `${from} – ${to} 没有记录生产事件。`,
  incidentsHeader: (from: string, to: string, count: number) => `🚨 ${from} – ${to} 生产事件 ${count} 起`,
  incidentsWeek: (week: string, lines: string[]) => `*${week}*（${lines.length} 起）\n${lines.map((l) => `• ${l}`).join('\n')}`,
  rangeTooLong: (from: string, to: string, weeks: number, corrected: string) =>
    `${from} 到 ${to} 共 ${weeks} 周，一次最多看 52 周。例如：/weekly-report ${corrected}`,
  chooseSection: (ids: string[]) => `请指定部分，例如 history o1 8。可选：${ids.join('、')}`,
  unknownSection: (word: string, ids: string[]) => `没有部分 “${word}”。可选：${ids.join('、')}`,
  historyNone: (title: string) => `${title} 在这些周里没有记录。`,
  historyWeek: (week: string, markdown: string) => `*${week}*\n\n${markdown}`,
  participationNone: '这些周里没有记录。',
  participationHeader: (weeks: string[]) => `${weeks[0]} – ${weeks.at(-1)}（${weeks.length} 周）✅按时 ⏰迟交 ⏭跳过 🌴休假 ❌未交`,
  participationChartTitle: (name: string, from: string, to: string) => `${name} 参与情况 ${from} – ${to}`,
  participationChartSent: '🖼 参与情况热力图已私信发给你（只有你能看到）。',
  onTimeLine: (onTime: number, asked: number) => `⏱ 按时提交：${onTime}/${asked}`,
  answerPart: (part: number, parts: number) => `（${part}/${parts}）`,
  answerTooLong: (shown: number, parts: number, filename: string) =>
    `……回答较长，共 ${parts} 部分，这里显示了前 ${shown} 部分；完整内容已作为文件 ${filename} 私信发给你。`,
  answerFile: (filename: string) => `📎 完整内容见文件 ${filename}`,
  trendChartTitle: (name: string, labels: string[], from: string, to: string) => `${name} ${labels.join('、')} ${from} – ${to}`,
  trendSent: (title: string, empty: string[]) => `📈 已发送趋势图：${title}${empty.length ? `（这些周里没有数据：${empty.join('、')}）` : ''}`,
  /** The first line of an exported week that is not published yet (`weekly-report export --drafts`). */
  draftBanner: (week: string) => `> ⚠️ 草稿：${week} 周报尚未发布，内容可能还会变化。`,
};

const en: typeof zh = {
  prompt: (f) =>
    [
      f.due.kind === 'by'
        ? `📝 ${f.reportName} ${f.week}: please write ${f.sectionTitle} by ${f.due.at}.`
        : `📝 ${f.reportName} ${f.week}: please write ${f.sectionTitle}. ${enDueNote(f.due)}`,
      f.hint ? `Hint: ${f.hint}` : null,
      f.lastWeek ? `Last week's text, to copy and edit:\n\n${f.lastWeek}` : 'Nothing last week: just write this week’s.',
      'To answer: reply in this message’s thread, or edit the text in the form and submit it.',
    ]
      .filter(Boolean)
      .join('\n\n'),
  formButton: 'Write',
  reminder: (reportName, week, sectionTitle, due) =>
    `⏰ Reminder: ${sectionTitle} for ${reportName} ${week} is still missing${due.kind === 'by' ? `; due ${due.at}.` : `. ${enDueNote(due)}`} Reply in the thread of the prompt.`,
  confirmed: (sectionTitle, revision, preview) =>
    `✅ Got ${sectionTitle} (revision ${revision}). The whole section will read:\n\n${preview}\n\nMore messages are added to this section; editing or deleting a message updates it. To start over, replace it all in the form, or send just “start over”.`,
  skipped: (sectionTitle, preview) =>
    `✅ Noted: nothing for ${sectionTitle} this week, and no more reminders. The report will read:\n\n${preview}\n\nIf something comes up, just send it.`,
  cleared: (sectionTitle) => `🧹 ${sectionTitle} is now empty: everything you sent before was removed (the revisions are kept). Send this week's text again.`,
  metricsNotRead: (problems) =>
    `📈 ${problems.length} metric(s) could not be read: the answer is saved, but the digest and trend charts will miss them.\n${problems.map((p) => `• ${p}`).join('\n')}\nSend another message with these lines: it is added to this section, and what you sent stays.`,
  lateAnswer: (week, updated) =>
    updated
      ? `The ${week} report was already posted: it has been updated with your change, and the leads were told.`
      : `The ${week} report was already posted: your change is saved and the leads were told.`,
  startedOverAfterPublishing: (week, updates) =>
    `The ${week} report was already posted: it stays as it is for now, and the leads are not told; when you send the new text, ${updates ? 'the posted report is updated with it and the leads are told' : 'it is saved and the leads are told (the posted report stays as it was)'}.`,
  stillStartedOver: (week) => `The ${week} report was already posted: until you send the new text, it stays as it is and the leads are not told.`,
  leadLateAnswer: (person, sectionTitle, week, updated) =>
    `✏️ ${person} changed ${sectionTitle} of ${week} after it was published. ${updated ? 'The posted report was updated.' : 'The posted report was left as it was.'}`,
  updatedAfterPublishing: (sections) => ` (updated after publishing: ${sections.join(', ')})`,
  delayed: (receivedAt) =>
    `🕓 This message arrived at ${receivedAt}, while the store was unavailable; it is saved now, which is why this confirmation is late.`,
  rejected: (sectionTitle, problem) => `⚠️ ${sectionTitle} was not saved: ${problem}`,
  namesOtherSection: (named, owners, target) =>
    `⚠️ This message was not saved: its first line names ${named}, which ${owners} owns, not you. This thread is for ${target}; if the text belongs there, send it again without that first line.`,
  notAnOwner: 'Hi! You don’t own a section of any weekly report, so this message was not recorded. Ask the report’s lead to add you.',
  notYourSection: 'You don’t own this section, so the form was not opened. Ask the report’s lead if this looks wrong.',
  handedOver: (section, delegate, week, sectionId) =>
    `⚠️ Not saved: ${section} of ${week} is handed to ${delegate}, and that week only ${delegate} can change it. Send your text to ${delegate}; if the handover is a mistake, a lead can cancel it (/weekly-report delegate cancel ${sectionId} ${week}), and then you can send it again.`,
  handedOverDeleted: (section, delegate, week, sectionId) =>
    `⚠️ The message you deleted is still in ${section} of ${week}: the section is handed to ${delegate}, and that week only ${delegate} can change it. To remove it, a lead can cancel the handover (/weekly-report delegate cancel ${sectionId} ${week}); then send “start over” and write the section again.`,
  handedOverNoForm: (section, delegate, week) =>
    `${section} of ${week} is handed to ${delegate}, so the form was not opened. Ask the report’s lead if this looks wrong.`,
  notWeekOwner: (section, owners, week) =>
    `⚠️ Not saved: ${section} of ${week} is written by ${owners}, not you. Send your text to ${owners}; ask the report’s lead if this looks wrong.`,
  notWeekOwnerDeleted: (section, owners, week) =>
    `⚠️ The message you deleted is still in ${section} of ${week}: the section is now written by ${owners}, not you. Ask the report’s lead to remove it.`,
  formTextKept: (text) => `What you wrote in the form (not saved, to copy):\n\n${text}`,
  starting: 'The weekly-report bot is starting; try again in a moment.',
  notOpen: (reportName, why) =>
    why.kind === 'opens'
      ? `${reportName} is not collecting for this week yet; it opens ${why.at}, when you’ll get a prompt. This message was not recorded.`
      : why.kind === 'due'
        ? `${reportName} is not collecting for this week yet (it should have opened ${why.at} and opens shortly); you’ll get a prompt then. This message was not recorded.`
        : `${reportName} is not collecting this week (${why.holiday ? `a holiday: ${why.holiday}` : 'it was not opened before its publish time'}). ${why.next ? `It next opens ${why.next.at} (${why.next.week}), when you’ll get a prompt. ` : ''}This message was not recorded; to add something for this week, ask a lead.`,
  whichSection: (options) =>
    `You own several sections: ${options.map((o) => `${o.title} (${o.id})`).join(', ')}. This message was not recorded.\nReply in the thread of the section’s prompt, or put only the section id on the first line (e.g. “${options[0]?.id ?? 'o1'}”) and the text below it.`,
  help: [
    '*/weekly-report* usage:',
    '• `status` — who has and hasn’t submitted this week',
    '• `preview` — this week’s draft (only you see it)',
    '• `remind` — nudge owners who haven’t answered (leads only)',
    '• `open` — open this week now (leads only; past the publish time or in a holiday week it asks first: `open late` this week, `open next` the next week, `open confirm` a holiday week anyway)',
    '• `away owner-o1 2024-06-03 2024-06-09` — mark someone away: not prompted or reminded (leads only)',
    '• `away list` — who is away from today on; `away cancel owner-o1 [2024-06-03]` — cancel an absence (leads only)',
    '• `delegate o1 owner-o2 [2024-W23]` — hand a section to someone else for a week; its owners can no longer change it that week (leads only)',
    '• `delegate list [2024-W23]` — a week’s handovers; `delegate cancel o1 [2024-W23]` — cancel one (leads only)',
    '• `publish` — compile and post to the channel (leads only; asks first when sections are missing; again = update)',
    '• `week 2024-W22` — a past week’s report',
    '• `history o1 8` — one section over the last weeks',
    '• `trend [metric] [weeks]` — a metric’s trend chart (last 12 weeks by default)',
    '• `incidents [from week] [to week]` — incidents across weeks (the last quarter by default)',
    '• `participation [weeks]` — on time, late, skipped, away, missing per person and section, with a heatmap (non-leads see their own row)',
    '• `archive [2024-W23]` — a signed link to the web archive (leads: the whole report; others: one week)',
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
  archiveOff:
    'The web archive is off. An admin turns it on by setting ARCHIVE_SECRET (a random string of at least 32 characters) and PUBLIC_URL and restarting the bot: see docs/archive.md.',
  archiveLinks: (links) =>
    [
      links.team ? `🗂 Report archive (every week, trends, participation, incidents, goal reviews, search): ${links.team}` : null,
      links.week ? `📄 ${links.week.week} report: ${links.week.url}` : null,
      `The link works until ${links.expires}; do not share it outside the team.`,
    ]
      .filter(Boolean)
      .join('\n'),
  archiveEmpty: 'There is no report yet: the archive is empty for now.',
  digestArchiveLink: (url) => `🔗 On the web: ${url}`,
  notOpenYet: (week, opensAt) => `${week} is not collecting yet; it opens by itself ${opensAt}. A lead can open it now: /weekly-report open`,
  openDue: (week, dueAt, deadline) =>
    `${week} should have opened ${dueAt} and has not yet: the schedule opens it on its next run, due ${deadline}. A lead can open it now: /weekly-report open`,
  openSkipped: (week, publishAt, next) =>
    `${week} was not opened: it had not opened by its publish time ${publishAt}, so the schedule skipped it rather than prompt anyone with a deadline already past. ` +
    `${next ? `Next scheduled opening: ${next.at} (${next.week}). ` : 'No opening is scheduled after it. '}A lead can open this week late (no set deadline; the lead publishes): /weekly-report open late` +
    `${next?.following ? `; or open ${next.week} now: /weekly-report open next` : ''}`,
  confirmOpenLate: (week, publishAt, holiday, next) =>
    [
      `${week} was never opened, and its publish time ${publishAt} has passed${holiday ? `; it is also a holiday week (${holiday})` : ''}. What now?`,
      `• Open ${week} late: prompt every owner now, with no set deadline; you publish once the answers are in (/weekly-report open late)`,
      next?.following ? `• Open ${next.week} now: prompt every owner, due ${next.deadline} (/weekly-report open next)` : null,
      `${next ? `If you do neither, ${next.week} opens by itself ${next.at}. ` : ''}Press a button, or type the command.`,
    ]
      .filter(Boolean)
      .join('\n'),
  confirmOpenHoliday: (week, holiday, deadline) =>
    `${week} is a holiday (${holiday}): the team definition has no report this week. Open it anyway? Every owner is prompted now, reminded as usual, and the report is published ${deadline}. Press the button, or type /weekly-report open confirm`,
  openPublished: (week, publishedAt, updates, next) =>
    `The ${week} report was published ${publishedAt}. Answers that come now are late answers: ${updates ? 'they update the posted report, and the leads are told' : 'they are saved and the leads are told; the posted report stays as it is'}. ` +
    `${next ? `${next.week} opens by itself ${next.at}` : 'No opening is scheduled after it'}${next?.following ? '; to open it now, press the button or type /weekly-report open next' : ''}.`,
  openNextTooEarly: (week, deadline) =>
    `The next week cannot be opened yet: ${week} collects until ${deadline}, and until then only this week can be opened (/weekly-report open).`,
  openNextHoliday: (week, holiday, next) =>
    `${week} is a holiday (${holiday}) with no report, so it cannot be opened early.${next ? ` Next scheduled opening: ${next.at} (${next.week}).` : ''}`,
  openLateButton: (week) => `Open ${week} late`,
  openNextButton: (week) => `Open ${week} now`,
  openAnywayButton: (week) => `Open ${week} anyway`,
  holiday: (week, name) => `${week} is a holiday (${name}): no report this week, so no prompts, reminders or publication.`,
  opened: (week, alreadyOpen, r, late = false) =>
    `${alreadyOpen ? `${week} was already open` : `Opened ${week}`}: ${r.sent} prompt(s) sent, ${r.skipped} already prompted or answered${r.away ? `, ${r.away} away and not asked` : ''}${r.failed ? `, ${r.failed} failed (retried later)` : ''}${r.unreachable ? `, ${r.unreachable} with no account on any platform` : ''}.` +
    (late ? ' Its publish time has passed, so there is no set deadline: publish once the answers are in (/weekly-report publish).' : ''),
  awaySet: (name, from, to) => `Noted: ${name} is away from ${from} to ${to}: not prompted or reminded, and listed as away in status and the digest.`,
  delegated: (section, person, week) => `Noted: ${section} of ${week} is handed to ${person}, who gets its prompt and reminders.`,
  delegateUsage: (sections, people) =>
    `Usage: /weekly-report delegate <section> <person> [week], e.g. delegate o1 owner-o2 2024-W23. Sections: ${sections}; people: ${people}`,
  awayUsage: (people) => `Usage: /weekly-report away <person> <from> <to>, e.g. away owner-o1 2024-06-03 2024-06-09. People: ${people}`,
  awayReversed: (start, end, corrected) => `The end date ${end} is before the start date ${start}. Did you mean: /weekly-report ${corrected}`,
  notADate: (word) => `“${word}” is not a date: write 2024-06-03 or 6/3.`,
  noSuchPerson: (word) => `No one called “${word}” in this report.`,
  noSuchSection: (word) => `No section “${word}”.`,
  weekProblem: (word, problem, corrected) =>
    problem.problem === 'no-such-week'
      ? `${problem.year} has no week ${problem.weekNumber}: ISO years have 52 or 53 weeks, and ${problem.year} has ${problem.weeksInYear} (${problem.year}-W01 to ${problem.year}-W${problem.weeksInYear}). For example: /weekly-report ${corrected}`
      : problem.suggestion
        ? `“${word}” is not how an ISO week is written: ${problem.suggestion}. Type: /weekly-report ${corrected}`
        : `“${word}” is not an ISO week: write it like 2024-W22 (year-W-week). For example: /weekly-report ${corrected}`,
  weekMissing: (corrected) => `Which week? For example: /weekly-report ${corrected} (this week’s draft: /weekly-report preview)`,
  weekCountOutOfRange: (word, corrected) => `${word} weeks is not a valid count (1–52). For example: /weekly-report ${corrected}`,
  notAWeekCount: (word, corrected) => `“${word}” is not a number of weeks (1–52). For example: /weekly-report ${corrected}`,
  extraWords: (sub, extra, corrected) => `${sub} takes no “${extra}”. Type: /weekly-report ${corrected}`,
  publishArgument: (word, plain, confirmed) =>
    `publish takes only “confirm”, not “${word}”. To publish: /weekly-report ${plain}; to publish with sections missing: /weekly-report ${confirmed}`,
  openArgument: (word, plain, late, next) =>
    `open takes only “late” (open this week late) or “next” (open next week now), not “${word}”. Open this week: /weekly-report ${plain}; late: /weekly-report ${late}; next week now: /weekly-report ${next}`,
  awayList: (lines) =>
    lines.length === 0
      ? 'Nobody is away from today on.'
      : [
          'Away from today on:',
          ...lines.map((l) => `• ${l.name} (${l.key}) ${l.from} to ${l.to} (set by ${l.setBy})`),
          'To cancel: /weekly-report away cancel <person> [from]',
        ].join('\n'),
  awayListUsage: 'Usage: /weekly-report away list, for who is away from today on.',
  awayCancelUsage: (people) =>
    `Usage: /weekly-report away cancel <person> [from], e.g. away cancel owner-o1 2024-06-03; without a first day, it cancels the person’s one absence from today on. People: ${people}`,
  awayCancelled: (name, ranges) => `Cancelled: ${name}’s absence ${ranges.map((r) => `${r.from} to ${r.to}`).join(', ')}.`,
  awayNothingToCancel: (name, from) =>
    from ? `${name} has no absence starting ${from}: nothing to cancel.` : `${name} has no absence from today on: nothing to cancel.`,
  awayWhich: (name, key, ranges) =>
    `${name} has ${ranges.length} absences: ${ranges.map((r) => `${r.from} to ${r.to}`).join(', ')}. Add the first day, e.g. away cancel ${key} ${ranges[0]?.from ?? ''}.`,
  delegateList: (week, lines) =>
    lines.length === 0
      ? `No section of ${week} is handed over.`
      : [
          `Handed over in ${week}:`,
          ...lines.map((l) => `• ${l.title} (${l.id}): ${l.usual.join(', ')} → ${l.person} (set by ${l.setBy})`),
          'To cancel: /weekly-report delegate cancel <section> [week]',
        ].join('\n'),
  delegateListUsage: 'Usage: /weekly-report delegate list [week], e.g. delegate list 2024-W23; this week without one.',
  delegateCancelUsage: (sections) =>
    `Usage: /weekly-report delegate cancel <section> [week], e.g. delegate cancel o1 2024-W23; this week without one. Sections: ${sections}`,
  delegateCancelled: (section, person, usual, week) =>
    `Cancelled: ${section} of ${week} is no longer handed to ${person}; ${usual.join(', ')} write it again. What was received stays in the section.`,
  delegateNothingToCancel: (section, week) => `${section} of ${week} is not handed over: nothing to cancel.`,
  confirmPublish: (week, missing) =>
    `${week} still has ${missing.length} section(s) missing: ${missing.join(', ')}.\nPublish now anyway? Missing sections print as empty. Press the button, or type /weekly-report publish confirm`,
  publishAnyway: 'Publish anyway',
  working: 'Working on it…',
  reminded: (r) =>
    r.nudges > 0
      ? `Reminded ${r.people} owner(s) who haven’t answered, with ${r.nudges} nudge(s).`
      : 'Nobody to remind: everyone who hasn’t answered was already reminded (once per section), or everyone has answered.',
  published: (week, updated) => (updated ? `${week} report updated.` : `${week} report published.`),
  digestHeader: (name, week, d) =>
    `📋 ${name} ${week}: ${d.submitted}/${d.total} sections submitted${d.skipped ? ` (${d.skipped} skipped)` : ''}${d.missing.length ? `; missing: ${d.missing.join(', ')}` : ''}${d.away.length ? `; away: ${d.away.join(', ')}` : ''}. Full report in the thread and the attached file.`,
  failed: (what) => `Something went wrong: ${what}. Try again later or ask the admin.`,
  reportDocumentLink: (label, url) => `📄 ${label}: ${url}`,
  reportDocumentFailed: (label, week, detail, problem) =>
    `⚠️ The ${week} report could not be put in a ${label} (${detail}). ${
      problem.kind === 'permission'
        ? `The app lacks the ${problem.needs} permission: ask an admin to add it to the app (and reinstall the app).`
        : problem.kind === 'no-access'
          ? `The app may not write to ${problem.place}: add the app as a collaborator there (for a Slack channel, invite the app).`
          : problem.kind === 'unavailable'
            ? `This workspace's plan or an admin setting does not allow a ${label}: upgrade the plan or turn the feature on, or turn the ${label} off in the team's template.`
            : problem.kind === 'quota'
              ? `The workspace is over its quota: free some space or raise the quota.`
              : `If it keeps failing, ask the admin to look at the bot's log.`
    } The report was posted in the channel as usual; the next publication tries again.`,
  metricPart: (label, value, change, missedTarget) =>
    `${label} ${value}${change ? ` (${change} on last week)` : ''}${missedTarget ? ` ⚠️ target missed (${missedTarget})` : ''}`,
  metricChange: (signed, unit) => (unit === '%' ? `${signed} pp` : signed),
  metricNotFound: (label) => `${label} not given`,
  metricsLine: (parts) => `📈 ${parts.join('; ')}`,
  incidentsLine: (count, average, weeks) => `🚨 ${count} incident(s) this week; the ${weeks} week(s) before averaged ${average}`,
  noMetrics: 'This report declares no metrics (add metrics: under a section of the template), so there is no trend chart.',
  unknownMetric: (word, ids) => `No metric “${word}”. Choose one of: ${ids.join(', ')}; or give a number of weeks, e.g. trend 12.`,
  trendOneMetric: (first, second, corrected) => `One metric at a time (got “${first}” and “${second}”). For example: /weekly-report ${corrected}`,
  trendOneCount: (first, second, corrected) => `One number of weeks at a time (got ${first} and ${second}). For example: /weekly-report ${corrected}`,
  incidentsNone: (from, to) => `No incidents recorded from ${from} to ${to}.`,
  incidentsHeader: (from, to, count) => `🚨 ${count} incident(s) from ${from} to ${to}`,
  incidentsWeek: (week, lines) => `*${week}* (${lines.length})\n${lines.map((l) => `• ${l}`).join('\n')}`,
  rangeTooLong: (from, to, weeks, corrected) => `${from} to ${to} is ${weeks} weeks; at most 52 at a time. For example: /weekly-report ${corrected}`,
  chooseSection: (ids) => `Name a section, e.g. history o1 8. Sections: ${ids.join(', ')}`,
  unknownSection: (word, ids) => `No section “${word}”. Sections: ${ids.join(', ')}`,
  historyNone: (title) => `Nothing recorded for ${title} in these weeks.`,
  historyWeek: (week, markdown) => `*${week}*\n\n${markdown}`,
  participationNone: 'Nothing recorded in these weeks.',
  participationHeader: (weeks) => `${weeks[0]} – ${weeks.at(-1)} (${weeks.length} weeks) ✅ on time ⏰ late ⏭ skipped 🌴 away ❌ missing`,
  participationChartTitle: (name, from, to) => `${name}: participation ${from} – ${to}`,
  participationChartSent: '🖼 The participation heatmap is in your direct messages (only you can see it).',
  onTimeLine: (onTime, asked) => `⏱ On time this week: ${onTime} of ${asked}`,
  answerPart: (part, parts) => `(${part}/${parts})`,
  answerTooLong: (shown, parts, filename) =>
    `…a long answer: ${parts} parts, of which the first ${shown} are shown here; the whole answer is in the file ${filename}, sent to you in a direct message.`,
  answerFile: (filename) => `📎 The whole answer: ${filename}`,
  trendChartTitle: (name, labels, from, to) => `${name}: ${labels.join(', ')} ${from} – ${to}`,
  trendSent: (title, empty) => `📈 Trend chart sent: ${title}${empty.length ? ` (no data in these weeks: ${empty.join(', ')})` : ''}`,
  draftBanner: (week) => `> ⚠️ Draft: the ${week} report is not published yet and may still change.`,
};

export type Messages = typeof zh;

export function messagesFor(locale: Locale): Messages {
  return locale === 'en' ? en : zh;
}

/** A moment of the team's week as people read it: "6月7日 周五 17:00" / "Fri 7 Jun 17:00". */
export function formatMoment(definition: TeamDefinition, week: string, moment: WeeklyMoment): string {
  return formatInstant(definition, momentInWeek(week, moment, definition.timeZone));
}

/** An instant as people of the team read it, like formatMoment: "6月7日 周五 17:05" / "Fri 7 Jun 17:05". */
export function formatInstant(definition: TeamDefinition, at: Date): string {
  const format = definition.locale === 'en' ? 'ccc d LLL HH:mm' : 'M月d日 ccc HH:mm';
  return formatInZone(at, definition.timeZone, format, definition.locale);
}

function zhDueNote(due: Exclude<Due, { kind: 'by' }>): string {
  if (due.kind === 'opened-late') return '本周在发布时间之后才开始，没有定时截止：负责人收齐后发布。';
  if (due.kind === 'overdue') return '计划的截止时间已过，请尽快填写。';
  return `本周周报已经发布，你的回答${due.updates ? '会更新已发布的周报' : '会保存并通知负责人'}。`;
}

function enDueNote(due: Exclude<Due, { kind: 'by' }>): string {
  if (due.kind === 'opened-late') return 'This week opened after its publish time, so there is no set deadline: the lead publishes once the answers are in.';
  if (due.kind === 'overdue') return 'The deadline has passed: please answer as soon as you can.';
  return `This week’s report is already out: your answer ${due.updates ? 'updates the posted report' : 'is saved and the leads are told'}.`;
}
