import { describe, expect, it } from 'vitest';
import type { ListItem } from '../../../src/report/model.ts';
import { parseReply } from '../../../src/report/parse/index.ts';

const section = { kind: 'list', title: '【贝易转】', notePrefixes: [] } as const;

function items(text: string): ListItem[] {
  const result = parseReply({ source: 'text', text }, section);
  if (!result.ok) throw new Error(result.error.message);
  if (result.content.kind !== 'list') throw new Error(`expected a list, got ${result.content.kind}`);
  return result.content.items;
}

const leaf = (text: string): ListItem => ({ text, children: [] });
const node = (text: string, ...children: ListItem[]): ListItem => ({ text, children });

const nested = [node('业务侧：', leaf('省心租开发进度正常'), leaf('整装近期产研资源紧张')), node('银行侧：', leaf('工行对接接口细节沟通完毕'))];

describe('list items', () => {
  it.each([
    ['2-space', '  '],
    ['3-space', '   '],
    ['4-space', '    '],
    ['tab', '\t'],
    ['full-width-space', '\u3000\u3000'],
  ])('nests items typed with %s indentation', (_name, unit) => {
    const text = `1. 业务侧：\n${unit}- 省心租开发进度正常\n${unit}- 整装近期产研资源紧张\n2. 银行侧：\n${unit}- 工行对接接口细节沟通完毕`;
    expect(items(text)).toEqual(nested);
  });

  it('nests by relative indentation: any line indented more than its parent is its child', () => {
    expect(items('- a\n   - b\n         - c\n   - d\n- e')).toEqual([node('a', node('b', leaf('c')), leaf('d')), leaf('e')]);
  });

  it('nests three levels deep', () => {
    expect(items('1. a\n    - b\n        - c')).toEqual([node('a', node('b', leaf('c')))]);
  });

  it('closes a nested list when a line comes back to a shallower indentation that matches no open item', () => {
    expect(items('- a\n    - b\n  - c')).toEqual([node('a', leaf('b'), leaf('c'))]);
  });

  it.each([
    ['-', '- '],
    ['*', '* '],
    ['+', '+ '],
    ['•', '• '],
    ['◦', '◦ '],
    ['▪', '▪ '],
    ['·', '· '],
    ['1.', 'N. '],
    ['1)', 'N) '],
    ['1、', 'N、'],
    ['（1）', '（N）'],
    ['(1)', '(N) '],
    ['①', 'C '],
    ['1．', 'N．'],
    ['１.', 'F. '],
  ])('reads items marked with %s', (_name, pattern) => {
    const circled = ['①', '②', '③'];
    const fullWidth = ['１', '２', '３'];
    const lines = ['明星项目及目标评价修正', '聚合支付商业计划更新', 'AI布道师二期授课准备'].map(
      (text, i) =>
        pattern
          .replace('N', String(i + 1))
          .replace('C', circled[i] ?? '')
          .replace('F', fullWidth[i] ?? '') + text,
    );
    expect(items(lines.join('\n'))).toEqual([leaf('明星项目及目标评价修正'), leaf('聚合支付商业计划更新'), leaf('AI布道师二期授课准备')]);
  });

  it('drops the owner numbering, even when it restarts or skips', () => {
    expect(items('3. a\n1. b\n7. c')).toEqual([leaf('a'), leaf('b'), leaf('c')]);
  });

  it('reads plain lines without markers as one item each, as people type in chat', () => {
    expect(items('明星项目及目标评价修正\n聚合支付商业计划更新')).toEqual([leaf('明星项目及目标评价修正'), leaf('聚合支付商业计划更新')]);
  });

  it('keeps items separated by blank lines as siblings', () => {
    expect(items('1. a\n\n\n2. b\n\n3. c')).toEqual([leaf('a'), leaf('b'), leaf('c')]);
  });

  it('keeps a nested list across a blank line', () => {
    expect(items('1. a\n\n    - b\n\n    - c\n2. d')).toEqual([node('a', leaf('b'), leaf('c')), leaf('d')]);
  });

  it('joins an indented unmarked line to the item above, with nothing between Chinese characters', () => {
    expect(items('1. 工行对接接口细节\n   沟通完毕，下周进入产研流程')).toEqual([leaf('工行对接接口细节沟通完毕，下周进入产研流程')]);
  });

  it('joins an unindented line right after a marked item to it (a wrapped line), with a space between Latin words', () => {
    expect(items('- redis split for orderpay-api\ndone and released\n- next')).toEqual([leaf('redis split for orderpay-api done and released'), leaf('next')]);
  });

  it('joins an indented line to the item above even after a blank line', () => {
    expect(items('- 风控反洗钱迭代：排查中\n\n  进度90%')).toEqual([leaf('风控反洗钱迭代：排查中进度90%')]);
  });

  it('starts a new item for an unindented line after a blank line', () => {
    expect(items('- 明星项目\n\n聚合支付')).toEqual([leaf('明星项目'), leaf('聚合支付')]);
  });

  it('treats lines under a line ending with a colon as its items, not as its continuation', () => {
    expect(items('业务侧：\n    省心租开发进度正常\n    整装近期产研资源紧张')).toEqual([
      node('业务侧：', leaf('省心租开发进度正常'), leaf('整装近期产研资源紧张')),
    ]);
  });

  it('nests marked lines typed without indentation under a line ending with a colon', () => {
    expect(items('业务侧：\n- 省心租开发进度正常\n- 整装近期产研资源紧张\n银行侧：\n- 工行对接接口细节沟通完毕')).toEqual(nested);
  });

  it('nests bullets typed without indentation under the ordered item above them', () => {
    expect(items('1. 业务侧：\n- 省心租开发进度正常\n- 整装近期产研资源紧张\n2. 银行侧：\n- 工行对接接口细节沟通完毕')).toEqual(nested);
  });

  it('keeps bullets after a bullet at the same indentation as siblings', () => {
    expect(items('- 业务侧：\n- 省心租')).toEqual([leaf('业务侧：'), leaf('省心租')]);
  });

  it('drops a marker typed with nothing after it; its children take its place', () => {
    expect(items('- a\n-\n- b')).toEqual([leaf('a'), leaf('b')]);
    expect(items('- a\n    -\n        - b')).toEqual([node('a', leaf('b'))]);
  });

  it('keeps inline code and Markdown as typed', () => {
    expect(items('2. 机房双活：`orderpay-api`和`pay-core`中间件 **投产**')).toEqual([leaf('机房双活：`orderpay-api`和`pay-core`中间件 **投产**')]);
  });

  it('reads CRLF replies with a BOM like LF ones', () => {
    const text = '1. 业务侧：\n   - 省心租开发进度正常\n   - 整装近期产研资源紧张\n2. 银行侧：\n   - 工行对接接口细节沟通完毕\n';
    expect(items(`\uFEFF${text.replaceAll('\n', '\r\n')}`)).toEqual(nested);
    expect(items(text.replaceAll('\n', '\r'))).toEqual(nested);
  });

  it('reads a., b. under a numbered item as its children, and the next number as its sibling', () => {
    expect(items('1. 业务侧\na. 省心租\nb. 整装\n2. 银行侧\nA) 工行')).toEqual([node('业务侧', leaf('省心租'), leaf('整装')), node('银行侧', leaf('工行'))]);
  });

  it('reads i., ii. under a numbered item as its children too, even after a blank line', () => {
    expect(items('1. 上线步骤\n\ni. 灰度\nii. 全量')).toEqual([node('上线步骤', leaf('灰度'), leaf('全量'))]);
  });

  it('reads lettered items on their own as items, and indented ones as children', () => {
    expect(items('a. 省心租\nb. 整装')).toEqual([leaf('省心租'), leaf('整装')]);
    expect(items('- 业务侧\n    a. 省心租\n        - 细节')).toEqual([node('业务侧', node('省心租', leaf('细节')))]);
  });

  it('keeps a bullet after a blank line beside the ordered item above, as Markdown does', () => {
    expect(items('1. a\n2. b\n\n- c')).toEqual([leaf('a'), leaf('b'), leaf('c')]);
    expect(items('1. 业务侧：\n\n- 省心租')).toEqual([node('业务侧：', leaf('省心租'))]);
  });

  it('reads a quote as an item of its own per paragraph, without the ">", never glued to the item above', () => {
    expect(items('1. 跟进银企迁移\n> 网络配置\n> 等待中\n>\n> 下周完成\n2. 机房双活')).toEqual([
      leaf('跟进银企迁移'),
      leaf('网络配置等待中'),
      leaf('下周完成'),
      leaf('机房双活'),
    ]);
  });

  it('reads a code block as one item keeping its fences and lines, closing it when left open', () => {
    expect(items('1. 回滚命令\n```\nkubectl rollout undo\n  --to-revision=3\n```\n2. 已验证')).toEqual([
      leaf('回滚命令'),
      leaf('```\nkubectl rollout undo\n  --to-revision=3\n```'),
      leaf('已验证'),
    ]);
    expect(items('- 日志\n~~~~\nERROR 1\n\n')).toEqual([leaf('日志'), leaf('~~~~\nERROR 1\n~~~~')]);
  });

  it('nests a code block indented under an item as its child', () => {
    expect(items('1. 回滚命令\n    ```\n    kubectl rollout undo\n    ```')).toEqual([node('回滚命令', leaf('```\nkubectl rollout undo\n```'))]);
  });
});
