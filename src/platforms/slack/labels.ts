import type { Locale } from '../../report/locale.ts';

/**
 * The few words the Slack adapter shows on its own (button, modal, and what it says when a button
 * cannot open a form), in the team's locale, which the handlers put on what they send.
 */
export interface SlackLabels {
  /** The prompt's button. */
  write: string;
  submit: string;
  cancel: string;
  /** Label of one input of a prefill split over several. */
  part: (title: string, index: number, total: number) => string;
  /** Shown above the inputs of a split prefill. */
  splitHint: string;
  /** views.open failed (usually the trigger expired): say what to do instead. */
  formFailed: string;
  /** Ends a preview (or any long answer) cut to fit Slack: it never stops silently. */
  shortened: string;
  /** Ends a message cut at Slack's 50 blocks, naming the headings that did not fit. */
  cut: (hiddenHeadings: string[]) => string;
}

const zh: SlackLabels = {
  write: '填写',
  submit: '提交',
  cancel: '取消',
  part: (title, index, total) => `${title}（${index + 1}/${total}）`,
  splitHint: 'Slack 的输入框每个最多 3,000 字，内容分成了几段；提交时会按顺序合并。',
  formFailed: '表单没能打开，请再点一次“填写”，或直接在提示消息的话题中回复。',
  shortened: '…（预览已截断：每个部分只显示开头，完整内容见周报文件）',
  cut: (hidden) => `…（预览已截断，完整内容见周报文件${hidden.length > 0 ? `；未显示：${hidden.join('、')}` : ''}）`,
};

const en: SlackLabels = {
  write: 'Write',
  submit: 'Submit',
  cancel: 'Cancel',
  part: (title, index, total) => `${title} (${index + 1}/${total})`,
  splitHint: 'Slack allows 3,000 characters per box, so the text is split over several; they are joined in order when you submit.',
  formFailed: 'The form could not be opened. Press “Write” again, or reply in the prompt’s thread.',
  shortened: '… (preview shortened: each section shows its beginning; the full text is in the report file)',
  cut: (hidden) => `… (preview shortened; the full text is in the report file${hidden.length > 0 ? `; not shown: ${hidden.join(', ')}` : ''})`,
};

export function labelsFor(locale: Locale): SlackLabels {
  return locale === 'en' ? en : zh;
}
