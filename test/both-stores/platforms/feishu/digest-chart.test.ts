import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { publishWeek } from '../../../../handlers/cycle/publish.ts';
import { feishuModule } from '../../../../src/platforms/feishu/module.ts';
import type { FakeMessage } from '../../../fakes/feishu-open-api.ts';
import { messageReceived } from '../../../fakes/feishu-webhook.ts';
import { pngSize } from '../../../charts/golden-file.ts';
import { storeReferenceWeek, storeWeek, W22_CREATED, W22_REPLIES } from '../../../support/stored-weeks.ts';
import { APP, startFeishuHarness, type FeishuHarness } from '../../../platforms/feishu/harness.ts';

const WEEK = '2024-W23';
const FRIDAY = '2024-06-07T17:00:00+08:00';

interface ImageCard {
  header?: { title: { content: string } };
  body: { elements: { tag: string; img_key?: string; alt?: { content: string } }[] };
}

/** The cards among `messages` that show an image, with the image's key. */
function imageCards(messages: readonly FakeMessage[]): { message: FakeMessage; card: ImageCard; imgKey: string }[] {
  return messages.flatMap((message) => {
    if (message.msg_type !== 'interactive') return [];
    const card = JSON.parse(message.content) as ImageCard;
    const img = card.body.elements.find((e) => e.tag === 'img');
    return img?.img_key ? [{ message, card, imgKey: img.img_key }] : [];
  });
}

/**
 * The trend chart in the digest, and on demand, as an image in a card on Feishu against the fake
 * Open API. When the digest's chart is posted, and how often, is
 * test/both-stores/platforms/suite/digest-chart.test.ts, which runs on Feishu too.
 */
describe('the trend chart on Feishu', () => {
  let h: FeishuHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function friday(label: string): Promise<FeishuHarness> {
    const harness = await startFeishuHarness(label, { now: FRIDAY });
    h = harness;
    await storeWeek(harness.store, harness.team, '2024-W22', W22_CREATED, W22_REPLIES, new Date('2024-05-31T17:00:00+08:00'));
    await storeReferenceWeek(harness.store, harness.team);
    return harness;
  }

  it('shows the chart as an image card in the digest’s thread, titled, with the image uploaded once, not again on an unchanged republish', async () => {
    const week = await friday('feishu_digest_chart');
    await publishWeek(week.ctx, week.team, WEEK, 'replica-a');
    const [header] = week.fake.chatMessages(feishuModule.reportChannel(week.team.definition)!);
    const [chart, ...more] = imageCards(week.fake.threadOf(header!.message_id));
    expect(more).toEqual([]);
    expect(chart!.card.header?.title.content).toBe('支付中心周报 入金有效成功率、出金有效成功率、年度可用性 2024-W12 – 2024-W23');
    expect(chart!.message.thread_id).toBeDefined();
    expect(week.fake.images.get(chart!.imgKey)!).toMatchObject({ image_type: 'message', format: 'png' });

    week.setNow('2024-06-07T17:30:00+08:00');
    await publishWeek(week.ctx, week.team, WEEK, 'replica-b');
    expect(week.fake.callsTo('im.v1.image.create')).toHaveLength(1);
    expect(imageCards(week.fake.threadOf(header!.message_id))).toHaveLength(1);
  });

  it('answers `/weekly-report trend` with the chart as an image card in the chat where it was typed', async () => {
    const week = await friday('feishu_trend_command');
    const typed = week.fake.userWrites(week.openId('owner-o1'), { msgType: 'text', content: JSON.stringify({ text: '/weekly-report trend' }) });
    expect((await week.deliver(messageReceived(APP, typed))).status).toBe(200);
    const [chart] = imageCards(week.fake.chatMessages(typed.chat_id));
    expect(chart!.card.body.elements[0]).toMatchObject({
      tag: 'img',
      alt: { content: '支付中心周报 入金有效成功率、出金有效成功率、年度可用性 2024-W12 – 2024-W23' },
    });
    expect(pngSize(week.fake.images.get(chart!.imgKey)!.content)).toEqual({ width: 800, height: 400 });
  });
});

describe('the fake Feishu Open API’s images, as Feishu has them', () => {
  let h: FeishuHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('refuses an image it cannot read, an empty one, and a card showing an image that was never uploaded', async () => {
    const harness = await startFeishuHarness('feishu_fake_images');
    h = harness;
    const client = new lark.Client({ appId: APP.appId, appSecret: APP.appSecret, domain: harness.fake.url, loggerLevel: lark.LoggerLevel.fatal });
    const refusal = (call: Promise<unknown>) =>
      call.then(
        () => null,
        (error: { response?: { data?: { code?: number } } }) => error.response?.data?.code,
      );
    expect(await refusal(client.im.v1.image.create({ data: { image_type: 'message', image: Buffer.from('not a picture') } }))).toBe(234011);
    expect(await refusal(client.im.v1.image.create({ data: { image_type: 'message', image: Buffer.alloc(0) } }))).toBe(234010);
    const card = { schema: '2.0', body: { elements: [{ tag: 'img', img_key: 'img_v3_never_uploaded', alt: { tag: 'plain_text', content: '' } }] } };
    const chatId = feishuModule.reportChannel(harness.team.definition)!;
    const send = client.im.v1.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: chatId, msg_type: 'interactive', content: JSON.stringify(card) },
    });
    expect(await refusal(send)).toBe(230099);
  });
});
