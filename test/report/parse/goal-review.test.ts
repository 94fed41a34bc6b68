import { describe, expect, it } from 'vitest';
import { looksLikeGoalReview, MAX_GOAL_NOTE_CHARS, parseGoalReview } from '../../../src/report/parse/goal-review.ts';

const zh = { goalCount: 5, locale: 'zh-CN' as const };
const en = { goalCount: 5, locale: 'en' as const };

const marksOf = (text: string, options = zh) => {
  const parsed = parseGoalReview(text, options);
  if (parsed.kind !== 'marks') throw new Error(`expected marks, got ${JSON.stringify(parsed)}`);
  return parsed.marks;
};

describe('a goal review typed in chat', () => {
  it('reads the three examples, one goal per line', () => {
    expect(marksOf('目标 1 完成\n目标 2 进行中 等待评审\ngoal 3 dropped: reason')).toEqual([
      { goal: 1, status: 'done', note: '' },
      { goal: 2, status: 'in-progress', note: '等待评审' },
      { goal: 3, status: 'dropped', note: 'reason' },
    ]);
  });

  it.each([
    ['目标1完成', { goal: 1, status: 'done', note: '' }],
    ['目标１：已完成。', { goal: 1, status: 'done', note: '' }],
    ['- 目标 2：进行中（等待评审）', { goal: 2, status: 'in-progress', note: '等待评审' }],
    ['2. 目标2 推进中，卡在联调', { goal: 2, status: 'in-progress', note: '卡在联调' }],
    ['目标 #3 放弃：优先级调整', { goal: 3, status: 'dropped', note: '优先级调整' }],
    ['目标3 部分完成 剩余接口', { goal: 3, status: 'in-progress', note: '剩余接口' }],
    ['Goal 4 In Progress - waiting on review', { goal: 4, status: 'in-progress', note: 'waiting on review' }],
    ['goal 5 done.', { goal: 5, status: 'done', note: '' }],
    ['  目标 5 ✅', { goal: 5, status: 'done', note: '' }],
    ['目标 4 ❌ 不做了', { goal: 4, status: 'dropped', note: '不做了' }],
  ])('reads %j', (line, mark) => {
    expect(marksOf(line)).toEqual([mark]);
  });

  it('keeps the later line when a goal is named twice, and skips blank lines', () => {
    expect(marksOf('目标 1 进行中\n\n目标 2 完成\n目标 1 完成 已上线')).toEqual([
      { goal: 2, status: 'done', note: '' },
      { goal: 1, status: 'done', note: '已上线' },
    ]);
  });

  it('is not a review unless every line starts with 目标 / goal and a number: an ordinary answer stays an answer', () => {
    for (const text of ['1. 支付安全方案设计与内部评审', '本周目标 1 完成了一半', '目标 1 完成\n另外，下周继续跟进', '', '目标达成']) {
      expect(parseGoalReview(text, zh)).toEqual({ kind: 'not-a-review' });
    }
    expect(looksLikeGoalReview('\n目标 1 完成')).toBe(true);
    expect(looksLikeGoalReview('收获：目标 1 完成')).toBe(false);
  });

  it('refuses a status it cannot read, quoting the line and saying what to type', () => {
    const parsed = parseGoalReview('目标 1 完成\n目标 2 完成率 80%', zh);
    expect(parsed).toMatchObject({ kind: 'refused', lineNumber: 2, line: '目标 2 完成率 80%' });
    expect(parsed.kind === 'refused' && parsed.message).toBe(
      '第 2 行（“目标 2 完成率 80%”）：目标编号后面请写 完成、进行中 或 放弃（也可以写 done / in progress / dropped），再写备注（可选），例如 “目标 2 进行中 等待评审”。',
    );
  });

  it('refuses a goal number past last week’s goals', () => {
    const parsed = parseGoalReview('目标 7 完成', zh);
    expect(parsed.kind === 'refused' && parsed.message).toBe('第 1 行（“目标 7 完成”）：上周只有 5 个目标，没有目标 7。');
    expect(parseGoalReview('goal 0 done', en)).toMatchObject({
      kind: 'refused',
      message: 'line 1 (“goal 0 done”): there were 5 goals last week, so there is no goal 0.',
    });
  });

  it('refuses a note longer than a remark', () => {
    const parsed = parseGoalReview(`goal 1 done ${'x'.repeat(MAX_GOAL_NOTE_CHARS + 1)}`, en);
    expect(parsed).toMatchObject({ kind: 'refused', lineNumber: 1 });
    expect(parsed.kind === 'refused' && parsed.message).toContain(`longer than ${MAX_GOAL_NOTE_CHARS} characters`);
  });
});
