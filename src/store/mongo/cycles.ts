import type { Cycle, CycleStore, OpenCycleOptions, PostedMessage, ReportDocumentRecord } from '../store.ts';
import type { CycleDoc, ReportDocumentDoc, StoreModels } from './schemas.ts';
import { isDuplicateKey } from './shared.ts';

/** The weeks of each report: one document per week, opened by an insert (the unique cycle key). */
export class MongoCycles implements CycleStore {
  constructor(private readonly models: Pick<StoreModels, 'cycles' | 'reportDocuments'>) {}

  async openCycle(teamId: string, week: string, createdAt: Date, options: OpenCycleOptions = {}): Promise<Cycle> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const existing = await this.models.cycles.findOne({ teamId, week }).lean<CycleDoc>();
      if (existing) return toCycle(existing);
      try {
        await this.models.cycles.create({ teamId, week, status: 'open', createdAt, posts: [], ...(options.seeded ? { seeded: true } : {}) });
      } catch (error) {
        // Another replica opened it first: read theirs.
        if (!isDuplicateKey(error)) throw error;
      }
    }
    throw new Error(`could not open cycle ${teamId} ${week}`);
  }

  async getCycle(teamId: string, week: string): Promise<Cycle | null> {
    const doc = await this.models.cycles.findOne({ teamId, week }).lean<CycleDoc>();
    return doc ? toCycle(doc) : null;
  }

  async listCycles(teamId: string, limit: number): Promise<Cycle[]> {
    if (limit <= 0) return [];
    const docs = await this.models.cycles.find({ teamId }).sort({ week: -1 }).limit(limit).lean<CycleDoc[]>();
    return docs.map(toCycle);
  }

  async markPublished(teamId: string, week: string, posts: PostedMessage[], at: Date): Promise<Cycle> {
    // Publishing runs under a job claim, so there is one writer; a cycle published without
    // having been opened is opened first (with the publish time as its creation time).
    const opened = await this.openCycle(teamId, week, at);
    const doc = await this.models.cycles
      .findOneAndUpdate(
        { teamId, week },
        { $set: { status: 'published', publishedAt: at, firstPublishedAt: opened.firstPublishedAt ?? at, posts } },
        { returnDocument: 'after', runValidators: true },
      )
      .lean<CycleDoc>();
    if (!doc) throw new Error(`cycle ${teamId} ${week} vanished while being published`);
    return toCycle(doc);
  }

  async recordReportDocument(record: ReportDocumentRecord): Promise<ReportDocumentRecord> {
    try {
      await this.models.reportDocuments.create({ ...record });
      return { ...record };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    // Recorded first by another replica (or an earlier life of this one): theirs stands.
    const { teamId, week, platform } = record;
    const first = await this.models.reportDocuments.findOne({ teamId, week, platform }).lean<ReportDocumentDoc>();
    if (!first) throw new Error(`report document ${teamId} ${week} ${platform} refused as a duplicate but not found`);
    return toReportDocument(first);
  }

  async listReportDocuments(teamId: string, week: string): Promise<ReportDocumentRecord[]> {
    const docs = await this.models.reportDocuments.find({ teamId, week }).sort({ platform: 1 }).lean<ReportDocumentDoc[]>();
    return docs.map(toReportDocument);
  }
}

function toReportDocument(doc: ReportDocumentDoc): ReportDocumentRecord {
  return { teamId: doc.teamId, week: doc.week, platform: doc.platform, id: doc.id, url: doc.url, createdAt: doc.createdAt };
}

function toCycle(doc: CycleDoc): Cycle {
  const cycle: Cycle = {
    teamId: doc.teamId,
    week: doc.week,
    status: doc.status,
    createdAt: doc.createdAt,
    posts: (doc.posts ?? []).map((p) => ({
      platform: p.platform,
      channel: p.channel,
      messageId: p.messageId,
      role: p.role,
      index: p.index,
      ...(p.contentHash ? { contentHash: p.contentHash } : {}),
    })),
  };
  if (doc.publishedAt) cycle.publishedAt = doc.publishedAt;
  if (doc.firstPublishedAt) cycle.firstPublishedAt = doc.firstPublishedAt;
  if (doc.seeded) cycle.seeded = true;
  return cycle;
}
