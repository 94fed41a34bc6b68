import * as lark from '@larksuiteoapi/node-sdk';
import { describe, expect, it } from 'vitest';
import { feishuConfigFromEnv } from '../../../src/platforms/feishu/config.ts';
import { docsBaseUrl } from '../../../src/platforms/feishu/docx/client.ts';
import { feishuModule } from '../../../src/platforms/feishu/module.ts';
import type { TeamDefinition } from '../../../src/report/definition.ts';

const app = { FEISHU_APP_ID: 'cli_a1b2c3', FEISHU_APP_SECRET: 'secret-0123456789' };
const destination = (value: unknown) => feishuModule.destination!.safeParse(value);
const messages = (value: unknown) => {
  const parsed = destination(value);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

/** How a team asks for the week's Feishu document (`post.feishu.doc`), and where its links point. */
describe('post.feishu.doc and FEISHU_DOCS_URL', () => {
  it('takes a folder, or a wiki space and a parent node, and gives them to the hook as the team’s document options', () => {
    expect(messages({ chatId: 'oc_team', doc: { folder: 'fldcnqquW1svRIYVT2Np6Iabcef' } })).toEqual([]);
    expect(messages({ chatId: 'oc_team', doc: { wikiSpace: '7034502641455497244', parentNode: 'wikcnKQ1k3p5gKeQCBVOUj93nAb' } })).toEqual([]);
    const definition = (feishu: object) => ({ post: { feishu } }) as unknown as TeamDefinition;
    expect(feishuModule.reportDocumentOptions!(definition({ chatId: 'oc_team', doc: { folder: 'fldcnABCDEF' } }))).toEqual({ folder: 'fldcnABCDEF' });
    expect(feishuModule.reportDocumentOptions!(definition({ chatId: 'oc_team' }))).toBeNull();
  });

  it('refuses a space id written as a YAML number, a half-given wiki, unknown keys, and says what to write', () => {
    expect(messages({ chatId: 'oc_team', doc: { wikiSpace: 7034502641455497000, parentNode: 'wikcnKQ1k3p5gKeQ' } }).join('\n')).toMatch(/quoted string/);
    expect(messages({ chatId: 'oc_team', doc: { wikiSpace: '7034502641455497244' } }).join('\n')).toMatch(/parentNode|wikiSpace/);
    expect(messages({ chatId: 'oc_team', doc: { folder: 'fldcnABCDEF', title: 'x' } })).not.toEqual([]);
    expect(messages({ chatId: 'oc_team', doc: { folder: 'https://acme.feishu.cn/drive/folder/fldcnABCDEF' } }).join('\n')).toMatch(/folder token from its URL/);
  });

  it('links documents on FEISHU_DOCS_URL when set, else on Feishu’s or Lark’s site, or the base URL of a fake', () => {
    expect(feishuConfigFromEnv({ ...app, FEISHU_DOCS_URL: 'https://acme.feishu.cn/' })?.docsUrl).toBe('https://acme.feishu.cn/');
    expect(() => feishuConfigFromEnv({ ...app, FEISHU_DOCS_URL: 'acme.feishu.cn' })).toThrow(/FEISHU_DOCS_URL/);
    expect(docsBaseUrl('https://acme.feishu.cn/', lark.Domain.Feishu)).toBe('https://acme.feishu.cn');
    expect(docsBaseUrl(undefined, lark.Domain.Feishu)).toBe('https://feishu.cn');
    expect(docsBaseUrl(undefined, lark.Domain.Lark)).toBe('https://larksuite.com');
    expect(docsBaseUrl(undefined, 'http://127.0.0.1:5000')).toBe('http://127.0.0.1:5000');
  });
});
