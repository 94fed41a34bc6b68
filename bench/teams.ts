import { parseTeamDefinition, type Team } from '../src/report/definition.ts';
import type { SectionAnswer } from '../src/report/compile.ts';
import type { ListItem } from '../src/report/model.ts';
import { PLATFORM_MODULES } from '../src/platforms/modules.ts';

/**
 * Synthetic teams, built in code and validated like a templates/ file. Every process of the
 * bench builds them from the same numbers, so the load generator and the bot agree on who owns
 * what without sharing files.
 */

export const BENCH_LAYOUT = '# {{title}}\n\nCreated: {{created}}\n\n{{sections}}\n';
export const BENCH_TIME_ZONE = 'Asia/Shanghai';

export interface SyntheticTeamSpec {
  id: string;
  /** Owners, each owning `sectionsPerOwner` sections of their own. */
  owners: number;
  sectionsPerOwner?: number;
  /** Slack user id of owner n is `${userPrefix}${n}` (5 digits); the lead's is `${userPrefix}LEAD`. */
  userPrefix: string;
  /** The report channel, e.g. C0BENCH01. */
  channel: string;
  /** On Feishu too: owner n's open_id is `${userPrefix}${n}` (5 digits), the lead's `${userPrefix}lead`; the report's chat. */
  feishu?: { userPrefix: string; chatId: string };
}

export interface BenchTeams {
  /** The teams that receive replies and commands (scenarios 1 and 2). */
  ingest: Team[];
  /** The team whose owners are prompted (scenario 3). */
  fanOut: Team;
  /** Teams of one workspace (and one Feishu app) that open in the same minute (scenario 7). */
  workspace: Team[];
}

export interface BenchTeamSizes {
  ingestTeams: number;
  /** Owners across all ingest teams, split evenly. */
  ingestOwners: number;
  fanOutOwners: number;
  fanOutSectionsPerOwner: number;
  workspaceTeams: number;
  /** Owners per workspace team. */
  workspaceOwners: number;
}

export function ownerSlackId(userPrefix: string, n: number): string {
  return `${userPrefix}${String(n).padStart(5, '0')}`;
}

export function leadSlackId(userPrefix: string): string {
  return `${userPrefix}LEAD`;
}

export function syntheticTeam(spec: SyntheticTeamSpec): Team {
  const perOwner = spec.sectionsPerOwner ?? 1;
  const feishu = spec.feishu;
  const people: Record<string, { name: string; slack: string; feishu?: string }> = {
    lead: { name: 'Lead', slack: leadSlackId(spec.userPrefix), ...(feishu ? { feishu: `${feishu.userPrefix}lead` } : {}) },
  };
  const sections: Record<string, unknown>[] = [];
  for (let n = 1; n <= spec.owners; n++) {
    const owner = `owner-${n}`;
    people[owner] = { name: `Owner ${n}`, slack: ownerSlackId(spec.userPrefix, n), ...(feishu ? { feishu: ownerSlackId(feishu.userPrefix, n) } : {}) };
    for (let k = 1; k <= perOwner; k++) {
      const id = perOwner === 1 ? `s${n}` : `s${n}-${k}`;
      sections.push({ id, title: `【Section ${id}】`, kind: 'list', heading: 'h2', owners: [owner] });
    }
  }
  const definition = parseTeamDefinition(
    {
      id: spec.id,
      name: `Bench ${spec.id}`,
      locale: 'en',
      timeZone: BENCH_TIME_ZONE,
      layout: 'bench-layout.md',
      post: { slack: { channel: spec.channel }, ...(feishu ? { feishu: { chatId: feishu.chatId } } : {}) },
      schedule: { open: { day: 'monday', time: '09:00' }, remind: { day: 'thursday', time: '16:00' }, publish: { day: 'friday', time: '17:00' } },
      people,
      leads: ['lead'],
      sections,
    },
    `bench:${spec.id}`,
    PLATFORM_MODULES,
  );
  return { definition, layout: BENCH_LAYOUT, source: `bench:${spec.id}` };
}

export function ingestTeamSpecs(sizes: BenchTeamSizes): SyntheticTeamSpec[] {
  const specs: SyntheticTeamSpec[] = [];
  let left = sizes.ingestOwners;
  for (let t = 1; t <= sizes.ingestTeams; t++) {
    const owners = Math.ceil(left / (sizes.ingestTeams - t + 1));
    left -= owners;
    specs.push({ id: `bench-ingest-${t}`, owners, userPrefix: `UI${t}X`, channel: `C0BENCHI${t}` });
  }
  return specs;
}

export function fanOutTeamSpec(sizes: BenchTeamSizes): SyntheticTeamSpec {
  return { id: 'bench-fan-out', owners: sizes.fanOutOwners, sectionsPerOwner: sizes.fanOutSectionsPerOwner, userPrefix: 'UFX', channel: 'C0BENCHF1' };
}

export function workspaceTeamSpecs(sizes: BenchTeamSizes): SyntheticTeamSpec[] {
  return Array.from({ length: sizes.workspaceTeams }, (_, i) => ({
    id: `bench-workspace-${i + 1}`,
    owners: sizes.workspaceOwners,
    userPrefix: `UW${i + 1}X`,
    channel: `C0BENCHW${i + 1}`,
    feishu: { userPrefix: `ou_bench_w${i + 1}x`, chatId: `oc_bench_w${i + 1}` },
  }));
}

export function benchTeams(sizes: BenchTeamSizes): BenchTeams {
  return {
    ingest: ingestTeamSpecs(sizes).map(syntheticTeam),
    fanOut: syntheticTeam(fanOutTeamSpec(sizes)),
    workspace: workspaceTeamSpecs(sizes).map(syntheticTeam),
  };
}

/** Every Feishu person of the teams, for the fake's directory. */
export function feishuUsersOf(teams: readonly Team[]): { open_id: string; name: string }[] {
  return teams.flatMap((t) => Object.values(t.definition.people).flatMap((p) => (p.feishu ? [{ open_id: p.feishu, name: p.name ?? p.feishu }] : [])));
}

/** Every Slack user of the teams, for the fake's directory (conversations.open checks it). */
export function slackUsersOf(teams: readonly Team[]): { id: string; name: string }[] {
  return teams.flatMap((t) => Object.values(t.definition.people).map((p) => ({ id: p.slack!, name: p.name ?? p.slack! })));
}

// ---- compile scaling ----

/** A report of `sections` list sections, each answered by its owner with `items` items. */
export function compileFixture(sections: number, items: number): { team: Team; answers: SectionAnswer[] } {
  const team = syntheticTeam({ id: `bench-compile-${sections}`, owners: sections, userPrefix: 'UCX', channel: 'C0BENCHC1' });
  const answers: SectionAnswer[] = team.definition.sections.map((section, i) => ({
    sectionId: section.id,
    owner: section.owners[0]!,
    content: { kind: 'list', items: listItems(i, items) },
  }));
  return { team, answers };
}

function listItems(section: number, count: number): ListItem[] {
  return Array.from({ length: count }, (_, j) => ({
    text: `Item ${j + 1} of section ${section + 1}: shipped [change ${section}-${j}](https://example.com/${section}/${j}) and verified in production`,
    children: [],
  }));
}
