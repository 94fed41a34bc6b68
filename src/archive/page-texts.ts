import type { Locale } from '../report/locale.ts';

/** Every word the archive's pages show, in the team's language. */
export interface PageTexts {
  archive: string;
  nav: { weeks: string; trends: string; participation: string; incidents: string; goals: string; search: string };
  weeksHeading: string;
  week: string;
  submitted: string;
  missedTargets: string;
  allTargetsMet: string;
  noWeeks: string;
  revisionsHeading: string;
  /** Beside a revision the posted report does not hold yet. */
  unposted: string;
  noRevisions: string;
  section: string;
  who: string;
  when: string;
  text: string;
  trendsHeading: string;
  noCharts: string;
  participationHeading: string;
  person: string;
  counts: string;
  noParticipation: string;
  incidentsHeading: string;
  noIncidents: string;
  goalsHeading: string;
  goalsOf: (week: string) => string;
  noGoals: string;
  searchHeading: string;
  searchButton: string;
  searchPlaceholder: string;
  searchNone: (query: string) => string;
  searchCount: (count: number) => string;
  weekOnly: string;
  draft: string;
  draftBanner: string;
  unauthorized: { title: string; body: string };
  expired: { title: string; body: string };
  notFound: { title: string; body: string };
  unavailable: { title: string; body: string };
}

const ZH: PageTexts = {
  archive: '周报归档',
  nav: { weeks: '各周', trends: '趋势', participation: '提交情况', incidents: '生产事件', goals: '目标回顾', search: '搜索' },
  weeksHeading: '各周周报',
  week: '周',
  submitted: '已提交',
  missedTargets: '未达标',
  allTargetsMet: '指标均达标',
  noWeeks: '还没有周报。',
  revisionsHeading: '发布后收到的修改',
  unposted: '尚未发布到周报',
  noRevisions: '发布后没有修改。',
  section: '栏目',
  who: '提交人',
  when: '时间',
  text: '内容',
  trendsHeading: '指标趋势',
  noCharts: '这个周报没有声明指标。',
  participationHeading: '提交情况（最近 12 周）',
  person: '成员',
  counts: '合计',
  noParticipation: '还没有提交记录。',
  incidentsHeading: '生产事件（最近一个季度）',
  noIncidents: '最近一个季度没有生产事件。',
  goalsHeading: '目标回顾',
  goalsOf: (week) => `${week} 的目标`,
  noGoals: '还没有目标回顾。',
  searchHeading: '搜索周报',
  searchButton: '搜索',
  searchPlaceholder: '关键词',
  searchNone: (query) => `没有周报包含“${query}”。`,
  searchCount: (count) => `${count} 周包含这个关键词：`,
  weekOnly: '这个链接只能打开这一周的周报。',
  draft: '草稿',
  draftBanner: '草稿：这一周还没有发布，下面是目前收到的内容，发布前还可能变化。',
  unauthorized: { title: '链接无效', body: '这个链接没有有效的签名。请在聊天里发送 /weekly-report archive 获取新链接。' },
  expired: { title: '链接已过期', body: '这个链接已过期。请在聊天里发送 /weekly-report archive 获取新链接。' },
  notFound: { title: '没有这个页面', body: '没有这一周的周报，或者没有这个页面。' },
  unavailable: { title: '暂时无法读取', body: '周报数据库暂时无法访问，请稍后再试。' },
};

const EN: PageTexts = {
  archive: 'Report archive',
  nav: { weeks: 'Weeks', trends: 'Trends', participation: 'Participation', incidents: 'Incidents', goals: 'Goal reviews', search: 'Search' },
  weeksHeading: 'Weekly reports',
  week: 'Week',
  submitted: 'Submitted',
  missedTargets: 'Missed targets',
  allTargetsMet: 'All targets met',
  noWeeks: 'No report yet.',
  revisionsHeading: 'Revisions received after publishing',
  unposted: 'not in the posted report yet',
  noRevisions: 'No revision after publishing.',
  section: 'Section',
  who: 'Who',
  when: 'When',
  text: 'Text',
  trendsHeading: 'Metric trends',
  noCharts: 'This report declares no metrics.',
  participationHeading: 'Participation (last 12 weeks)',
  person: 'Person',
  counts: 'Counts',
  noParticipation: 'No answers yet.',
  incidentsHeading: 'Incidents (last quarter)',
  noIncidents: 'No incidents in the last quarter.',
  goalsHeading: 'Goal reviews',
  goalsOf: (week) => `Goals of ${week}`,
  noGoals: 'No goal review yet.',
  searchHeading: 'Search the reports',
  searchButton: 'Search',
  searchPlaceholder: 'Words',
  searchNone: (query) => `No week contains “${query}”.`,
  searchCount: (count) => `${count} ${count === 1 ? 'week contains' : 'weeks contain'} it:`,
  weekOnly: 'This link opens this week’s report only.',
  draft: 'draft',
  draftBanner: 'Draft: this week is not published yet. Below is what has been received so far; it may still change.',
  unauthorized: { title: 'Invalid link', body: 'This link has no valid signature. Ask the bot for a new one: /weekly-report archive.' },
  expired: { title: 'Link expired', body: 'This link has expired. Ask the bot for a new one: /weekly-report archive.' },
  notFound: { title: 'Not found', body: 'There is no report for this week, or no such page.' },
  unavailable: { title: 'Unavailable', body: 'The reports cannot be read right now; try again in a moment.' },
};

export function pageTexts(locale: Locale): PageTexts {
  return locale === 'en' ? EN : ZH;
}
