import { DateTime } from 'luxon';
import type { Team } from '../report/definition.ts';
import { parseReply } from '../report/parse/index.ts';
import { emptyContent } from '../report/model.ts';
import { goalsOf, type GoalMark } from '../report/goals.ts';
import { goalWordsFor } from '../report/goals-markdown.ts';
import { momentInWeek, shiftWeek, weekStart } from '../report/week.ts';
import type { Store, SubmissionInput } from '../store/store.ts';
import { readRepliesDir, type ReplyFile } from './replies-dir.ts';
import { REFERENCE_REPLIES_DIR, unchangedBySeed, type UnchangedWeek } from './seed-week.ts';

/** The most earlier weeks `--weeks` fills: a year. */
export const MAX_SEEDED_WEEKS = 52;

/** `--weeks N`: how many earlier weeks to fill, 1..MAX_SEEDED_WEEKS. */
export function seedWeeksFlag(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_SEEDED_WEEKS)) throw new RangeError(`--weeks expects a number of weeks from 1 to ${MAX_SEEDED_WEEKS}, got "${value}"`);
  return n;
}

/**
 * A small seeded generator (mulberry32): the same seed gives the same history, so a newcomer's
 * chart and a test's numbers do not change from run to run.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INCIDENTS = [
  '银联通道超时，{n} 笔出金重试后成功',
  '对账文件延迟 {n} 分钟到达，人工补跑后完成结算',
  '清结算请求账户有 {n} 笔记账失败，原因：获取分布式锁失败',
  '拉卡拉通道异常，导致交易侧与通道侧状态不一致，{n} 笔已人工核对',
  '平安通道接口返回通讯异常，持续 {n} 分钟后恢复',
  '反洗钱数据采集任务失败，重跑后 {n} 条数据补录成功',
];

/** The 【系统运行数据】 reply in the reference's own format, with values near the reference's. */
function metricsReply(random: () => number, week: string, timeZone: string): string {
  const rate = (base: number, spread: number) => (base + (random() - 0.5) * spread).toFixed(3);
  const deposit = rate(99.984, 0.03);
  const payout = rate(99.975, 0.05);
  const availability = random() < 0.85 ? '100' : rate(99.995, 0.008);
  const ab = random() < 0.92 ? 0 : 1;
  const cd = Math.floor(random() * 3);
  const merchants = Math.floor(random() * 3);
  const amount = merchants === 0 ? 0 : Number((100 + random() * 400).toFixed(1));
  const settled = Number((amount * random() * 0.5).toFixed(1));
  const asOf = weekStart(week, timeZone).plus({ days: 4 }).toFormat('M/d');
  return [
    '支付成功率：',
    '',
    `- 入金有效成功率：${deposit}%`,
    `- 出金有效成功率：${payout}%`,
    '',
    '系统可用性：',
    '',
    `- 年度可用性：${availability}%`,
    `- 事故数AB级${ab}次，CD级${cd}次。`,
    '',
    `截至${asOf}，待追款${merchants}个商户，金额 ${amount} 。 其中 账户已沉淀金额：${settled} 待追回：${Number((amount - settled).toFixed(1))}`,
  ].join('\n');
}

/** Zero to three timestamped incidents on the week's working days. */
function incidentsReply(random: () => number, week: string, timeZone: string): string {
  const count = Math.floor(random() * 4);
  const monday = weekStart(week, timeZone);
  const lines = Array.from({ length: count }, () => {
    const at = monday.plus({ days: Math.floor(random() * 5), hours: 8 + Math.floor(random() * 12), minutes: Math.floor(random() * 60) });
    const text = INCIDENTS[Math.floor(random() * INCIDENTS.length)]!.replace('{n}', String(1 + Math.floor(random() * 30)));
    return { at, line: `${at.toFormat('MM/dd HH:mm')} ${text}` };
  }).sort((a, b) => a.at.toMillis() - b.at.toMillis());
  return lines.map((l) => l.line).join('\n\n');
}

/**
 * Fills the `weeks` weeks before `currentWeek` with plausible published reports, through the store:
 * metrics near the reference's values, a few incidents, the reference's items for the other
 * sections, owners who mostly answer on time, sometimes late, sometimes skip or forget, and the
 * review of each week's goals the week after.
 * A week that is published, or that the seed did not open itself, is left as it is (`unchanged`):
 * running it again stores nothing new. Returns the weeks it wrote, oldest first.
 */
