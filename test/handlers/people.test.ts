import { describe, expect, it } from 'vitest';
import { peopleNames, personKeyOf, reachOf } from '../../handlers/people.ts';
import { loadTeamReportById } from '../../src/config/definitions.ts';
import { parseReply } from '../../src/report/parse/index.ts';
import type { BotContext } from '../../handlers/context.ts';

describe('people of a team across platforms', () => {
  it('finds a person by their id on the platform an event came from', async () => {
    const { definition } = await loadTeamReportById('payments-weekly');
    expect(personKeyOf(definition, { platform: 'slack', userId: 'U0000000004' })).toBe('owner-o1');
    expect(personKeyOf(definition, { platform: 'feishu', userId: 'ou_placeholder_4' })).toBe('owner-o1');
    expect(personKeyOf(definition, { platform: 'console', userId: 'owner-o1' })).toBe('owner-o1');
    expect(personKeyOf(definition, { platform: 'slack', userId: 'ou_placeholder_4' })).toBeNull();
  });

  it('turns a Slack mention of a team member into their name in the parsed reply', async () => {
    const { definition } = await loadTeamReportById('payments-weekly');
    const o1 = definition.sections.find((s) => s.id === 'o1')!;
    const parsed = parseReply({ source: 'slack-text', text: '• 与 <@U0000000005> 对齐路由方案' }, o1, { userNames: peopleNames(definition, 'slack') });
    expect(parsed).toEqual({ ok: true, content: { kind: 'list', items: [{ text: '与 @Owner O2 对齐路由方案', children: [] }] } });
  });

  it('reaches a person on the first running platform they have an id on', async () => {
    const team = await loadTeamReportById('payments-weekly');
    const ctx = (platforms: string[]) => ({ platforms: Object.fromEntries(platforms.map((p) => [p, {}])) }) as unknown as BotContext;
    expect(reachOf(ctx(['slack', 'feishu']), team.definition, 'owner-o1')).toEqual({ platform: 'slack', userId: 'U0000000004' });
    expect(reachOf(ctx(['feishu']), team.definition, 'owner-o1')).toEqual({ platform: 'feishu', userId: 'ou_placeholder_4' });
    expect(reachOf(ctx([]), team.definition, 'owner-o1')).toBeNull();
  });
});
