import type { Logger } from '../../log.ts';
import { compareSubmissionKeys } from '../records.ts';
import type { PlatformName, Prompt, PromptKey, PromptReservation, PromptStore } from '../store.ts';
import type { PromptDoc, PromptSendDoc, StoreModels } from './schemas.ts';
import { insertUnlessExists, promptFilter } from './shared.ts';

type PromptModels = Pick<StoreModels, 'prompts' | 'promptSends' | 'promptTakeovers' | 'promptReminders'>;

/**
 * The prompts sent to owners. The prompt document is the reservation (its unique key); where it
 * was sent, its takeovers and its reminder are each a record of their own, inserted once.
 */
export class MongoPrompts implements PromptStore {
  constructor(
    private readonly models: PromptModels,
    private readonly promptSendingStaleMs: number,
    private readonly logger: Logger,
  ) {}

  async reservePrompt(key: PromptKey, platform: PlatformName, at: Date, holder?: string): Promise<PromptReservation | null> {
    const { prompts } = this.models;
    const filter = promptFilter(key);
    const reservation = { ...filter, platform, state: 'sending' as const, createdAt: at, reservedAt: at, ...(holder ? { holder } : {}) };
    if (await insertUnlessExists(() => prompts.create(reservation))) return 'new';

    // Someone holds it. A 'sending' reservation not renewed for the stale time belongs to a sender
    // that crashed or failed: the insert of its takeover record decides which contender resumes
    // it. The reservation itself is never deleted, so a contender can never find it missing and
    // take a prompt that may have been delivered for a new one.
    const stale = await prompts
      .findOne({ ...filter, state: 'sending', reservedAt: { $lt: new Date(at.getTime() - this.promptSendingStaleMs) } })
      .lean<PromptDoc>();
    if (!stale) return null;
    // Sent and recorded: a prompt stays 'sending' once its send is recorded (PromptSendDoc).
    if (await this.models.promptSends.exists(filter)) return null;
    const takeover = stale.takeovers ?? 0;
    if (!(await insertUnlessExists(() => this.models.promptTakeovers.create({ ...filter, takeover, at })))) return null;
    const resumed = await prompts.updateOne(
      { ...filter, state: 'sending' },
      holder
        ? { $set: { platform, reservedAt: at, takeovers: takeover + 1, holder } }
        : { $set: { platform, reservedAt: at, takeovers: takeover + 1 }, $unset: { holder: 1 } },
    );
    // Sent after all, by a sender that was only slow.
    if (resumed.matchedCount === 0) return null;
    this.logger.warn(
      { ...key, reservedAt: stale.reservedAt },
      'took over a prompt left in "sending" (its sender crashed or failed); looking for it before sending it again',
    );
    return 'resumed';
  }

  async renewPromptReservation(key: PromptKey, at: Date): Promise<void> {
    // Only a reservation that is not stale yet: a stale one may be being taken over right now.
    const fresh = { $gte: new Date(at.getTime() - this.promptSendingStaleMs) };
    await this.models.prompts.updateOne({ ...promptFilter(key), state: 'sending', reservedAt: fresh }, { $set: { reservedAt: at } });
  }

  async markPromptSent(key: PromptKey, ref: { channel: string; messageId: string }, at: Date): Promise<void> {
    // An insert, not an update of the prompt (see PromptSendDoc): the first record of a prompt stands.
    await insertUnlessExists(() => this.models.promptSends.create({ ...promptFilter(key), channel: ref.channel, messageId: ref.messageId, sentAt: at }));
  }

  async releasePrompt(key: PromptKey): Promise<void> {
    // Not deleted: stale at once, so that whoever reserves it next resumes it and looks for the
    // message first (the failed call may have delivered it).
    await this.models.prompts.updateOne({ ...promptFilter(key), state: 'sending' }, { $set: { reservedAt: new Date(0) } });
  }

  async markPromptAnswered(key: PromptKey): Promise<void> {
    await this.models.prompts.updateOne({ ...promptFilter(key), state: { $ne: 'answered' } }, { $set: { state: 'answered' } });
  }

  async claimReminder(key: PromptKey, at: Date): Promise<boolean> {
    const filter = promptFilter(key);
    const prompt = await this.models.prompts.findOne(filter, { state: 1 }).lean<Pick<PromptDoc, 'state'>>();
    if (prompt?.state !== 'sending' || !(await this.models.promptSends.exists(filter))) return false;
    // The reminder record is the claim: its unique index lets exactly one caller through.
    if (!(await insertUnlessExists(() => this.models.promptReminders.create({ ...filter, remindedAt: at })))) return false;
    await this.models.prompts.updateOne({ ...filter, state: 'sending' }, { $set: { state: 'reminded', remindedAt: at } });
    return true;
  }

  async listPrompts(teamId: string, week: string): Promise<Prompt[]> {
    const [docs, sends] = await Promise.all([
      this.models.prompts.find({ teamId, week }).lean<PromptDoc[]>(),
      this.models.promptSends.find({ teamId, week }).lean<PromptSendDoc[]>(),
    ]);
    const sendOf = new Map(sends.map((send) => [promptId(send), send]));
    return docs.map((doc) => toPrompt(doc, sendOf.get(promptId(doc)))).sort(compareSubmissionKeys);
  }

  async findPromptByMessage(platform: PlatformName, messageId: string): Promise<Prompt | null> {
    // Message ids are the platform's; the prompt says which platform it went to.
    for (const send of await this.models.promptSends.find({ messageId }).lean<PromptSendDoc[]>()) {
      const doc = await this.models.prompts.findOne(promptFilter(send)).lean<PromptDoc>();
      if (doc?.platform === platform) return toPrompt(doc, send);
    }
    return null;
  }

  /** The holder's 'sending' prompts made stale at once (ClaimStore.releaseHolder); how many. */
  async releaseHolder(holder: string): Promise<number> {
    // As releasePrompt: the next reservation resumes it and looks for the message first.
    const released = await this.models.prompts.updateMany({ holder, state: 'sending' }, { $set: { reservedAt: new Date(0) } });
    return released.modifiedCount;
  }
}

/** A prompt as stored, with where it was sent when that is recorded: 'sending' with a record is 'sent'. */
function toPrompt(doc: PromptDoc, send?: PromptSendDoc): Prompt {
  const prompt: Prompt = {
    teamId: doc.teamId,
    week: doc.week,
    sectionId: doc.sectionId,
    owner: doc.owner,
    platform: doc.platform,
    state: doc.state === 'sending' && send ? 'sent' : doc.state,
    createdAt: doc.createdAt,
  };
  if (send) Object.assign(prompt, { channel: send.channel, messageId: send.messageId, sentAt: send.sentAt });
  if (doc.remindedAt != null) prompt.remindedAt = doc.remindedAt;
  return prompt;
}

const promptId = (key: PromptKey) => [key.teamId, key.week, key.sectionId, key.owner].join('\u0000');
