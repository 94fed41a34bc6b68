import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { DEFAULT_TEMPLATES_DIR } from '../../../src/config/definitions.ts';
import { PLATFORM_MODULES } from '../../../src/platforms/modules.ts';
import { parseTeamDefinition, type Team } from '../../../src/report/definition.ts';
import { publishWeek } from '../../../handlers/cycle/publish.ts';
import { consoleBot, FakeClock } from '../../support/bot.ts';
import { documentLines, EXPECTED_MD } from '../../support/golden.ts';
import { storeReferenceWeek, storeWeek, W22_CREATED, W22_REPLIES } from '../../support/stored-weeks.ts';
import { storesDiscardedAfterFile } from '../../support/test-store.ts';

/** A store of the project's kind (MemoryStore in unit, MongoStore in db), discarded after the file. */
const freshStore = storesDiscardedAfterFile();

const PUBLISH_TIME = new Date('2024-06-07T17:00:00+08:00');

async function publishedReference(withHistory: boolean) {
  const store = await freshStore('digest_metrics_1');
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
    // A percentage's change is in percentage points (#20); a count's in its own unit.
    expect(metrics).toContain('入金有效成功率 99.987%（较上周 -0.003 个百分点）');
    expect(metrics).toContain('出金有效成功率 99.98%（较上周 +0.04 个百分点）');
    expect(metrics).toContain('CD级 1（较上周 -1）');
    expect(metrics).toContain('年度可用性 100%（较上周 ±0 个百分点）');
    expect(metrics).not.toContain('未达标');
  });

  it('gives a percentage’s change in percentage points in English too: pp (#20)', async () => {
    const store = await freshStore('digest_metrics_pp');
    const bot = await consoleBot(store, new FakeClock(PUBLISH_TIME));
    await storeWeek(store, bot.team, '2024-W22', W22_CREATED, W22_REPLIES);
    await storeReferenceWeek(store, bot.team);
    await publishWeek(bot.ctx, { ...bot.team, definition: { ...bot.team.definition, locale: 'en' } }, '2024-W23', bot.holder);
    const header = bot.platform.messages[0]!.text;
    expect(header).toContain('入金有效成功率 99.987% (-0.003 pp on last week)');
    expect(header).toContain('CD级 1 (-1 on last week)');
  });

  it('counts this week’s incidents against the average of the stored weeks before it', async () => {
    const { header } = await publishedReference(true);
    // W20: 1, W21: 0, W22: 2 (W19 was never opened) → 1.
    expect(header.text).toContain('🚨 本周生产事件 11 起，前 3 周平均 1 起');
  });

  it('flags a metric below its target', async () => {
    const store = await freshStore('digest_metrics_2');
    const bot = await consoleBot(store, new FakeClock(PUBLISH_TIME));
    await storeWeek(store, bot.team, '2024-W23', new Date('2024-06-04T15:34:00+08:00'), [
      {
        sectionId: 'metrics',
        text: '入金有效成功率：99.90%\n出金有效成功率：99.97%\n年度可用性：99.999%\nAB级1次，CD级0次\n待追款0个商户，金额 0，已沉淀金额：0 待追回：0',
      },
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
    const store = await freshStore('digest_metrics_3');
    const bot = await consoleBot(store, new FakeClock(PUBLISH_TIME));
    await storeWeek(store, bot.team, '2024-W23', new Date('2024-06-04T15:34:00+08:00'), [{ sectionId: 'o1', text: '1. 只有 O1' }]);
    await publishWeek(bot.ctx, bot.team, '2024-W23', bot.holder);
    expect(bot.platform.messages[0]!.text).not.toContain('\n');
  });
});

