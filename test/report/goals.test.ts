import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { DEFAULT_TEMPLATES_DIR, loadTeamById } from '../../src/config/definitions.ts';
import { compileReport, type SectionAnswer } from '../../src/report/compile.ts';
import { DefinitionError, parseTeamDefinition, type Team } from '../../src/report/definition.ts';
import { foldGoalMarks, goalReviewOf, goalsOf, type GoalReview } from '../../src/report/goals.ts';
import { renderGoalReviews } from '../../src/report/goals-markdown.ts';
import { parseReply } from '../../src/report/parse/index.ts';
import { readRepliesDir } from '../../src/seed/replies-dir.ts';
import { PLATFORM_MODULES } from '../../src/platforms/modules.ts';
import { documentLines, EXPECTED_MD, REFERENCE_CREATED, SEEDS_DIR } from '../support/golden.ts';

async function referenceRaw(): Promise<Record<string, unknown> & { sections: Record<string, unknown>[] }> {
  return YAML.parse(await readFile(path.join(DEFAULT_TEMPLATES_DIR, 'payments-weekly.yaml'), 'utf8')) as Record<string, unknown> & {
    sections: Record<string, unknown>[];
  };
}

function definitionError(raw: unknown): string {
  try {
    parseTeamDefinition(raw, 'templates/x.yaml', PLATFORM_MODULES);
  } catch (error) {
    expect(error).toBeInstanceOf(DefinitionError);
    return (error as Error).message;
  }
  throw new Error('expected a DefinitionError');
}

async function seedAnswers(team: Team): Promise<SectionAnswer[]> {
  const { replies } = await readRepliesDir(SEEDS_DIR, team.definition);
  return replies.map((reply) => {
    const section = team.definition.sections.find((s) => s.id === reply.sectionId)!;
    const parsed = parseReply({ source: 'text', text: reply.text }, section);
    if (!parsed.ok) throw new Error(`${reply.file}: ${parsed.error.message}`);
    return { sectionId: reply.sectionId, owner: reply.owner, content: parsed.content };
  });
}

const list = (...texts: string[]) => ({ kind: 'list' as const, items: texts.map((text) => ({ text, children: [] })) });

/** The reference's goals (seeds/2024-W23/next-week.md) as reviewed the week after. */
async function reviewedReferenceGoals(team: Team): Promise<GoalReview> {
  const nextWeek = team.definition.sections.find((s) => s.id === 'next-week')!;
  const goals = goalsOf(nextWeek, await seedAnswers(team));
  const states = foldGoalMarks([
    {
      marks: [
        { goal: 1, status: 'done', note: '' },
        { goal: 2, status: 'in-progress', note: '等待评审' },
      ],
    },
    { marks: [{ goal: 3, status: 'dropped', note: '优先级调整' }] },
  ]);
  return goalReviewOf(nextWeek, '2024-W23', goals, states);
}

describe('goals in the team definition', () => {
  it('marks the payments next-week section as goals reviewed in 收获与反思', async () => {
    const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    expect(team.definition.sections.find((s) => s.id === 'next-week')?.goals).toEqual({ reviewIn: 'reflections' });
  });

  it('names the file and path when reviewIn is not a section', async () => {
    const raw = await referenceRaw();
    raw.sections.at(-1)!.goals = { reviewIn: 'summary' };
    expect(definitionError(raw)).toContain('templates/x.yaml: sections[11].goals.reviewIn: expected the id of a section (beiyizhuan, ');
    expect(definitionError(raw)).toContain('got "summary"');
  });

  it('refuses goals on a section that is not a list', async () => {
    const raw = await referenceRaw();
    raw.sections.find((s) => s.id === 'metrics')!.goals = { reviewIn: 'reflections' };
    expect(definitionError(raw)).toContain('templates/x.yaml: sections[7].goals: goals are the items of a list section; "metrics" is kind text');
  });

  it('refuses a section that would review two goals sections, since 目标 1 must name one goal', async () => {
    const raw = await referenceRaw();
    raw.sections.find((s) => s.id === 'other')!.goals = { reviewIn: 'reflections' };
    expect(definitionError(raw)).toContain('sections[11].goals.reviewIn: section "reflections" already reviews the goals of "other"');
  });

  it('refuses unknown keys under goals', async () => {
    const raw = await referenceRaw();
    raw.sections.at(-1)!.goals = { reviewIn: 'reflections', review: 'weekly' };
    expect(definitionError(raw)).toContain('sections[11].goals');
  });
});

