import type { Cycle, CycleStore, OpenCycleOptions, PostedMessage, ReportDocumentRecord } from '../store.ts';
import { copy, keyOf } from './shared.ts';

/** The weeks of each report, in memory. */
export class MemoryCycles implements CycleStore {
  private readonly cycles = new Map<string, Cycle>();
  private readonly documents: ReportDocumentRecord[] = [];

  async openCycle(teamId: string, week: string, createdAt: Date, options: OpenCycleOptions = {}): Promise<Cycle> {
    const key = keyOf(teamId, week);
    let cycle = this.cycles.get(key);
    if (!cycle) {
      cycle = { teamId, week, status: 'open', createdAt: new Date(createdAt), posts: [], ...(options.seeded ? { seeded: true as const } : {}) };
      this.cycles.set(key, cycle);
    }
    return copy(cycle);
  }

  async getCycle(teamId: string, week: string): Promise<Cycle | null> {
    const cycle = this.cycles.get(keyOf(teamId, week));
    return cycle ? copy(cycle) : null;
  }

  async listCycles(teamId: string, limit: number): Promise<Cycle[]> {
    return [...this.cycles.values()]
      .filter((c) => c.teamId === teamId)
      .sort((a, b) => (a.week < b.week ? 1 : a.week > b.week ? -1 : 0))
      .slice(0, Math.max(0, limit))
      .map(copy);
  }

  async markPublished(teamId: string, week: string, posts: PostedMessage[], at: Date): Promise<Cycle> {
    const key = keyOf(teamId, week);
    const existing = this.cycles.get(key);
    const cycle: Cycle = {
      teamId,
      week,
      createdAt: existing ? existing.createdAt : new Date(at),
      status: 'published',
      publishedAt: new Date(at),
      firstPublishedAt: new Date(existing?.firstPublishedAt ?? at),
      posts: copy(posts),
      ...(existing?.seeded ? { seeded: true as const } : {}),
    };
    this.cycles.set(key, cycle);
    return copy(cycle);
  }

  async recordReportDocument(record: ReportDocumentRecord): Promise<ReportDocumentRecord> {
    const first = this.documents.find((d) => d.teamId === record.teamId && d.week === record.week && d.platform === record.platform);
    if (first) return copy(first);
    this.documents.push(copy(record));
    return copy(record);
  }

  async listReportDocuments(teamId: string, week: string): Promise<ReportDocumentRecord[]> {
    return this.documents
      .filter((d) => d.teamId === teamId && d.week === week)
      .sort((a, b) => (a.platform < b.platform ? -1 : a.platform > b.platform ? 1 : 0))
      .map(copy);
  }
}
