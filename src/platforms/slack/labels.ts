/**
 * The few words the Slack adapter shows on its own (button, modal, and what it says when a button
 * cannot open a form), in the team's locale when the message carries it; otherwise the language
 * follows the message the words go with: Chinese when it contains CJK characters, English otherwise.
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
  /** The button was pressed by someone who does not own the section (or the section is gone). */
  notYourSection: string;
  /** views.open failed (usually the trigger expired): say what to do instead. */
  formFailed: string;
}

const zh: SlackLabels = {
  write: '填写',
  submit: '提交',
  cancel: '取消',
  part: (title, index, total) => `${title}（${index + 1}/${total}）`,
  splitHint: 'Slack 的输入框每个最多 3,000 字，内容分成了几段；提交时会按顺序合并。',
  notYourSection: '这个部分不由你负责，表单没有打开。如有疑问，请联系周报负责人。',
  formFailed: '表单没能打开，请再点一次“填写”，或直接在提示消息的话题中回复。',
};

const en: SlackLabels = {
  write: 'Write',
  submit: 'Submit',
  cancel: 'Cancel',
  part: (title, index, total) => `${title} (${index + 1}/${total})`,
  splitHint: 'Slack allows 3,000 characters per box, so the text is split over several; they are joined in order when you submit.',
  notYourSection: 'You don’t own this section, so the form was not opened. Ask the report’s lead if this looks wrong.',
  formFailed: 'The form could not be opened. Press “Write” again, or reply in the prompt’s thread.',
};

const CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/u;

export function labelsFor(sample: string, locale?: 'zh-CN' | 'en'): SlackLabels {
  if (locale) return locale === 'en' ? en : zh;
  return CJK.test(sample) ? zh : en;
}
