import { IANAZone } from 'luxon';
import { z } from 'zod';
import { BotError } from '../errors.ts';
import { LOCALES } from './locale.ts';
import { MetricDefinitions } from './metrics/metric-definition.ts';

/**
 * A team's report definition (templates/<id>.yaml), validated at the edge and trusted inside.
 * Types flow from this schema: `TeamDefinition` is what the rest of the code sees.
 */

const email = z.email('expected an e-mail address like name@example.com');

/**
 * What a team definition needs to know of a chat platform: its name, and the shapes of a person's
 * id on it (`people.<key>.<name>`) and of the report's destination on it (`post.<name>`). Platform
 * modules (src/platforms/) provide these; the report core knows no platform itself.
 */
export interface PlatformFields {
  readonly name: string;
  readonly personId?: z.ZodType<string>;
  readonly destination?: z.ZodType<object>;
}

/** A person of the team: a display name, an e-mail, and an id per platform (`slack: U0123ABCD`). */
export const Person = z
  .object({
    /** How the bot names this person in status lists; not printed in the report. */
    name: z.string().min(1).optional(),
    email: email.optional(),
  })
  .catchall(z.string());
export type Person = z.infer<typeof Person>;

/** Person, strict about which platform ids it may carry and their shapes. */
function personSchema(platforms: readonly PlatformFields[]) {
  const ids = platforms.filter((p) => p.personId);
  const names = [...ids.map((p) => p.name), 'email'].join(', ');
  return z
    .object({
      name: z.string().min(1).optional(),
      email: email.optional(),
      ...Object.fromEntries(ids.map((p) => [p.name, p.personId!.optional()])),
    })
    .strict()
    .refine((person: Record<string, unknown>) => ids.some((p) => person[p.name]) || person.email, { message: `expected at least one of ${names}` });
}

/** `post`: where the report goes, per platform, strict about the platforms and their shapes. */
function postSchema(platforms: readonly PlatformFields[]) {
  const destinations = platforms.filter((p) => p.destination);
  const names = destinations.map((p) => p.name);
  return z
    .object(Object.fromEntries(destinations.map((p) => [p.name, p.destination!.optional()])))
    .strict()
    .refine((post: Record<string, unknown>) => names.some((name) => post[name]), { message: `expected a destination on at least one of ${names.join(', ')}` });
}

const weekday = z.enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);
const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a 24-hour time like 15:30');

export const WeeklyMoment = z.object({ day: weekday, time: timeOfDay }).strict();
export type WeeklyMoment = z.infer<typeof WeeklyMoment>;

export const ListNumbering = z.enum(['ordered', 'bullet']);

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date like 2024-10-01');
export const Holiday = z.union([
  z.object({ name: z.string().min(1), week: z.string().regex(/^\d{4}-W\d{2}$/, 'expected an ISO week like 2024-W40') }).strict(),
  z.object({ name: z.string().min(1), from: isoDate, to: isoDate }).strict(),
]);
export type Holiday = z.infer<typeof Holiday>;

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
    /** Printed when the owners said there is nothing this week (skip); emptyText when absent. */
    skipText: z.string().min(1).optional(),
    /** List sections: marker per depth, the last one repeats for deeper levels. */
    numbering: z.array(ListNumbering).min(1).default(['ordered', 'bullet']),
    /** Spaces per nesting level. */
    indent: z.number().int().min(2).max(8).default(4),
    /**
     * Nesting levels (lists and quotes) the body may have; deeper items are printed at the deepest level.
     * At most 8: CommonMark renderers stop reading a document 20 blocks deep, and a title bullet plus
     * 8 list levels is 18.
     */
    maxDepth: z.number().int().min(1).max(8).default(8),
    /** Entries sections: lines starting with one of these are notes, not entries (e.g. 详细记录：). */
    notePrefixes: z.array(z.string().min(1)).default([]),
    /** A short hint shown to owners in the prompt. */
    hint: z.string().optional(),
    /** Numbers read from the owner's reply for the digest and trend charts; never change the document. */
    metrics: MetricDefinitions.optional(),
    /**
     * This list section sets goals (下周工作及目标): the week after, the prompt of the section
     * `reviewIn` names carries them as a checklist to mark done, in progress or dropped.
     */
    goals: z
      .object({ reviewIn: z.string().min(1) })
      .strict()
      .optional(),
  })
  .strict();
export type SectionDefinition = z.infer<typeof SectionDefinition>;

