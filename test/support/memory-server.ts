import { connect } from 'node:net';

export interface RunningMongod {
  uri: string;
  stop(): Promise<void>;
}

const PROBE_TIMEOUT_MS = 3000;

/**
 * A real mongod from mongodb-memory-server. The first use downloads mongod; offline, that download
 * retries for several seconds, and where packets are dropped rather than refused it waits a minute
 * per attempt. So unless mongod is already cached, first check in a few seconds that the download
 * host (or the proxy it would go through) answers at all.
 */
export async function startMemoryServer(): Promise<RunningMongod> {
  const { DryMongoBinary, MongoMemoryServer } = await import('mongodb-memory-server');
  const cached = await DryMongoBinary.locateBinary(DryMongoBinary.getEnsuredOptions());
  if (!cached) await probe(downloadVia());
  const server = await MongoMemoryServer.create();
  return {
    uri: server.getUri(),
    stop: async () => {
      await server.stop();
    },
  };
}

/** Where mongodb-memory-server's download would connect first: the proxy it honours, else the mirror. */
function downloadVia(): URL {
  const env = process.env;
  const proxy =
    env['yarn_https-proxy'] ||
    env.yarn_proxy ||
    env['npm_config_https-proxy'] ||
    env.npm_config_proxy ||
    env.https_proxy ||
    env.http_proxy ||
    env.HTTPS_PROXY ||
    env.HTTP_PROXY;
  return new URL(proxy || env.MONGOMS_DOWNLOAD_URL || env.MONGOMS_DOWNLOAD_MIRROR || 'https://fastdl.mongodb.org');
}

function probe(url: URL): Promise<void> {
  const port = Number(url.port) || (url.protocol === 'http:' ? 80 : 443);
  return new Promise((resolve, reject) => {
    const socket = connect(port, url.hostname);
    const fail = (reason: string) => {
      socket.destroy();
      reject(new Error(`mongod is not cached, and ${url.host} cannot be reached (${reason})`));
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => fail(`no answer within ${PROBE_TIMEOUT_MS / 1000} s`));
    socket.once('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
  });
}
