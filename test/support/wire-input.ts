import { PLATFORM_MODULES } from '../../src/platforms/modules.ts';
import type { WireReply } from '../../src/platforms/platform.ts';
import { replyInputOf, type ReplyInput } from '../../src/report/parse/index.ts';

/**
 * A reply in a platform's wire format (`{ source: 'slack-rich-text', blocks }`) as the parser reads
 * it, converted by the platform that owns the format, exactly as the reply handler does it.
 */
export function wireInput(input: WireReply | ReplyInput, userNames: Record<string, string> = {}): ReplyInput {
  if (input.source === 'text' || input.source === 'unreadable') return input as ReplyInput;
  const platform = PLATFORM_MODULES.find((m) => input.source.startsWith(`${m.name}-`));
  if (!platform) throw new Error(`no platform reads ${input.source}`);
  return replyInputOf(platform.replyText(input as WireReply, { userNames }));
}
