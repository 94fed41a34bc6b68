import { compareSubmissionKeys } from '../records.ts';
import type { PlatformName, Prompt, PromptKey, PromptReservation, PromptStore } from '../store.ts';
import { copy, promptKeyOf } from './shared.ts';

interface PromptRecord extends Prompt {
  /** When the current 'sending' reservation was made; the basis of the stale takeover. */
  reservedAt: Date;
  /** The job run holder sending it (releaseHolder). */
  holder?: string;
}

function toPrompt(record: PromptRecord): Prompt {
  const { reservedAt: _reservedAt, holder: _holder, ...prompt } = record;
  return copy(prompt);
}

/** The prompts sent to owners, in memory. */
export class MemoryPrompts implements PromptStore {
  private readonly prompts = new Map<string, PromptRecord>();

  constructor(private readonly promptSendingStaleMs: number) {}

  async reservePrompt(key: PromptKey, platform: PlatformName, at: Date, holder?: string): Promise<PromptReservation | null> {
    const id = promptKeyOf(key);
    const existing = this.prompts.get(id);
    if (!existing) {
      this.prompts.set(id, {
        teamId: key.teamId,
        week: key.week,
        sectionId: key.sectionId,
        owner: key.owner,
        platform,
        state: 'sending',
        createdAt: new Date(at),
        reservedAt: new Date(at),
        ...(holder ? { holder } : {}),
      });
      return 'new';
    }
    if (existing.state === 'sending' && existing.reservedAt.getTime() < at.getTime() - this.promptSendingStaleMs) {
      existing.platform = platform;
      existing.reservedAt = new Date(at);
      if (holder) existing.holder = holder;
      else delete existing.holder;
      return 'resumed';
    }
    return null;
  }

  async renewPromptReservation(key: PromptKey, at: Date): Promise<void> {
    const prompt = this.prompts.get(promptKeyOf(key));
    if (prompt?.state === 'sending' && prompt.reservedAt.getTime() >= at.getTime() - this.promptSendingStaleMs) prompt.reservedAt = new Date(at);
  }

  async markPromptSent(key: PromptKey, ref: { channel: string; messageId: string }, at: Date): Promise<void> {
    const prompt = this.prompts.get(promptKeyOf(key));
    // As MongoStore: the first record of where a prompt went stands.
    if (!prompt || prompt.messageId !== undefined) return;
    if (prompt.state === 'sending') prompt.state = 'sent';
    prompt.channel = ref.channel;
    prompt.messageId = ref.messageId;
    prompt.sentAt = new Date(at);
  }

  async releasePrompt(key: PromptKey): Promise<void> {
    const prompt = this.prompts.get(promptKeyOf(key));
    // Stale at once: the next reservePrompt resumes it (and looks for the message first).
    if (prompt?.state === 'sending') prompt.reservedAt = new Date(0);
  }

  async markPromptAnswered(key: PromptKey): Promise<void> {
    const prompt = this.prompts.get(promptKeyOf(key));
    if (prompt) prompt.state = 'answered';
  }

  async claimReminder(key: PromptKey, at: Date): Promise<boolean> {
    const prompt = this.prompts.get(promptKeyOf(key));
    if (prompt?.state !== 'sent') return false;
    prompt.state = 'reminded';
    prompt.remindedAt = new Date(at);
    return true;
  }

  async listPrompts(teamId: string, week: string): Promise<Prompt[]> {
    return [...this.prompts.values()]
      .filter((p) => p.teamId === teamId && p.week === week)
      .sort(compareSubmissionKeys)
      .map(toPrompt);
  }

  async findPromptByMessage(platform: PlatformName, messageId: string): Promise<Prompt | null> {
    for (const prompt of this.prompts.values()) {
      if (prompt.platform === platform && prompt.messageId === messageId) return toPrompt(prompt);
    }
    return null;
  }

  /** The holder's 'sending' prompts made stale at once (ClaimStore.releaseHolder); how many. */
  releaseHolder(holder: string): number {
    let released = 0;
    for (const prompt of this.prompts.values()) {
      if (prompt.state === 'sending' && prompt.holder === holder) {
        prompt.reservedAt = new Date(0);
        released += 1;
      }
    }
    return released;
  }
}
