import { describe, expect, it } from 'vitest';
import { MEMORY_STORE_WARNING, MemoryStore } from '../../src/store/memory.ts';
import { runStoreContract } from './contract.ts';

runStoreContract(
  'MemoryStore',
  async () => new MemoryStore(),
  async (store) => store.close(),
);

describe('MemoryStore', () => {
  it('says that its data is lost on exit', () => {
    expect(MEMORY_STORE_WARNING).toMatch(/lost on exit/);
    expect(new MemoryStore().describe()).toEqual({
      kind: 'memory',
      durable: false,
      location: 'process memory',
      warning: MEMORY_STORE_WARNING,
    });
  });

  it('hands out copies of cycles and prompts too', async () => {
    const store = new MemoryStore();
    const cycle = await store.openCycle('r', '2024-W23', new Date(0));
    cycle.posts.push({ platform: 'slack', channel: 'C', messageId: '1', role: 'header', index: 0 });
    cycle.createdAt.setTime(123);
    expect(await store.getCycle('r', '2024-W23')).toMatchObject({ posts: [], createdAt: new Date(0) });

    const key = { teamId: 'r', week: '2024-W23', sectionId: 's', owner: 'o' };
    await store.reservePrompt(key, 'slack', new Date(0));
    const [prompt] = await store.listPrompts('r', '2024-W23');
    prompt!.state = 'answered';
    expect((await store.listPrompts('r', '2024-W23'))[0]!.state).toBe('sending');
  });
});
