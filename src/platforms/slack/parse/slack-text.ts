import type { ReplyTextOptions } from '../../../report/parse/reply-input.ts';

/**
 * A Slack message's `text` field (mrkdwn) as plain text. Slack writes mentions, channels and links as
 * `<…>` tokens and escapes `&`, `<`, `>` in everything else
 * (https://docs.slack.dev/messaging/formatting-message-text#escaping).
 * Broadcasts (`<!here>`, `<!channel>`, `<!everyone>`) become `@here` etc., which the parser rejects:
 * they are turned into text, never dropped, so the owner is told to remove them.
 * Emphasis (`*bold*`, `_italic_`) is left as typed.
 */
export function slackTextToPlain(text: string, options: ReplyTextOptions = {}): string {
  // One pass over tokens and escapes, so `&amp;lt;` becomes `&lt;` as the owner typed it, not `<`.
  const plain = text.replace(/<([^<>\n]*)>|&(amp|lt|gt);/g, (_match, inner: string | undefined, entity: string | undefined) =>
    inner === undefined ? unescape(`&${entity ?? ''};`) : readToken(inner, options),
  );
  return fenceCodeBlocks(plain);
}

/**
 * Slack writes a code block's fences on its first and last lines (```` ```GET /health ````, ```` 200 OK``` ````),
 * where Markdown would read the first line as a language name and never see the block close: each
 * fence goes on a line of its own. A block on one line is inline code in Markdown and stays as it is.
 */
function fenceCodeBlocks(text: string): string {
  return text.replace(/```([^`][\s\S]*?)```/g, (whole: string, inner: string, offset: number) => {
    if (!inner.includes('\n')) return whole;
    const body = inner.replace(/^\n/, '').replace(/\n$/, '');
    const before = offset > 0 && text[offset - 1] !== '\n' ? '\n' : '';
    const next = text[offset + whole.length];
    const after = next !== undefined && next !== '\n' ? '\n' : '';
    return `${before}\`\`\`\n${body}\n\`\`\`${after}`;
  });
}

function readToken(inner: string, options: ReplyTextOptions): string {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : inner.slice(bar + 1);
  switch (target[0]) {
    case '@': {
      const id = target.slice(1);
      return `@${options.userNames?.[id] ?? (label === undefined ? id : unescape(label))}`;
    }
    case '#':
      return `#${label === undefined ? target.slice(1) : unescape(label)}`;
    case '!': {
      // `<!subteam^S123|@payments>`, `<!date^1717486440^{date}|Jun 4>`: the label is what people saw.
      const command = target.slice(1).split('^')[0] ?? '';
      if (label && !['here', 'channel', 'everyone'].includes(command)) return unescape(label);
      return `@${command}`;
    }
    default:
      if (label === undefined || label === '' || unescape(label) === unescape(target)) return unescape(target);
      return `[${unescape(label)}](${unescape(target)})`;
  }
}

function unescape(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_m, name: string) => ({ amp: '&', lt: '<', gt: '>' })[name] ?? _m);
}
