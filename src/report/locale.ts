/** The languages the bot speaks to people in; a team's definition picks one. */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