describe('goals and their review', () => {
  it('numbers last week’s goals as the report printed them, owners merged, an empty item replaced by its children', async () => {
    const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    const other = { ...team.definition.sections.find((s) => s.id === 'other')!, goals: { reviewIn: 'reflections' } };
    const answers: SectionAnswer[] = [
      { sectionId: 'other', owner: 'owner-o2', content: list('C') },
      {
        sectionId: 'other',
        owner: 'lead',
        content: {
          kind: 'list',
          items: [
            { text: 'A', children: [] },
            { text: ' ', children: [{ text: 'B', children: [] }] },
          ],
        },
      },
      { sectionId: 'o1', owner: 'owner-o1', content: list('not a goal') },
    ];
    expect(goalsOf(other, answers)).toEqual([
      { number: 1, text: 'A' },
      { number: 2, text: 'B' },
      { number: 3, text: 'C' },
    ]);
  });

  it('applies marks in order: a later mark wins, a mark without a note keeps the earlier note, an empty note clears it', () => {
    const states = foldGoalMarks([
      {
        marks: [
          { goal: 1, status: 'in-progress', note: '等待评审' },
          { goal: 2, status: 'in-progress', note: '卡在联调' },
        ],
      },
      // A checklist menu carries no note.
      { marks: [{ goal: 1, status: 'done' }] },
      // A typed line without a note says there is none.
      { marks: [{ goal: 2, status: 'done', note: '' }] },
    ]);
    expect(Object.fromEntries(states)).toEqual({ 1: { status: 'done', note: '等待评审' }, 2: { status: 'done' } });
  });
});

describe('{{goals.review}} in a layout', () => {
  const REVIEW_LAYOUT = '# {{title}}\n\n{{sections}}\n\n{{#if goals.review}}# 上周目标回顾\n\n{{goals.review}}{{/if}}\n';

  it('compiles the 2024-W23 reference byte-identically with goals configured, with or without a review, in the payments layout', async () => {
    const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    const answers = await seedAnswers(team);
    const withoutGoals: Team = { ...team, definition: { ...team.definition, sections: team.definition.sections.map(({ goals: _goals, ...s }) => s) } };
    const plain = compileReport({ team: withoutGoals, week: '2024-W23', createdAt: REFERENCE_CREATED, answers });
    const configured = compileReport({ team, week: '2024-W23', createdAt: REFERENCE_CREATED, answers });
    const reviewed = compileReport({ team, week: '2024-W23', createdAt: REFERENCE_CREATED, answers, goalReviews: [await reviewedReferenceGoals(team)] });
    expect(configured.markdown).toBe(plain.markdown);
    expect(reviewed.markdown).toBe(plain.markdown);
    expect(documentLines(configured.markdown)).toEqual(documentLines(EXPECTED_MD));
  });

  it('prints each goal with its state where the layout says, and nothing when no goal was reviewed', async () => {
    const payments = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    const team: Team = { ...payments, layout: REVIEW_LAYOUT };
    const review = await reviewedReferenceGoals(payments);
    const reviewed = compileReport({ team, week: '2024-W24', createdAt: REFERENCE_CREATED, answers: [], goalReviews: [review] });
    expect(
      reviewed.markdown.endsWith(
        [
          '# 上周目标回顾',
          '',
          '1. 支付安全方案设计与内部评审 —— ✅ 完成',
          '2. 银行体系账户子户模型的改进 —— 🔄 进行中：等待评审',
          '3. 聚合支付商业计划更新 —— ❌ 放弃：优先级调整',
          '4. AI影像数字化（DocAI）沟通以及下阶段计划 —— ⬜ 未回顾',
          '5. 54321计划项目进度跟进 —— ⬜ 未回顾',
          '',
        ].join('\n'),
      ),
    ).toBe(true);

    const unreviewed = { ...review, goals: review.goals.map(({ state: _state, ...goal }) => goal) };
    const none = compileReport({ team, week: '2024-W24', createdAt: REFERENCE_CREATED, answers: [], goalReviews: [unreviewed] });
    expect(none.markdown).not.toContain('上周目标回顾');
    expect(compileReport({ team, week: '2024-W24', createdAt: REFERENCE_CREATED, answers: [] }).markdown).toBe(none.markdown);
  });

  it('prints a goal’s text and note as data: what an owner typed cannot open a heading or close the list', () => {
    const review: GoalReview = {
      sectionId: 'next-week',
      goalsWeek: '2024-W23',
      goals: [{ number: 1, text: '上线 {{title}}', state: { status: 'in-progress', note: '# 不是标题\n---' } }],
    };
    const block = renderGoalReviews([review], 'zh-CN');
    expect(block).toContain('1. 上线 {{title}} —— 🔄 进行中：# 不是标题');
    expect(
      block
        .split('\n')
        .slice(1)
        .every((line) => /^ {3}\\/.test(line)),
    ).toBe(true);
  });

  it('reads in English for an English team', () => {
    const review: GoalReview = {
      sectionId: 'next',
      goalsWeek: '2024-W23',
      goals: [
        { number: 1, text: 'Ship refunds v2', state: { status: 'dropped', note: 'reprioritised' } },
        { number: 2, text: 'Hire' },
      ],
    };
    expect(renderGoalReviews([review], 'en')).toBe('1. Ship refunds v2 — ❌ dropped: reprioritised\n2. Hire — ⬜ not reviewed');
  });
});