export async function seedHistory(
  store: Store,
  team: Team,
  currentWeek: string,
  weeks: number,
  seed = 23,
): Promise<{ written: string[]; unchanged: UnchangedWeek[] }> {
  const { definition } = team;
  const random = seededRandom(seed);
  const reviewRandom = seededRandom(seed + 1);
  const { replies } = await readRepliesDir(REFERENCE_REPLIES_DIR, definition);
  const written: string[] = [];
  const unchanged: UnchangedWeek[] = [];
  for (let back = weeks; back >= 1; back -= 1) {
    const week = shiftWeek(currentWeek, -back);
    const opened = momentInWeek(week, definition.schedule.open, definition.timeZone);
    const published = momentInWeek(week, definition.schedule.publish, definition.timeZone);
    // A week's draws are made whether it is written or not, so that the weeks after it are the same.
    const submissions = drawWeek(random, team, week, replies);
    const leave = unchangedBySeed(await store.openCycle(definition.id, week, opened, { seeded: true }));
    if (leave) {
      unchanged.push(leave);
      continue;
    }
    for (const submission of submissions) await store.recordSubmission(submission);
    await seedGoalReviews(store, team, week, opened, reviewRandom);
    await store.markPublished(definition.id, week, [], published);
    written.push(week);
  }
  return { written, unchanged };
}

/** One week's answers, drawn from `random`: who forgot, skipped or answered late, and what. */
function drawWeek(random: () => number, team: Team, week: string, replies: readonly ReplyFile[]): SubmissionInput[] {
  const { definition } = team;
  const opened = momentInWeek(week, definition.schedule.open, definition.timeZone);
  const published = momentInWeek(week, definition.schedule.publish, definition.timeZone);
  const drawn: SubmissionInput[] = [];
  for (const section of definition.sections) {
    for (const owner of section.owners) {
      const roll = random();
      if (roll < 0.08) continue; // forgot
      const skipped = roll < 0.13 && section.kind !== 'text';
      const late = !skipped && roll > 0.9;
      const text = skipped
        ? ''
        : section.metrics?.length
          ? metricsReply(random, week, definition.timeZone)
          : section.kind === 'entries'
            ? incidentsReply(random, week, definition.timeZone)
            : replies.find((r) => r.sectionId === section.id && r.owner === owner)?.text;
      if (text === undefined) continue;
      const parsed =
        skipped || text === ''
          ? { ok: true as const, content: emptyContent(section.kind) }
          : parseReply({ source: 'text', text }, section, { locale: definition.locale });
      if (!parsed.ok) continue;
      const receivedAt = late
        ? DateTime.fromJSDate(published)
            .plus({ hours: 1 + Math.floor(random() * 20) })
            .toJSDate()
        : DateTime.fromJSDate(opened)
            .plus({ hours: 1 + Math.floor(random() * 40) })
            .toJSDate();
      drawn.push({
        teamId: definition.id,
        week,
        sectionId: section.id,
        owner,
        platform: 'console',
        eventId: `seed-history:${definition.id}:${week}:${section.id}:${owner}`,
        rawText: text,
        content: parsed.content,
        receivedAt,
        ...(skipped || text === '' ? { skipped: true } : {}),
      });
    }
  }
  return drawn;
}

const GOAL_NOTES = { 'in-progress': ['等待评审', '下周继续', '依赖外部团队'], dropped: ['优先级调整', '并入下季度计划'] } as const;

/**
 * The review of last week's goals, as the reviewing section's owner would mark them: mostly done,
 * some in progress, now and then dropped, a few with a note. Weeks whose previous week set no
 * goals get none. (A generator of its own, so the metrics and incidents stay as they were.)
 */
async function seedGoalReviews(store: Store, team: Team, week: string, opened: Date, random: () => number): Promise<void> {
  const { definition } = team;
  const previous = shiftWeek(week, -1);
  for (const goalsSection of definition.sections.filter((s) => s.goals)) {
    const reviewer = definition.sections.find((s) => s.id === goalsSection.goals!.reviewIn)?.owners[0];
    const goals = goalsOf(goalsSection, await store.latestSubmissions(definition.id, previous));
    if (!reviewer || goals.length === 0 || random() < 0.15) continue;
    const marks: GoalMark[] = goals.map((goal) => {
      const roll = random();
      const status = roll < 0.6 ? 'done' : roll < 0.9 ? 'in-progress' : 'dropped';
      const notes = status === 'done' ? [] : GOAL_NOTES[status];
      return { goal: goal.number, status, ...(notes.length > 0 && random() < 0.5 ? { note: notes[Math.floor(random() * notes.length)]! } : {}) };
    });
    await store.recordGoalReview({
      teamId: definition.id,
      week,
      sectionId: goalsSection.id,
      goalsWeek: previous,
      owner: reviewer,
      platform: 'console',
      eventId: `seed-history:${definition.id}:${week}:goals:${goalsSection.id}`,
      marks,
      rawText: marks.map((m) => `目标 ${m.goal} ${goalWordsFor('zh-CN').status[m.status]}${m.note ? ` ${m.note}` : ''}`).join('\n'),
      receivedAt: DateTime.fromJSDate(opened).plus({ hours: 2 }).toJSDate(),
    });
  }
}
