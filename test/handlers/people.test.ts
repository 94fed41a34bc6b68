import { describe, expect, it } from 'vitest';
import { peopleNames, personKeyOf, reachOf } from '../../handlers/owners/people.ts';
import { loadTeamById } from '../../src/config/definitions.ts';
import { parseReply } from '../../src/report/parse/index.ts';
import type { BotContext } from '../../src/bot/context.ts';
import { PLATFORM_MODULES } from '../../src/platforms/modules.ts';
import { wireInput } from '../support/wire-input.ts';

/** A context with the real platform modules, of which only the given ones are running. */
const ctx = (platforms: string[]) => ({ modules: PLATFORM_MODULES, platforms: Object.fromEntries(platforms.map((p) => [p, {}])) }) as unknown as BotContext;

describe('people of a team across platforms', () => {
  it('finds a person by their id on the platform an event came from', async () => {
    const { definition } = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    expect(personKeyOf(ctx([]), definition, { platform: 'slack', userId: 'U0000000004' })).toBe('owner-o1');
    expect(personKeyOf(ctx([]), definition, { platform: 'feishu', userId: 'ou_placeholder_4' })).toBe('owner-o1');
    expect(personKeyOf(ctx([]), definition, { platform: 'console', userId: 'owner-o1' })).toBe('owner-o1');
    expect(personKeyOf(ctx([]), definition, { platform: 'slack', userId: 'ou_placeholder_4' })).toBeNull();
  });

  it('turns a Slack mention of a team member into their name in the parsed reply', async () => {
    const { definition } = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    const o1 = definition.sections.find((s) => s.id === 'o1')!;
    const parsed = parseReply(wireInput({ source: 'slack-text', text: '• 与 <@U0000000005> 对齐路由方案' }, peopleNames(ctx([]), definition, 'slack')), o1);
    expect(parsed).toEqual({ ok: true, content: { kind: 'list', items: [{ text: '与 @Owner O2 对齐路由方案', children: [] }] } });
  });

  it('reaches a person on the first running platform they have an id on', async () => {
    const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    expect(reachOf(ctx(['slack', 'feishu']), team.definition, 'owner-o1')).toEqual({ platform: 'slack', userId: 'U0000000004' });
    expect(reachOf(ctx(['feishu']), team.definition, 'owner-o1')).toEqual({ platform: 'feishu', userId: 'ou_placeholder_4' });
    expect(reachOf(ctx([]), team.definition, 'owner-o1')).toBeNull();
  });
});
