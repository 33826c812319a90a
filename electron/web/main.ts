import { parseArgs } from 'node:util';
import { toErrorValue } from '../core/errors.ts';
import { launchBrowserHost } from './launch.ts';

/**
 * The browser host as its own process: `dossier serve` runs this file (the core must not import
 * the web layer, so the command starts it as a program). Prints the address to open, then serves
 * until SIGINT or SIGTERM.
 */
const { values } = parseArgs({
  options: { 'data-dir': { type: 'string' }, port: { type: 'string' }, json: { type: 'boolean', default: false } },
  strict: true,
});
const dataDir = values['data-dir'];
const port = values.port === undefined ? 0 : Number(values.port);

try {
  if (dataDir === undefined) throw new Error('the browser host needs --data-dir');
  const launched = await launchBrowserHost({ dataDir, port });
  const { url } = launched.host;
  process.stdout.write(values.json ? `${JSON.stringify({ url, port: launched.host.port, dataDir })}\n` : `${url}\n`);
  if (!values.json) process.stderr.write('Dossier is serving on 127.0.0.1 only. Open the address above in your browser; press Ctrl+C to stop.\n');
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void launched.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  const value = toErrorValue(error);
  process.stderr.write(values.json ? `${JSON.stringify({ error: { code: value.code, message: value.message } })}\n` : `dossier serve: ${value.message}\n`);
  process.exitCode = 1;
}
