import type { Sender } from '../../src/platforms/platform.ts';
import type { FormOpening } from '../../src/platforms/runtime.ts';
import { parseReply } from '../../src/report/parse/index.ts';
import { renderSectionBody } from '../../src/report/render/section-markdown.ts';
import { shiftWeek } from '../../src/report/week.ts';
import type { BotContext } from '../../src/bot/context.ts';
import { messagesFor } from '../texts/messages.ts';
import { displayName, notTheirs, ownedSection, personKeyOf } from '../owners/people.ts';

/**
 * The form an owner opens from a prompt: prefilled with what they submitted this week, or else
 * with last week's text, so they edit rather than retype. Someone who does not own the section is
 * told so, in the team's language.
 */
export async function answerFormFor(ctx: BotContext, sender: Sender, ref: { teamId: string; week: string; sectionId: string }): Promise<FormOpening> {
  const owned = await ownedSection(ctx, sender, ref);
  if (!owned) {
    const team = ctx.teams.find((t) => t.definition.id === ref.teamId);
    const locale = team?.definition.locale ?? 'zh-CN';
    // One of their sections, handed to someone else that week: say to whom.
    const person = team && personKeyOf(ctx, team.definition, sender);
    const refused = team && person ? await notTheirs(ctx, team, ref.week, ref.sectionId, person) : null;
    if (team && refused?.handedTo) {
      return {
        refusal: { text: messagesFor(locale).handedOverNoForm(refused.section.title, displayName(team.definition, refused.handedTo), ref.week), locale },
      };
    }
    return { refusal: { text: messagesFor(locale).notYourSection, locale } };
  }
  const { team, section, owner } = owned;
  const key = { teamId: ref.teamId, sectionId: ref.sectionId, owner };
  const current = (await ctx.store.submissionHistory({ ...key, week: ref.week })).at(-1);
  const previous = current ? undefined : (await ctx.store.submissionHistory({ ...key, week: shiftWeek(ref.week, -1) })).at(-1);
  const source = current ?? previous;
  return { form: { ...ref, title: section.title, prefill: source ? renderSectionBody(section, source.content) : '', locale: team.definition.locale } };
}

/**
 * What is wrong with a form's text, before it is submitted, or null when it would be stored.
 * Platforms whose forms can show an error in place (a Slack modal) use it to keep the form open
 * with the owner's text instead of closing it and answering in chat. Pure and fast: no I/O.
 */
export function checkFormAnswer(ctx: BotContext, _sender: Sender, ref: { teamId: string; sectionId: string }, text: string): string | null {
  const team = ctx.teams.find((t) => t.definition.id === ref.teamId);
  const section = team?.definition.sections.find((s) => s.id === ref.sectionId);
  const locale = team?.definition.locale ?? 'zh-CN';
  if (!section) return messagesFor(locale).notAnOwner;
  // Who may answer (an owner, or whom the section was handed to this week) needs the store: the
  // submission itself is refused with a message when the sender may not. Here only the text is checked.
  const parsed = parseReply({ source: 'text', text }, section, { locale });
  return parsed.ok ? null : parsed.error.message;
}
