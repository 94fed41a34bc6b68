import { consolePlatform } from './console.ts';
import { feishuPlatform } from './feishu.ts';
import { memoPlatform } from './memo.ts';
import type { Capabilities, SuitePlatform } from './platform-harness.ts';
import { slackPlatform } from './slack.ts';

export type { Capabilities, PlatformHarness, SuitePlatform } from './platform-harness.ts';

/** The platforms every suite of test/both-stores/platforms/suite/ runs on (`describe.each(PLATFORMS)`). */
export const PLATFORMS: readonly SuitePlatform[] = [slackPlatform, feishuPlatform, consolePlatform, memoPlatform];

/** The platforms that can do something, for a suite that is only about it (`describe.each(platformsWith('findSentDirect'))`). */
export function platformsWith(capability: keyof Capabilities): SuitePlatform[] {
  return PLATFORMS.filter((p) => p.capabilities[capability]);
}
