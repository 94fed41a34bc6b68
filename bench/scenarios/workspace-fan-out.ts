import type { Team } from '../../src/report/definition.ts';
import { RATE_LIMITED_CODE } from '../../src/platforms/feishu/rate-limit.ts';
import type { BenchFeishuApi } from '../feishu-fake.ts';
import { feishuPromptRef } from '../feishu-fake.ts';
import type { BenchSlackApi } from '../slack-fake.ts';
import { promptRef, type FanOutMark } from './fan-out.ts';

/**
 * Scenario 7's bookkeeping: 20 teams of one workspace (one Slack token, one Feishu app) opening
 * in the same minute. What each fake received, per team, section and owner: prompts that arrived
 * more than once or never, and the throttled answers. The floor is every prompt sent at the
 * workspace's (or the app's) limit, back to back.
 */

export interface WorkspaceDelivery {
  prompts: number;
  sentMoreThanOnce: number;
  extraCopies: number;
  neverSent: number;
  /** 429 / 99991400 answers: the workspace's (app's) limit, and the per-channel (per-user) one. */
  workspaceThrottled: number;
  channelThrottled: number;
}

function tally(
  teams: readonly Team[],
  copiesOf: (team: Team, sectionId: string, owner: string) => number,
): Omit<WorkspaceDelivery, 'workspaceThrottled' | 'channelThrottled'> {
  let prompts = 0;
  let neverSent = 0;
  let sentMoreThanOnce = 0;
  let extraCopies = 0;
  for (const team of teams) {
    for (const section of team.definition.sections) {
      for (const owner of section.owners) {
        prompts += 1;
        const copies = copiesOf(team, section.id, owner);
        if (copies === 0) neverSent += 1;
        if (copies > 1) {
          sentMoreThanOnce += 1;
          extraCopies += copies - 1;
        }
      }
    }
  }
  return { prompts, neverSent, sentMoreThanOnce, extraCopies };
}

export function analyseSlackWorkspace(slack: BenchSlackApi, since: FanOutMark, teams: readonly Team[], week: string): WorkspaceDelivery {
  const calls = slack.fake.calls.slice(since.calls);
  const seen = new Map<string, number>();
  for (const call of calls) {
    if (call.method !== 'chat.postMessage' || call.outcome !== 'ok') continue;
    const ref = promptRef(call);
    if (!ref || ref.week !== week) continue;
    const key = `${String(call.args.channel)}|${ref.teamId}|${ref.sectionId}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const delivery = tally(
    teams,
    (team, sectionId, owner) => seen.get(`${slack.fake.dmChannelOf(team.definition.people[owner]!.slack!)}|${team.definition.id}|${sectionId}`) ?? 0,
  );
  return {
    ...delivery,
    workspaceThrottled: calls.filter((c) => c.method === 'chat.postMessage' && c.outcome === 'rate_limited').length,
    channelThrottled: slack.channelLimited - since.channelLimited,
  };
}

export interface FeishuMark {
  calls: number;
  appLimited: number;
}

export function markFeishu(feishu: BenchFeishuApi): FeishuMark {
  return { calls: feishu.fake.calls.length, appLimited: feishu.appLimited };
}

export function analyseFeishuWorkspace(feishu: BenchFeishuApi, since: FeishuMark, teams: readonly Team[], week: string): WorkspaceDelivery {
  const seen = new Map<string, number>();
  for (const message of feishu.fake.messages.values()) {
    const ref = feishuPromptRef(message);
    if (!ref || ref.week !== week) continue;
    const key = `${message.chat_id}|${ref.teamId}|${ref.sectionId}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const delivery = tally(
    teams,
    (team, sectionId, owner) => seen.get(`${feishu.fake.p2pChatOf(team.definition.people[owner]!.feishu!).chat_id}|${team.definition.id}|${sectionId}`) ?? 0,
  );
  return {
    ...delivery,
    workspaceThrottled: feishu.appLimited - since.appLimited,
    channelThrottled: feishu.fake.calls.slice(since.calls).filter((c) => c.code === RATE_LIMITED_CODE).length,
  };
}

/** Seconds for `calls` calls at most `perSecond` a second and `perMinute` a minute, back to back. */
export function feishuFloorSeconds(calls: number, perSecond: number, perMinute: number): number {
  const fullMinutes = Math.floor((calls - 1) / perMinute);
  const rest = calls - fullMinutes * perMinute;
  return fullMinutes * 60 + rest / perSecond;
}
