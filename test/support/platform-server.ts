import { parseEnv } from '../../src/config/env.ts';
import { HttpServer, type HttpRoute } from '../../src/http/server.ts';
import type { Logger } from '../../src/log.ts';
import { configuredPlatforms, createRuntimes, PLATFORM_MODULES } from '../../src/platforms/modules.ts';
import type { PlatformRuntime } from '../../src/platforms/runtime.ts';

/**
 * As src/main.ts sets them up for an environment: the runtimes of the platforms it configures (not
 * started), and the bot's one server on its PORT with their routes and `routes` (the health
 * endpoints) on it.
 */
export async function serveConfigured(
  source: Record<string, string>,
  logger: Logger,
  routes: readonly HttpRoute[] = [],
): Promise<{ runtimes: PlatformRuntime[]; server: HttpServer }> {
  const env = parseEnv(source);
  const runtimes = await createRuntimes(configuredPlatforms(PLATFORM_MODULES, source), logger);
  const server = await HttpServer.start([...routes, ...runtimes.flatMap((r) => r.routes?.() ?? [])], { port: env.PORT, logger });
  return { runtimes, server };
}
