import { z } from 'zod';

/** A folder or node token as Feishu shows it in a URL (`fldcn…`, or newer tokens without a prefix). */
const token = (what: string, example: string) => z.string().regex(/^[A-Za-z0-9_-]{6,}$/, `expected the ${what} from its URL, like ${example}`);

/**
 * `post.feishu.doc`: the week's report as a Feishu document, in a drive folder (`folder`) or under
 * a node of a wiki space (`wikiSpace` and `parentNode`). The app must be a collaborator of the
 * folder, or a member of the wiki space, with edit rights (docs/feishu.md).
 */
export const FeishuDocOptions = z.union(
  [
    z.object({ folder: token('folder token', 'fldcnqquW1svRIYVT2Np6Iabcef') }).strict(),
    z
      .object({
        // Space ids are 19 digits: a YAML number would lose the last ones.
        wikiSpace: z
          .string({ message: 'expected the wiki space id as a quoted string, like "7034502641455497244"' })
          .regex(/^\d+$/, 'expected a wiki space id (digits) like "7034502641455497244"'),
        parentNode: token('parent node token', 'wikcnKQ1k3p5gKeQCBVOUj93nAb'),
      })
      .strict(),
  ],
  { message: 'expected { folder: <folder token> } or { wikiSpace: "<space id>", parentNode: <node token> }' },
);
export type FeishuDocOptions = z.infer<typeof FeishuDocOptions>;
