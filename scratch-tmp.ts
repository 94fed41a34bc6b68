import { App, HTTPReceiver, SocketModeReceiver, webApi, LogLevel } from '@slack/bolt';
console.log(typeof App, typeof HTTPReceiver, typeof SocketModeReceiver, typeof webApi.WebClient, LogLevel.INFO, typeof webApi.retryPolicies);
