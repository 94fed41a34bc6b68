import { describe, expect, it } from 'vitest';
import { publishWeek } from '../../handlers/publish.ts';
import { MemoryStore } from '../../src/store/index.ts';
import { consoleBot, FakeClock } from '../support/bot.ts';
import { documentLines, EXPECTED_MD } from '../support/golden.ts';
import { storeReferenceWeek, storeWeek, W22_CREATED, W22_REPLIES } from '../support/stored-weeks.ts';

const PUBLISH_TIME = new Date('2024-06-07T17:00:00+08:00');

async function publishedReference(withHistory: boolean) {
  const store = new MemoryStore();
  const bot = await consoleBot(store, new FakeClock(PUBLISH_TIME));
  if (withHistory) {
    await storeWeek(store, bot.team, '2024-W20', new Date('2024-05-14T15:30:00+08:00'), [{ sectionId: 'incidents', text: '05/15 10:00 一条事件' }]);
    await storeWeek(store, bot.team, '2024-W21', new Date('2024-05-21T15:30:00+08:00'), [{ sectionId: 'o1', text: '1. 没有事件的一周' }]);
    await storeWeek(store, bot.team, '2024-W22', W22_CREATED, W22_REPLIES);
  }
  await storeReferenceWeek(store, bot.team);
  expect(await publishWeek(bot.ctx, bot.team, '2024-W23', bot.holder)).toEqual({ status: 'published', updated: false });
  const [header, ...others] = bot.platform.messages;
  return { header: header!, others };
}

describe('the digest header across weeks', () => {
  it('shows each metric with its change against last week and flags a missed target', async () => {
    const { header } = await publishedReference(true);
    const [first, metrics] = header.text.split('\n');
    expect(first).toMatch(/^📋 支付中心周报 2024-W23：已提交/);
    expect(metrics).toContain('入金有效成功率 99.987%（较上周 -0.003）');
    expect(metrics).toContain('出金有效成功率 99.98%（较上周 +0.04）');
    expect(metrics).toContain('CD级 1（较上周 -1）');
    expect(metrics).toContain('年度可用性 100%（较上周 ±0）');
    expect(metrics).not.toContain('未达标');
  });

  it('counts this week’s incidents against the average of the stored weeks before it', async () => {
    const { header } = await publishedReference(true);
    // W20: 1, W21: 0, W22: 2 (W19 was never opened) → 1.
    expect(header.text).toContain('🚨 本周生产事件 11 起，前 3 周平均 1 起');
  });

  it('flags a metric below its target', async () => {
    const store = new MemoryStore();
    const bot = await consoleBot(store, new FakeClock(PUBLISH_TIME));
    await storeWeek(store, bot.team, '2024-W23', new Date('2024-06-04T15:34:00+08:00'), [
      { sectionId: 'metrics', text: '入金有效成功率：99.90%\n出金有效成功率：99.97%\n年度可用性：99.999%\nAB级1次，CD级0次\n待追款0个商户，金额 0，已沉淀金额：0 待追回：0' },
    ]);
    await publishWeek(bot.ctx, bot.team, '2024-W23', bot.holder);
    const header = bot.platform.messages[0]!.text;
    expect(header).toContain('入金有效成功率 99.9% ⚠️ 未达标（目标 ≥ 99.95%）');
    expect(header).toContain('AB级 1 ⚠️ 未达标（目标 ≤ 0）');
    expect(header).not.toContain('出金有效成功率 99.97% ⚠️');
    expect(header).not.toContain('较上周');
  });

  it('leaves the document as it was: the attached file is the reference document', async () => {
    const { others } = await publishedReference(true);
    const file = others.find((m) => m.file)!;
    expect(documentLines(file.file!.content)).toEqual(documentLines(EXPECTED_MD));
  });

  it('says nothing about metrics or incidents when there is nothing to compare or read', async () => {
    const store = new MemoryStore();
    const bot = await consoleBot(store, new FakeClock(PUBLISH_TIME));
    await storeWeek(store, bot.team, '2024-W23', new Date('2024-06-04T15:34:00+08:00'), [{ sectionId: 'o1', text: '1. 只有 O1' }]);
    await publishWeek(bot.ctx, bot.team, '2024-W23', bot.holder);
    expect(bot.platform.messages[0]!.text).not.toContain('\n');
  });
});
