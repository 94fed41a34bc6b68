import type { Locale } from '../report/locale.ts';

/**
 * What the archive's pages show, as plain data: the port the pages are rendered from. The use
 * cases that compute it (the report as published, participation, incidents, trends) are handlers;
 * handlers/archive/archive-data.ts implements this for a BotContext and the composition root
 * (src/main.ts) hands it to the routes, so that src/ does not import handlers/.
 */
export interface ArchiveData {
  /** The team of that id, or null: its name and language. */
  team(teamId: string): ArchiveTeam | null;
  /** The team's weeks, newest first: published, and the one being collected (a draft). */
  weeks(teamId: string): Promise<ArchiveWeekSummary[]>;
  /** A week's report, or null when there is no such week. */
  week(teamId: string, week: string): Promise<ArchiveWeek | null>;
  trends(teamId: string): Promise<ArchiveChart[]>;
  participation(teamId: string): Promise<ArchiveParticipation>;
  incidents(teamId: string): Promise<ArchiveIncidentWeek[]>;
  goals(teamId: string): Promise<ArchiveGoalWeek[]>;
  /** The weeks whose report contains `query` (any case), newest first, with where it occurs. */
  search(teamId: string, query: string): Promise<ArchiveSearchHit[]>;
}

export interface ArchiveTeam {
  id: string;
  name: string;
  locale: Locale;
  /** IANA zone: times on the pages are the team's. */
  timeZone: string;
}

export interface ArchiveWeekSummary {
  week: string;
  /** Not published yet: what the report would be now, as `preview` shows it. */
  draft: boolean;
  /** Sections submitted (answered or skipped) of all the week's sections. */
  submitted: number;
  total: number;
  /** "入金有效成功率 99.2% (target ≥ 99.5%)": each metric that missed its target. */
  missedTargets: string[];
}

export interface ArchiveRevision {
  section: string;
  who: string;
  at: Date;
  /** As the owner typed it: shown as text, never as markup. */
  text: string;
  /** Not in the report as last posted (the report above): a late answer not republished yet. */
  unposted: boolean;
}

export interface ArchiveWeek {
  week: string;
  /** Not published yet: what the report would be now, as `preview` shows it. */
  draft: boolean;
  title: string;
  /** The compiled report, as published. */
  markdown: string;
  /** Answers received after the report was first published, oldest first. */
  revisions: ArchiveRevision[];
}

export interface ArchiveChart {
  title: string;
  /** The ECharts option of the PNG chart of the same data. */
  option: unknown;
}

export interface ArchiveParticipation {
  weeks: string[];
  rows: { name: string; section: string; marks: { week: string; mark: string; status: string }[]; counts: string }[];
}

export interface ArchiveIncidentWeek {
  week: string;
  incidents: { time: string; text: string }[];
}

export interface ArchiveGoalWeek {
  week: string;
  reviews: { section: string; goalsWeek: string; goals: { number: number; text: string; status?: string; note?: string }[] }[];
}

export interface ArchiveSearchHit {
  week: string;
  /** Text around each match: before, the match, after. */
  snippets: { before: string; match: string; after: string }[];
}
