import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { feishuModule } from '../../../src/platforms/feishu/module.ts';
import type { FakeMessage } from '../../fakes/feishu-open-api.ts';
import { cardFormSubmitted, messageReceived, messageRecalled, newEventId, type SendOptions, type WebhookAnswer } from '../../fakes/feishu-webhook.ts';
import { APP, cardOf, formInputsOf, formValueOf, markdownOf, startFeishuHarness, textOf, type FeishuHarness } from '../feishu/harness.ts';
import {
  TUESDAY,
  unsupported,
  type Answer,
  type Chart,
  type Delivery,
  type PlatformHarness,
  type Prompt,
  type SeenMessage,
  type SharedFile,
  type SuitePlatform,
  type Typed,
} from './platform-harness.ts';

interface CardNode {
  tag: string;
  name?: string;
  img_key?: string;
  text?: { content: string };
  options?: { text: { content: string }; value: string }[];
  initial_option?: string;
  behaviors?: { type: string; value: Record<string, unknown> }[];
  elements?: CardNode[];
}

const seen = (m: FakeMessage): SeenMessage => ({ ref: m.message_id, text: textOf(m), edits: m.edits });

/** The image of a card that shows one (a chart), with its title. */
function imageOf(m: FakeMessage): { imgKey: string; title: string } | null {
  if (m.msg_type !== 'interactive') return null;
  const card = cardOf(m) as unknown as { header?: { title: { content: string } }; body: { elements: CardNode[] } };
  const img = card.body.elements.find((e) => e.tag === 'img');
  return img?.img_key ? { imgKey: img.img_key, title: card.header?.title.content ?? '' } : null;
}

/** Feishu, through its runtime behind its webhook and the fake Open API (test/platforms/feishu/harness.ts). */
export const feishuPlatform: SuitePlatform = {
  name: 'feishu',
  // Feishu sends no event when a message is edited.
  capabilities: { edits: false, deletes: true, forms: true, goalMenus: true, buttons: true, chartPixels: true, findSentDirect: true },
  start: async (label, options = {}) => new FeishuSuiteHarness(await startFeishuHarness(`${label}_feishu`, { now: options.now ?? TUESDAY })),
};

class FeishuSuiteHarness implements PlatformHarness {
  readonly name = 'feishu';
  readonly capabilities = feishuPlatform.capabilities;
  holder = 'test-holder';
  /** The bot's answers to commands: direct messages, but no part of what the week sent. */
  private readonly answers = new Set<string>();
  private readonly typed = new Map<string, FakeMessage>();

  constructor(private readonly h: FeishuHarness) {}

  get team() {
    return this.h.team;
  }
  get store() {
    return this.h.store;
  }
  get ctx() {
    return this.h.ctx;
  }
  setNow(iso: string): void {
    this.h.setNow(iso);
  }
  async restart(holder: string): Promise<void> {
    await this.h.restart(holder);
    this.holder = holder;
  }
  close(): Promise<void> {
    return this.h.close();
  }

  private get fake() {
    return this.h.fake;
  }
  private chatOf(person: string): string {
    return this.fake.p2pChatOf(this.h.openId(person)).chat_id;
  }
  private reportChat(): string {
    return feishuModule.reportChannel(this.team.definition)!;
  }
  private message(id: string): FakeMessage {
    const found = this.fake.messages.get(id);
    if (!found) throw new Error(`no Feishu message ${id}`);
    return found;
  }
  private async deliver(payload: unknown, options?: SendOptions, check: (answer: WebhookAnswer) => void = () => {}): Promise<Delivery> {
    const send = async () => {
      const answer = await this.h.deliver(payload, options);
      expect(answer.status).toBe(200);
      check(answer);
    };
    await send();
    return { again: send };
  }

