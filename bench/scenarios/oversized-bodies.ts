import { postOversized, type OversizedAnswer } from '../../test/fakes/oversized-body.ts';

/**
 * Scenario 6: a flood of unsigned 256 MB POSTs to /slack/events, all at once, as in the trial that
 * took the bot to 1.2 GB (four of them, each read whole before its 401). The bodies are generated
 * chunk by chunk, so the sender holds 64 KiB each; every other one declares its Content-Length,
 * the rest are chunked (the server has to count). The bot must answer each 413 while reading it.
 */

export interface OversizedPlan {
  requests: number;
  bytes: number;
}

export interface OversizedSent {
  answers: (OversizedAnswer & { declared: boolean })[];
  elapsedMs: number;
}

export async function sendOversizedBodies(eventsUrl: string, plan: OversizedPlan): Promise<OversizedSent> {
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: plan.requests }, async (_, i) => {
      const declared = i % 2 === 0;
      return { ...(await postOversized(eventsUrl, { bytes: plan.bytes, declareLength: declared })), declared };
    }),
  );
  return { answers, elapsedMs: performance.now() - started };
}
