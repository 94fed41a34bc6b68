import { readRepliesDir } from '../../src/seed/replies-dir.ts';
import type { Team } from '../../src/report/definition.ts';
import { parseReply } from '../../src/report/parse/index.ts';
import { emptyContent } from '../../src/report/model.ts';
import type { Store } from '../../src/store/store.ts';
import { REFERENCE_CREATED, SEEDS_DIR } from './golden.ts';

/**
 * Stores a week straight through the Store (no chat): its cycle, and one parsed submission per
 * (section, owner) reply. Replies that do not parse fail the test that stores them.
 */
export async function storeWeek(
  store: Store,
  team: Team,
  week: string,
  createdAt: Date,
  replies: readonly { sectionId: string; owner?: string; text: string; receivedAt?: Date; skipped?: boolean }[],
  publishedAt?: Date,
): Promise<void> {
  const { definition } = team;
  await store.openCycle(definition.id, week, createdAt);
  for (const [i, reply] of replies.entries()) {
    const section = definition.sections.find((s) => s.id === reply.sectionId)!;
    const owner = reply.owner ?? section.owners[0]!;
    // A skip stores the section's empty content, as the reply handler does.
    const parsed = reply.skipped
      ? { ok: true as const, content: emptyContent(section.kind) }
      : parseReply({ source: 'text', text: reply.text }, section, { locale: definition.locale });
    if (!parsed.ok) throw new Error(`${week} ${reply.sectionId}: ${parsed.error.message}`);
    await store.recordSubmission({
      teamId: definition.id,
      week,
      sectionId: section.id,
      owner,
      platform: 'console',
      eventId: `stored:${week}:${section.id}:${owner}`,
      rawText: reply.text,
      content: parsed.content,
      receivedAt: reply.receivedAt ?? new Date(createdAt.getTime() + (i + 1) * 60_000),
      ...(reply.skipped ? { skipped: true } : {}),
    });
  }
  if (publishedAt) await store.markPublished(definition.id, week, [], publishedAt);
}

/** The reference week 2024-W23, every reply of seeds/2024-W23, opened at its reference time. */
export async function storeReferenceWeek(store: Store, team: Team, publishedAt?: Date): Promise<void> {
  const { replies } = await readRepliesDir(SEEDS_DIR, team.definition);
  await storeWeek(store, team, '2024-W23', REFERENCE_CREATED, replies, publishedAt);
}

/** 2024-W22 of the payments team: a few sections, other metric values, two incidents. */
export const W22_REPLIES = [
  { sectionId: 'o1', text: '1. 资金安全：物保规则评审完成\n2. 对账延迟告警上线' },
  {
    sectionId: 'metrics',
    text: '支付成功率：\n\n- 入金有效成功率：99.990%\n- 出金有效成功率：99.940%\n\n系统可用性：\n\n- 年度可用性：100%\n- 事故数AB级0次，CD级2次。\n\n截至5/31，待追款2个商户，金额 410 。 其中 账户已沉淀金额：110 待追回：300',
  },
  { sectionId: 'incidents', text: '05/28 09:12 银联通道超时，3 笔出金重试后成功\n\n05/30 22:40 对账文件延迟 40 分钟，人工补跑' },
];
export const W22_CREATED = new Date('2024-05-28T15:30:00+08:00');