  async reply(person: string, to: string | null, text: string): Promise<Typed> {
    const message = this.fake.userWrites(this.h.openId(person), {
      msgType: 'text',
      content: JSON.stringify({ text }),
      ...(to ? { replyTo: to, inThread: true } : {}),
    });
    this.typed.set(message.message_id, message);
    const delivery = await this.deliver(messageReceived(APP, message));
    return { person, ref: message.message_id, again: delivery.again };
  }
  edit(): Promise<Delivery> {
    return unsupported('feishu', 'edit event');
  }
  remove(typed: Typed): Promise<Delivery> {
    return this.deliver(messageRecalled(APP, this.typed.get(typed.ref)!));
  }
  /** The form an owner uses: the latest card of the prompt's thread that carries one (Feishu forms live in their card). */
  private formCard(prompt: Prompt): FakeMessage {
    const cards = [this.message(prompt.ref), ...this.fake.threadOf(prompt.ref).filter((m) => m.sender === 'bot')].filter(
      (m) => formValueOf(m)?.sectionId === prompt.sectionId,
    );
    return cards.at(-1)!;
  }
  async openForm(_person: string, prompt: Prompt): Promise<string[]> {
    return formInputsOf(this.formCard(prompt)).map((i) => i.value);
  }
  submitForm(person: string, prompt: Prompt, text: string): Promise<Delivery> {
    const card = this.formCard(prompt);
    const [input] = formInputsOf(card);
    const payload = cardFormSubmitted(APP, {
      openId: this.h.openId(person),
      messageId: card.message_id,
      chatId: card.chat_id,
      value: formValueOf(card),
      formValue: { [input!.name]: text },
    });
    return this.deliver(payload, { path: '/feishu/card' }, (answer) => expect(answer.body).toMatchObject({ toast: { type: 'success' } }));
  }

  /** Runs `act`, then reads the bot's new answers in the person's chat (not prompts). */
  private async answered(person: string, act: () => Promise<unknown>): Promise<Answer[]> {
    const chat = this.chatOf(person);
    const before = new Set(this.fake.chatMessages(chat).map((m) => m.message_id));
    await act();
    const fresh = this.fake.chatMessages(chat).filter((m) => m.sender === 'bot' && !before.has(m.message_id) && !formValueOf(m)?.sectionId);
    for (const m of fresh) this.answers.add(m.message_id);
    return fresh.map((m) => {
      const buttons =
        m.msg_type === 'interactive'
          ? (cardOf(m).body.elements as CardNode[]).filter((e) => e.tag === 'button' && typeof e.behaviors?.[0]?.value.command === 'string')
          : [];
      return { text: textOf(m), toCaller: true, commands: buttons.map((b) => String(b.behaviors![0]!.value.command)), raw: m };
    });
  }
  command(person: string, text: string): Promise<Answer[]> {
    // Typed in the person's chat with the bot.
    return this.answered(person, async () => {
      const message = this.fake.userWrites(this.h.openId(person), { msgType: 'text', content: JSON.stringify({ text: `/weekly-report ${text}` }) });
      expect((await this.h.deliver(messageReceived(APP, message))).status).toBe(200);
    });
  }
  press(person: string, answer: Answer, command: string): Promise<Answer[]> {
    const message = answer.raw as FakeMessage;
    const button = (cardOf(message).body.elements as CardNode[]).find((e) => e.tag === 'button' && e.behaviors?.[0]?.value.command === command);
    if (!button) throw new Error(`the answer offers no button for ${command}`);
    return this.answered(person, async () => {
      const pressed = cardFormSubmitted(APP, {
        openId: this.h.openId(person),
        messageId: message.message_id,
        chatId: message.chat_id,
        value: button.behaviors![0]!.value,
        formValue: {},
        buttonName: button.name!,
      });
      expect((await this.h.deliver(pressed)).status).toBe(200);
    });
  }
  chooseGoal(person: string, prompt: Prompt, goal: number, status: string): Promise<Delivery> {
    const message = this.message(prompt.ref);
    const menu = (cardOf(message).body.elements as CardNode[]).find((e) => e.tag === 'select_static' && e.behaviors![0]!.value.goal === goal);
    if (!menu) throw new Error(`no menu for goal ${goal} in ${prompt.ref}`);
    const openId = this.h.openId(person);
    // card.action.trigger for a choice in one of the card's menus.
    const payload = {
      schema: '2.0',
      header: {
        event_id: newEventId(),
        token: APP.verificationToken,
        create_time: String(Date.now()),
        event_type: 'card.action.trigger',
        tenant_key: 'fake_tenant',
        app_id: APP.appId,
      },
      event: {
        operator: { tenant_key: 'fake_tenant', open_id: openId, union_id: `on_${openId}` },
        token: `c-${randomBytes(8).toString('hex')}`,
        action: { value: menu.behaviors![0]!.value, tag: 'select_static', name: menu.name, option: status, timezone: 'Asia/Shanghai' },
        host: 'im_message',
        context: { open_message_id: message.message_id, open_chat_id: message.chat_id },
      },
    };
    return this.deliver(payload, undefined, (answer) => expect(answer.body).toMatchObject({ toast: { type: 'success' } }));
  }

