/** The Slack adapter: configuration from the environment, and the runtime the composition root starts. */
export { createSlackRuntime, SLACK_RETRY_POLICY, SLASH_COMMAND, type SlackRuntime, type SlackRuntimeOptions } from './app.ts';
export { slackConfigFromEnv, type SlackConfig, type SlackTransport } from './config.ts';
export { SlackPlatform } from './client-platform.ts';
