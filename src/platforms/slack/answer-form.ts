import type { types } from '@slack/bolt';
import { z } from 'zod';
import type { AnswerForm, MessageRef } from '../platform.ts';
import { labelsFor } from './labels.ts';
import { truncate } from '../../report/truncate.ts';

/**
 * The prompt's "write" button and the modal it opens. The button's value and the modal's
 * private_metadata carry the section the form is for, so nothing is kept in memory between the
 * click, the modal and its submission (any replica can take each of them).
 */

export const ANSWER_ACTION_ID = 'open_answer_form';
export const ANSWER_VIEW_CALLBACK_ID = 'answer_form';

/** Slack's limits for modals (https://docs.slack.dev/reference/views). */
export const MODAL_LIMITS = { title: 24, inputChars: 3_000, privateMetadata: 3_000, blocks: 100 } as const;
/** A prefill is cut into inputs of this size, leaving each room to grow up to Slack's 3,000. */
export const PREFILL_PART_CHARS = 2_000;

const INPUT_ACTION_ID = 'text';
export const inputBlockId = (i: number) => `answer_${i}`;

export const FormRef = z.object({ teamId: z.string().min(1), week: z.string().min(1), sectionId: z.string().min(1) });
export type FormRef = z.infer<typeof FormRef>;

const Metadata = z.object({
  ref: FormRef,
  /** The prompt the button was on: the confirmation goes to its thread. */
  origin: z.object({ channel: z.string(), messageId: z.string() }).optional(),
  /** What joins input i and i+1 (the line breaks cut at). */
  joins: z.array(z.string()),
});

export function answerButton(form: AnswerForm): types.KnownBlock {
  const ref: FormRef = { teamId: form.teamId, week: form.week, sectionId: form.sectionId };
  return {
    type: 'actions',
    block_id: 'answer',
    elements: [
      {
        type: 'button',
        action_id: ANSWER_ACTION_ID,
        style: 'primary',
        text: { type: 'plain_text', text: labelsFor(form.locale).write },
        value: JSON.stringify(ref),
      },
    ],
  };
}

/** The section a button was for; null when the value is not one of ours. */
export function readButtonValue(value: unknown): FormRef | null {
  if (typeof value !== 'string') return null;
  try {
    const parsed = FormRef.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The modal: one multiline input prefilled with the text, or several when it is too long for one. */
export function answerFormView(form: AnswerForm, origin?: MessageRef): types.ModalView {
  const labels = labelsFor(form.locale);
  const { parts, joins } = splitPrefill(form.prefill);
  const metadata: z.infer<typeof Metadata> = {
    ref: { teamId: form.teamId, week: form.week, sectionId: form.sectionId },
    ...(origin ? { origin } : {}),
    joins,
  };
  const inputs: types.KnownBlock[] = parts.map((part, i) => ({
    type: 'input',
    block_id: inputBlockId(i),
    optional: parts.length > 1,
    label: { type: 'plain_text', text: parts.length > 1 ? labels.part(form.title, i, parts.length) : form.title },
    element: {
      type: 'plain_text_input',
      action_id: INPUT_ACTION_ID,
      multiline: true,
      max_length: MODAL_LIMITS.inputChars,
      ...(part === '' ? {} : { initial_value: part }),
    },
  }));
  const hint: types.KnownBlock[] = parts.length > 1 ? [{ type: 'context', elements: [{ type: 'plain_text', text: labels.splitHint }] }] : [];
  return {
    type: 'modal',
    callback_id: ANSWER_VIEW_CALLBACK_ID,
    title: { type: 'plain_text', text: truncate(form.title, MODAL_LIMITS.title) },
    submit: { type: 'plain_text', text: labels.submit },
    close: { type: 'plain_text', text: labels.cancel },
    private_metadata: JSON.stringify(metadata),
    blocks: [...hint, ...inputs],
  };
}

const SubmittedView = z.looseObject({
  id: z.string(),
  hash: z.string().optional(),
  callback_id: z.string(),
  private_metadata: z.string(),
  state: z.looseObject({
    values: z.record(z.string(), z.record(z.string(), z.looseObject({ value: z.string().nullish() }))),
  }),
});

export interface AnswerSubmission {
  ref: FormRef;
  origin?: MessageRef;
  text: string;
  viewId: string;
  viewHash?: string;
}

/** A submitted answer modal: the section and the text, its inputs joined back; null for other views. */
export function readAnswerSubmission(view: unknown): AnswerSubmission | null {
  const parsed = SubmittedView.safeParse(view);
  if (!parsed.success || parsed.data.callback_id !== ANSWER_VIEW_CALLBACK_ID) return null;
  let metadata: z.infer<typeof Metadata>;
  try {
    const read = Metadata.safeParse(JSON.parse(parsed.data.private_metadata));
    if (!read.success) return null;
    metadata = read.data;
  } catch {
    return null;
  }
  const values = parsed.data.state.values;
  let text = '';
  let pendingJoin = '';
  for (let i = 0; i <= metadata.joins.length; i++) {
    const part = values[inputBlockId(i)]?.[INPUT_ACTION_ID]?.value ?? '';
    if (part !== '') {
      text += (text === '' ? '' : pendingJoin) + part;
      pendingJoin = '';
    }
    // An emptied input drops out; the widest break around it is kept.
    const join = metadata.joins[i] ?? '';
    if (join.length > pendingJoin.length) pendingJoin = join;
  }
  return {
    ref: metadata.ref,
    ...(metadata.origin ? { origin: metadata.origin } : {}),
    text,
    viewId: parsed.data.id,
    ...(parsed.data.hash ? { viewHash: parsed.data.hash } : {}),
  };
}

/**
 * Cuts text into inputs of at most PREFILL_PART_CHARS, between lines (inside a line only when one
 * line is longer than that). Blank lines at a cut go into the join rather than into an input, where
 * they would be hard to see; joining parts and joins gives the text back exactly.
 */
export function splitPrefill(text: string): { parts: string[]; joins: string[] } {
  if ([...text].length <= PREFILL_PART_CHARS) return { parts: [text], joins: [] };
  const parts: string[] = [];
  const joins: string[] = [];
  let current: string | null = null;
  const push = (join: string) => {
    if (current !== null) {
      parts.push(current);
      joins.push(join);
    }
    current = null;
  };
  for (const line of text.split('\n')) {
    const candidate: string = current === null ? line : `${current}\n${line}`;
    if ([...candidate].length <= PREFILL_PART_CHARS) {
      current = candidate;
      continue;
    }
    push('\n');
    if ([...line].length <= PREFILL_PART_CHARS) {
      current = line;
      continue;
    }
    const chars = [...line];
    for (let at = 0; at < chars.length; at += PREFILL_PART_CHARS) {
      push('');
      current = chars.slice(at, at + PREFILL_PART_CHARS).join('');
    }
  }
  if (current !== null) parts.push(current);
  return moveBlankLinesIntoJoins(parts, joins);
}

function moveBlankLinesIntoJoins(parts: string[], joins: string[]): { parts: string[]; joins: string[] } {
  const out = [...parts];
  const outJoins = [...joins];
  for (let i = 0; i < outJoins.length; i++) {
    if (outJoins[i] === '') continue;
    while (out[i]!.endsWith('\n')) {
      out[i] = out[i]!.slice(0, -1);
      outJoins[i] += '\n';
    }
    while (out[i + 1]!.startsWith('\n')) {
      out[i + 1] = out[i + 1]!.slice(1);
      outJoins[i] += '\n';
    }
  }
  return { parts: out, joins: outJoins };
}
