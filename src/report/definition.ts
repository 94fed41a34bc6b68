import { IANAZone } from 'luxon';
import { z } from 'zod';

/**
 * A team's report definition (templates/<id>.yaml), validated at the edge and trusted inside.
 * Types flow from this schema: `TeamDefinition` is what the rest of the code sees.
 */

const slackUserId = z
  .string()
  .regex(/^[UW][A-Z0-9]{2,}$/, 'expected a Slack user id like U0123ABCD');
const feishuOpenId = z.string().regex(/^ou_[A-Za-z0-9_]+$/, 'expected a Feishu open_id like ou_7d8a6e…');
const email = z.email('expected an e-mail address like name@example.com');

export const Person = z
  .object({
    /** How the bot names this person in status lists; not printed in the report. */
    name: z.string().min(1).optional(),
    slack: slackUserId.optional(),
    feishu: feishuOpenId.optional(),
    email: email.optional(),
  })
  .strict()
  .refine((p) => p.slack ?? p.feishu ?? p.email, {
    message: 'expected at least one of slack, feishu or email',
  });
export type Person = z.infer<typeof Person>;

const weekday = z.enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);
const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a 24-hour time like 15:30');

export const WeeklyMoment = z.object({ day: weekday, time: timeOfDay }).strict();
export type WeeklyMoment = z.infer<typeof WeeklyMoment>;

export const ListNumbering = z.enum(['ordered', 'bullet']);

export const SectionDefinition = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a lower-case id like o1 or next-week'),
    /** The title exactly as printed, e.g. 【O1 业务服务】. */
    title: z.string().min(1),
    /** How the title is printed: as a top-level bullet with the body nested under it, or as a heading. */
    heading: z.enum(['bullet', 'h1', 'h2', 'h3', 'h4']).default('h2'),
    kind: z.enum(['list', 'text', 'entries']),
    /** Keys of `people`, in the order their items are merged. */
    owners: z.array(z.string().min(1)).min(1, 'expected at least one owner'),
    /** Printed when nobody submitted. */
    emptyText: z.string().min(1).default('暂无'),
    /** List sections: marker per depth, the last one repeats for deeper levels. */
    numbering: z.array(ListNumbering).min(1).default(['ordered', 'bullet']),
    /** Spaces per nesting level. */
    indent: z.number().int().min(2).max(8).default(4),
    /** Entries sections: lines starting with one of these are notes, not entries (e.g. 详细记录：). */
    notePrefixes: z.array(z.string().min(1)).default([]),
    /** A short hint shown to owners in the prompt. */
    hint: z.string().optional(),
  })
  .strict();
export type SectionDefinition = z.infer<typeof SectionDefinition>;

export const TeamDefinition = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a lower-case id like payments-weekly'),
    name: z.string().min(1),
    locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
    timeZone: z.string().refine((tz) => IANAZone.isValidZone(tz), 'expected an IANA time zone like Asia/Shanghai'),
    /** Luxon format of the report title, from the ISO week: kkkk-'W'WW gives 2024-W23. */
    titleFormat: z.string().min(1).default("kkkk-'W'WW"),
    /** Luxon format of the creation time printed under the title. */
    createdFormat: z.string().min(1).default('yyyy-MM-dd HH:mm'),
    /** Layout template file, relative to the definition file. */
    layout: z.string().min(1),
    post: z
      .object({
        slack: z.object({ channel: z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'expected a Slack channel id like C0123ABCD') }).strict().optional(),
        feishu: z.object({ chatId: z.string().regex(/^oc_[A-Za-z0-9_]+$/, 'expected a Feishu chat_id like oc_a0553eda…') }).strict().optional(),
      })
      .strict()
      .refine((p) => p.slack ?? p.feishu, { message: 'expected a Slack channel, a Feishu chat, or both' }),
    schedule: z
      .object({
        open: WeeklyMoment,
        remind: WeeklyMoment,
        publish: WeeklyMoment,
      })
      .strict(),
    people: z.record(z.string().regex(/^[a-z0-9][a-z0-9-_]*$/, 'expected a lower-case key like owner-o1'), Person),
    leads: z.array(z.string().min(1)).min(1, 'expected at least one lead'),
    sections: z.array(SectionDefinition).min(1, 'expected at least one section'),
  })
  .strict()
  .superRefine((def, ctx) => {
    const seen = new Set<string>();
    def.sections.forEach((section, i) => {
      if (seen.has(section.id)) {
        ctx.addIssue({ code: 'custom', path: ['sections', i, 'id'], message: `section id "${section.id}" is used twice` });
      }
      seen.add(section.id);
      section.owners.forEach((owner, j) => {
        if (!(owner in def.people)) {
          ctx.addIssue({
            code: 'custom',
            path: ['sections', i, 'owners', j],
            message: `expected a key of people (${Object.keys(def.people).join(', ')}), got "${owner}"`,
          });
        }
      });
    });
    def.leads.forEach((lead, i) => {
      if (!(lead in def.people)) {
        ctx.addIssue({ code: 'custom', path: ['leads', i], message: `expected a key of people, got "${lead}"` });
      }
    });
  });
export type TeamDefinition = z.infer<typeof TeamDefinition>;

/** A loaded definition with its layout template text. */
export interface TeamReport {
  definition: TeamDefinition;
  layout: string;
  /** Where it was loaded from, for messages. */
  source: string;
}

/** `sections[3].owners[0]` from a zod issue path. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, '');
}

export class DefinitionError extends Error {
  override name = 'DefinitionError';
}

/** Validates raw definition data; errors name the file, the path and what was expected. */
export function parseTeamDefinition(raw: unknown, source: string): TeamDefinition {
  const result = TeamDefinition.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const path = formatIssuePath(issue.path);
    return `${source}: ${path || '(top level)'}: ${issue.message}`;
  });
  throw new DefinitionError(lines.join('\n'));
}