/** The definition's fields; people and destinations as the platforms given validate them. */
function teamDefinitionSchema(platforms: readonly PlatformFields[]) {
  return z
    .object({
      id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a lower-case id like payments-weekly'),
      name: z.string().min(1),
      locale: z.enum(LOCALES).default('zh-CN'),
      timeZone: z.string().refine((tz) => IANAZone.isValidZone(tz), 'expected an IANA time zone like Asia/Shanghai'),
      /** Luxon format of the report title, from the ISO week: kkkk-'W'WW gives 2024-W23. */
      titleFormat: z.string().min(1).default("kkkk-'W'WW"),
      /** Luxon format of the creation time printed under the title. */
      createdFormat: z.string().min(1).default('yyyy-MM-dd HH:mm'),
      /** Layout template file, relative to the definition file. */
      layout: z.string().min(1),
      /** Where the report is posted, per platform: `slack: { channel }`, `feishu: { chatId }`. */
      post: postSchema(platforms),
      schedule: z
        .object({
          open: WeeklyMoment,
          remind: WeeklyMoment,
          publish: WeeklyMoment,
        })
        .strict(),
      people: z.record(z.string().regex(/^[a-z0-9][a-z0-9-_]*$/, 'expected a lower-case key like owner-o1'), personSchema(platforms)),
      leads: z.array(z.string().min(1)).min(1, 'expected at least one lead'),
      /**
       * An answer after the report went out: `update` posts the change into the published report (and
       * tells the leads), `notify-lead` only tells the leads.
       */
      lateAnswers: z.enum(['update', 'notify-lead']).default('update'),
      /**
       * Weeks with no report (国庆, 春节): no prompts, reminders or publication. A week is one when it
       * is listed, or when a date range (team time zone, inclusive) contains its publish day.
       */
      holidays: z.array(Holiday).default([]),
      /** What the Friday digest header adds: `onTimeLine` → "按时提交：10/12" (owners asked this week who answered on time). */
      digest: z
        .object({ onTimeLine: z.boolean().default(false) })
        .strict()
        .default({ onTimeLine: false }),
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
      checkGoalSections(def.sections, ctx);
      def.leads.forEach((lead, i) => {
        if (!(lead in def.people)) {
          ctx.addIssue({ code: 'custom', path: ['leads', i], message: `expected a key of people, got "${lead}"` });
        }
      });
    });
}

/**
 * `goals: { reviewIn }` names a section of the definition, is set on a list (its top-level items are
 * the goals), and each section reviews one goals section at most (`目标 1` must name one goal).
 */
function checkGoalSections(sections: readonly SectionDefinition[], ctx: z.RefinementCtx): void {
  const reviewedBy = new Map<string, string>();
  sections.forEach((section, i) => {
    if (!section.goals) return;
    const { reviewIn } = section.goals;
    const path = ['sections', i, 'goals', 'reviewIn'];
    if (section.kind !== 'list') {
      ctx.addIssue({
        code: 'custom',
        path: ['sections', i, 'goals'],
        message: `goals are the items of a list section; "${section.id}" is kind ${section.kind}`,
      });
    }
    if (!sections.some((s) => s.id === reviewIn)) {
      ctx.addIssue({ code: 'custom', path, message: `expected the id of a section (${sections.map((s) => s.id).join(', ')}), got "${reviewIn}"` });
      return;
    }
    const earlier = reviewedBy.get(reviewIn);
    if (earlier)
      ctx.addIssue({
        code: 'custom',
        path,
        message: `section "${reviewIn}" already reviews the goals of "${earlier}"; a section can review one goals section`,
      });
    reviewedBy.set(reviewIn, section.id);
  });
}

type ValidatedDefinition = z.infer<ReturnType<typeof teamDefinitionSchema>>;
/** A validated team definition; people and destinations keyed by platform name. */
export type TeamDefinition = Omit<ValidatedDefinition, 'people' | 'post'> & {
  people: Record<string, Person>;
  post: Record<string, object | undefined>;
};

const schemas = new WeakMap<readonly PlatformFields[], ReturnType<typeof teamDefinitionSchema>>();

/** A loaded definition with its layout template text. */
export interface Team {
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

export class DefinitionError extends BotError {
  override name = 'DefinitionError';
  constructor(message: string, options?: ErrorOptions) {
    super('definition_invalid', message, options);
  }
}

/**
 * Validates raw definition data against the platforms given (their person ids and destinations);
 * errors name the file, the path and what was expected.
 */
export function parseTeamDefinition(raw: unknown, source: string, platforms: readonly PlatformFields[]): TeamDefinition {
  let schema = schemas.get(platforms);
  if (!schema) schemas.set(platforms, (schema = teamDefinitionSchema(platforms)));
  const result = schema.safeParse(raw);
  if (result.success) return result.data as TeamDefinition;
  const lines = result.error.issues.map((issue) => {
    const path = formatIssuePath(issue.path);
    return `${source}: ${path || '(top level)'}: ${issue.message}`;
  });
  throw new DefinitionError(lines.join('\n'));
}