describe('the digest’s on-time line', () => {
  /** The payments team with `digest: { onTimeLine: true }` in its definition. */
  function withOnTimeLine(team: Team): Team {
    return { ...team, definition: { ...team.definition, digest: { onTimeLine: true } } };
  }

  it('says how many of the people asked answered every section on time, when the definition asks for it', async () => {
    const store = await freshStore('digest_metrics_4');
    const bot = await consoleBot(store, new FakeClock(PUBLISH_TIME));
    await storeReferenceWeek(store, bot.team);
    await publishWeek(bot.ctx, withOnTimeLine(bot.team), '2024-W23', bot.holder);
    // 10 people own sections; the lead left 【反思】 empty. Owner O2's share of 【其他】 is covered by
    // the lead's answer to it: a shared section is answered when one of its owners answered it.
    expect(bot.platform.messages[0]!.text.split('\n')).toContain('⏱ 按时提交：9/10');
  });

  it('counts an answer after the report went out as late, and leaves out someone away who answered nothing', async () => {
    const store = await freshStore('digest_metrics_5');
    const clock = new FakeClock(PUBLISH_TIME);
    const bot = await consoleBot(store, clock);
    await storeWeek(store, bot.team, '2024-W23', new Date('2024-06-04T15:34:00+08:00'), [
      { sectionId: 'o1', text: '1. 按时', receivedAt: new Date('2024-06-05T10:00:00+08:00') },
      { sectionId: 'payment-safety', text: '', skipped: true, receivedAt: new Date('2024-06-06T10:00:00+08:00') },
    ]);
    await store.recordAbsence({ teamId: 'payments-weekly', person: 'owner-o4', from: '2024-06-03', to: '2024-06-07', setBy: 'lead', at: PUBLISH_TIME });
    const team = withOnTimeLine(bot.team);
    await publishWeek(bot.ctx, team, '2024-W23', bot.holder);
    // Asked: 10 less Owner O4 (away); on time: O1, and 支付安全 who said there was nothing.
    expect(bot.platform.messages[0]!.text).toContain('⏱ 按时提交：2/9');

    // O3 answers an hour after the report went out, and it is published again.
    await storeWeek(store, bot.team, '2024-W23', new Date('2024-06-04T15:34:00+08:00'), [
      { sectionId: 'o3', text: '1. 晚了', receivedAt: new Date('2024-06-07T18:00:00+08:00') },
    ]);
    clock.set('2024-06-07T18:01:00+08:00');
    await publishWeek(bot.ctx, team, '2024-W23', bot.holder);
    expect(bot.platform.messages[0]!.text).toMatch(/^📋 支付中心周报 2024-W23：已提交 3\/12/);
    expect(bot.platform.messages[0]!.text).toContain('⏱ 按时提交：2/9');
  });

  it('counts an answer before the report went out as on time, even when it went out after its publish time', async () => {
    const store = await freshStore('digest_metrics_6');
    // The lead publishes at 18:30; O3 answered at 18:00, before that.
    const bot = await consoleBot(store, new FakeClock(new Date('2024-06-07T18:30:00+08:00')));
    await storeWeek(store, bot.team, '2024-W23', new Date('2024-06-04T15:34:00+08:00'), [
      { sectionId: 'o3', text: '1. 晚了一点', receivedAt: new Date('2024-06-07T18:00:00+08:00') },
    ]);
    await publishWeek(bot.ctx, withOnTimeLine(bot.team), '2024-W23', bot.holder);
    expect(bot.platform.messages[0]!.text).toContain('⏱ 按时提交：1/10');
  });

  it('is in English for an English team, and absent unless the definition asks for it', async () => {
    const store = await freshStore('digest_metrics_7');
    const bot = await consoleBot(store, new FakeClock(PUBLISH_TIME));
    await storeReferenceWeek(store, bot.team);
    await publishWeek(bot.ctx, bot.team, '2024-W23', bot.holder);
    expect(bot.platform.messages[0]!.text).not.toContain('按时提交');
    const english = withOnTimeLine(bot.team);
    await publishWeek(bot.ctx, { ...english, definition: { ...english.definition, locale: 'en' } }, '2024-W23', bot.holder);
    expect(bot.platform.messages[0]!.text).toContain('⏱ On time this week: 9 of 10');
  });

  it('is a definition setting, validated with the file and path named', async () => {
    const raw = YAML.parse(readFileSync(path.join(DEFAULT_TEMPLATES_DIR, 'payments-weekly.yaml'), 'utf8')) as Record<string, unknown>;
    expect(parseTeamDefinition(raw, 't.yaml', PLATFORM_MODULES).digest).toEqual({ onTimeLine: false });
    expect(parseTeamDefinition({ ...raw, digest: { onTimeLine: true } }, 't.yaml', PLATFORM_MODULES).digest).toEqual({ onTimeLine: true });
    expect(() => parseTeamDefinition({ ...raw, digest: { onTimeLine: 'yes' } }, 't.yaml', PLATFORM_MODULES)).toThrow(/t\.yaml: digest\.onTimeLine: .*boolean/i);
    expect(() => parseTeamDefinition({ ...raw, digest: { ontime: true } }, 't.yaml', PLATFORM_MODULES)).toThrow(/t\.yaml: digest: .*ontime/);
  });
});
