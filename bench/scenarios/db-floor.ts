import mongoose from 'mongoose';
import { closedLoop } from '../load.ts';

/**
 * Scenario 2's floor: the least database work a reply can cost, on the same server, in the same
 * run and at the same concurrency as the bot's ingestion, so that ingestion is read as a ratio
 * to what the database allows rather than as replies per second on this machine. Per reply:
 * - an insert guarded by a unique index (the submission, unique per platform event id, and per
 *   section, owner and revision), of a document the size of the bot's;
 * - an update (the owner's prompt marked answered);
 * - an indexed find of the team's answers of the week.
 * Plain driver calls on collections of its own, no mongoose models, no validation.
 */

export interface DbFloorRequest {
  type: 'db-floor';
  mongoUri: string;
  replies: number;
  concurrency: number;
  /** Owners per team (the replies go round-robin over every owner of every team). */
  teams: number;
  owners: number;
  /** A reply's typed text and its platform payload as JSON, for documents the size of the bot's. */
  sampleText: string;
  samplePayload: string;
}

export interface DbFloorReport {
  elapsedMs: number;
  /** Per reply: the three operations, in ms. */
  latencies: number[];
  failures: number;
}

const WEEK = '2030-W01';

export async function runDbFloor(request: DbFloorRequest): Promise<DbFloorReport> {
  const connection = await mongoose.createConnection(request.mongoUri, { serverSelectionTimeoutMS: 10_000 }).asPromise();
  try {
    const db = connection.db!;
    const submissions = db.collection('floor_submissions');
    const prompts = db.collection('floor_prompts');
    await submissions.createIndex({ platform: 1, eventId: 1 }, { unique: true, name: 'floor_event' });
    await submissions.createIndex({ teamId: 1, week: 1, sectionId: 1, owner: 1, revision: 1 }, { unique: true, name: 'floor_revision' });
    await prompts.createIndex({ teamId: 1, week: 1, sectionId: 1, owner: 1 }, { unique: true, name: 'floor_prompt' });

    const owners: { teamId: string; owner: string }[] = [];
    const perTeam = Math.ceil(request.owners / request.teams);
    for (let n = 0; n < perTeam; n++) {
      for (let t = 0; t < request.teams && owners.length < request.owners; t++) owners.push({ teamId: `floor-${t + 1}`, owner: `owner-${n + 1}` });
    }
    await prompts.insertMany(owners.map((o) => ({ ...o, week: WEEK, sectionId: `s-${o.owner}`, state: 'sent', createdAt: new Date() })));

    const lines = request.sampleText.split('\n');
    let failures = 0;
    const load = await closedLoop(request.replies, request.concurrency, async (k) => {
      const { teamId, owner } = owners[k % owners.length]!;
      const revision = Math.floor(k / owners.length) + 1;
      const key = { teamId, week: WEEK, sectionId: `s-${owner}`, owner };
      try {
        await submissions.insertOne({
          ...key,
          revision,
          platform: 'slack',
          eventId: `EvFLOOR${String(k).padStart(8, '0')}`,
          rawText: request.sampleText,
          rawPayload: request.samplePayload,
          parts: [{ text: request.sampleText, rawText: request.sampleText }],
          content: { kind: 'list', items: lines.map((text) => ({ text, children: [] })) },
          receivedAt: new Date(),
        });
        await prompts.updateOne({ ...key, state: { $ne: 'answered' } }, { $set: { state: 'answered' } });
        await submissions.find({ teamId, week: WEEK }, { projection: { rawPayload: 0 } }).toArray();
        return 200;
      } catch {
        failures += 1;
        return 0;
      }
    });
    await db.dropDatabase();
    return { elapsedMs: load.elapsedMs, latencies: load.latencies, failures };
  } finally {
    await connection.close();
  }
}
