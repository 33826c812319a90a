import { parseArgs } from 'node:util';
import { startCommitteeServer } from './index.ts';

/**
 * The committee server as its own process: `node electron/committee-server/main.ts --data-dir D
 * [--port P] [--host H] [--redis URL] [--instance N]`. It prints one JSON line
 * `{"ready":true,"url":…,"instance":…}` on stdout once listening, logs to stderr, and on SIGTERM
 * or SIGINT stores every document before it exits.
 */
const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    redis: { type: 'string' },
    instance: { type: 'string' },
  },
  strict: true,
});

const dataDir = values['data-dir'];
if (dataDir === undefined) {
  process.stderr.write('Give the folder the committee server keeps its database in: --data-dir <folder>.\n');
  process.exit(2);
}
const port = values.port === undefined ? undefined : Number(values.port);
if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535)) {
  process.stderr.write(`--port takes a number from 0 to 65535, not “${values.port}”.\n`);
  process.exit(2);
}

const server = await startCommitteeServer({
  dataDir,
  ...(port === undefined ? {} : { port }),
  ...(values.host === undefined ? {} : { host: values.host }),
  ...(values.redis === undefined ? {} : { redisUrl: values.redis }),
  ...(values.instance === undefined ? {} : { instanceName: values.instance }),
  log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
});
process.stdout.write(`${JSON.stringify({ ready: true, url: server.url, instance: server.instance })}\n`);

const stop = (): void => {
  void server.close().then(() => process.exit(0), (error: unknown) => {
    process.stderr.write(`The committee server did not stop cleanly: ${(error as Error).message}\n`);
    process.exit(1);
  });
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
