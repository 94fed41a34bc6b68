/** The Feishu / Lark adapter: configuration from the environment, and the runtime the composition root starts. */
export { createFeishuRuntime, FEISHU_WEBHOOK_PATHS, type FeishuRuntime, type FeishuRuntimeOptions } from './app.ts';
export { feishuConfigFromEnv, larkDomain, FEISHU_CARD_PATH, FEISHU_EVENTS_PATH, type FeishuConfig, type FeishuTransport } from './config.ts';
export { FeishuPlatform } from './client-platform.ts';
