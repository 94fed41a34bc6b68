import { z } from 'zod';

/** A folder or node token as Feishu shows it in a URL (`fldcn…`, or newer tokens without a prefix). */
const token = (what: string, example: string) => z.string().regex(/^[A-Za-z0-9_-]{6,}$/, `expected the ${what} from its URL, like ${example}`);
// Space ids are 19 digits: a YAML number would lose the last ones.
const spaceId = z
  .string({ message: 'expected the wiki space id as a quoted string, like "7034502641455497244"' })
  .regex(/^\d+$/, 'expected a wiki space id (digits) like "7034502641455497244"');
const EITHER = 'expected { folder: <folder token> } or { wikiSpace: "<space id>", parentNode: <node token> }';

/**
 * `post.feishu.doc`: the week's report as a Feishu document, in a drive folder (`folder`) or under
 * a node of a wiki space (`wikiSpace` and `parentNode`). The app must be a collaborator of the
 * folder, or a member of the wiki space, with edit rights (docs/feishu.md).
 */
export type FeishuDocOptions = { folder: string } | { wikiSpace: string; parentNode: string };

/** Read as one object and then told apart, so that each field's own message reaches the person (a union would only say "invalid"). */
export const FeishuDocOptions = z
  .object({
    folder: token('folder token', 'fldcnqquW1svRIYVT2Np6Iabcef').optional(),
    wikiSpace: spaceId.optional(),
    parentNode: token('parent node token', 'wikcnKQ1k3p5gKeQCBVOUj93nAb').optional(),
  })
  .strict()
  .superRefine((doc, ctx) => {
    if (doc.folder !== undefined) {
      if (doc.wikiSpace !== undefined || doc.parentNode !== undefined) ctx.addIssue({ code: 'custom', message: `${EITHER}, not both` });
    } else if (doc.wikiSpace === undefined || doc.parentNode === undefined) {
      ctx.addIssue({ code: 'custom', path: [doc.wikiSpace === undefined ? 'wikiSpace' : 'parentNode'], message: `is missing: ${EITHER}` });
    }
  })
  .transform((doc): FeishuDocOptions => (doc.folder !== undefined ? { folder: doc.folder } : { wikiSpace: doc.wikiSpace!, parentNode: doc.parentNode! }));
