import type { AnswerForm, Sender } from '../src/platforms/platform.ts';
import { parseReply } from '../src/report/parse/index.ts';
import { renderSectionBody } from '../src/report/render/section-markdown.ts';
import { shiftWeek } from '../src/report/week.ts';
import type { BotContext } from './context.ts';
import { messagesFor } from './messages.ts';
import { ownedSection } from './people.ts';

/**
 * The form an owner opens from a prompt: prefilled with what they submitted this week, or else
 * with last week's text, so they edit rather than retype. Null when the person does not own
 * the section (the adapter then says so).
 */
export async function answerFormFor(
  ctx: BotContext,
  sender: Sender,
  ref: { reportId: string; week: string; sectionId: string },
): Promise<AnswerForm | null> {
  const owned = ownedSection(ctx, sender, ref);
  if (!owned) return null;
  const { team, section, owner } = owned;
  const key = { reportId: ref.reportId, sectionId: ref.sectionId, owner };
  const current = (await ctx.store.submissionHistory({ ...key, week: ref.week })).at(-1);
  const previous = current ? undefined : (await ctx.store.submissionHistory({ ...key, week: shiftWeek(ref.week, -1) })).at(-1);
  const source = current ?? previous;
  return { ...ref, title: section.title, prefill: source ? renderSectionBody(section, source.content) : '', locale: team.definition.locale };
}

/**
 * What is wrong with a form's text, before it is submitted, or null when it would be stored.
 * Platforms whose forms can show an error in place (a Slack modal) use it to keep the form open
 * with the owner's text instead of closing it and answering in chat. Pure and fast: no I/O.
 */
export function checkFormAnswer(
  ctx: BotContext,
  sender: Sender,
  ref: { reportId: string; sectionId: string },
  text: string,
): string | null {
  const owned = ownedSection(ctx, sender, ref);
  const locale = ctx.teams.find((t) => t.definition.id === ref.reportId)?.definition.locale ?? 'zh-CN';
  if (!owned) return messagesFor(locale).notAnOwner;
  const parsed = parseReply({ source: 'text', text }, owned.section, { locale });
  return parsed.ok ? null : parsed.error.message;
}
