import type { Logger } from '../../log.ts';

/**
 * Work started by an inbound event after Feishu has been answered. Feishu wants an answer within
 * 3 s (or it redelivers the event, and a card shows an error), while storing a reply or publishing
 * a digest may take longer; so events are acknowledged at once and handled here. `idle()` lets
 * shutdown (and tests) wait until everything started has finished.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  run(label: string, work: () => Promise<void>): void {
    const task: Promise<void> = Promise.resolve()
      .then(work)
      .catch((error: unknown) => {
        this.logger.error({ err: error, work: label }, 'Feishu event handling failed');
      })
      .finally(() => {
        this.running.delete(task);
      });
    this.running.add(task);
  }

  /** Resolves once no work is running, including work started by work that was running. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