  async promptsOf(person: string): Promise<Prompt[]> {
    return this.fake.chatMessages(this.chatOf(person)).flatMap((m) => {
      const value = m.sender === 'bot' ? formValueOf(m) : null;
      return value?.sectionId ? [{ ...seen(m), teamId: value.teamId!, week: value.week!, sectionId: value.sectionId }] : [];
    });
  }
  async prompt(person: string, sectionId: string, week = '2024-W23'): Promise<Prompt> {
    const found = (await this.promptsOf(person)).find((p) => p.sectionId === sectionId && p.week === week);
    if (!found) throw new Error(`no ${week} prompt for ${sectionId} to ${person}`);
    return found;
  }
  thread(ref: string): SeenMessage[] {
    return this.fake
      .threadOf(ref)
      .filter((m) => m.sender === 'bot')
      .map(seen);
  }
  dm(person: string): SeenMessage[] {
    return this.fake
      .chatMessages(this.chatOf(person))
      .filter((m) => m.sender === 'bot')
      .map(seen);
  }
  channel(): SeenMessage[] {
    return this.fake
      .chatMessages(this.reportChat())
      .filter((m) => m.sender === 'bot')
      .map(seen);
  }
  digest() {
    const [header] = this.fake.chatMessages(this.reportChat()).filter((m) => m.sender === 'bot');
    if (!header) throw new Error('nothing posted in the report group');
    const thread = this.fake.threadOf(header.message_id).filter((m) => m.sender === 'bot');
    const parts = thread.filter((m) => m.msg_type === 'interactive' && !imageOf(m));
    return {
      header: seen(header),
      parts: parts.map(seen),
      body: parts.map(markdownOf).join('\n\n'),
      files: thread.filter((m) => m.msg_type === 'file').map((m) => this.sharedFile(m)),
      charts: thread.flatMap((m): Chart[] => {
        const image = imageOf(m);
        return image ? [{ title: image.title, png: this.fake.images.get(image.imgKey)!.content }] : [];
      }),
    };
  }
  private sharedFile(m: FakeMessage): SharedFile {
    const file = this.fake.files.get((JSON.parse(m.content) as { file_key: string }).file_key)!;
    return { filename: file.file_name, content: file.content.toString('utf8') };
  }
  sent(): SeenMessage[] {
    return [...this.fake.messages.values()].filter((m) => m.sender === 'bot' && !this.answers.has(m.message_id)).map(seen);
  }
  files(): SharedFile[] {
    return [...this.fake.messages.values()].filter((m) => m.sender === 'bot' && m.msg_type === 'file').map((m) => this.sharedFile(m));
  }
  updates(): number {
    return this.fake.callsTo('im.v1.message.patch').length + this.fake.callsTo('im.v1.message.update').length;
  }
  goalMenus(prompt: Prompt) {
    const elements = cardOf(this.message(prompt.ref)).body.elements as CardNode[];
    return elements
      .filter((e) => e.tag === 'select_static')
      .map((menu) => ({
        // Each menu follows its goal's line.
        text: elements[elements.indexOf(menu) - 1]?.text?.content ?? '',
        options: menu.options!.map((o): [string, string] => [o.text.content, o.value]),
        ...(menu.initial_option ? { initial: menu.initial_option } : {}),
      }));
  }
  errors() {
    return this.h.logs.filter((l) => l.level >= 50);
  }
}
