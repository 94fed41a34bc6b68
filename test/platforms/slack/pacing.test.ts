import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChannelPacer } from '../../../src/platforms/slack/pacing.ts';

describe('ChannelPacer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('spaces messages to one channel a second apart and lets other channels through at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
    const pacer = new ChannelPacer(1_000);
    const released: string[] = [];
    const send = (channel: string, label: string) => pacer.slot(channel).then(() => released.push(label));
    const all = Promise.all([send('D1', 'D1 first'), send('D1', 'D1 second'), send('D2', 'D2 first'), send('D1', 'D1 third')]);

    await vi.advanceTimersByTimeAsync(0);
    expect(released).toEqual(['D1 first', 'D2 first']);
    await vi.advanceTimersByTimeAsync(999);
    expect(released).toEqual(['D1 first', 'D2 first']);
    await vi.advanceTimersByTimeAsync(1);
    expect(released).toEqual(['D1 first', 'D2 first', 'D1 second']);
    await vi.advanceTimersByTimeAsync(1_000);
    await all;
    expect(released).toEqual(['D1 first', 'D2 first', 'D1 second', 'D1 third']);
  });
});
