/**
 * `npm run web` — Virtdeck in a browser: the same backend as the desktop app under plain
 * Node, serving the renderer and the API on 127.0.0.1 behind a random token.
 *
 *   --port N        listen on port N (default: a free port)
 *   --connect URI   add (if needed) and connect this libvirt URI at start; repeatable
 *   --no-open       do not open a browser, only print the URL
 *   --only-uri URI  serve only this libvirt URI (repeatable): no other connection can be saved
 *                   or connected (a demo on test:///default, the contract fuzz)
 *
 * The browser is opened through a private redirect file ($BROWSER or the platform's opener),
 * never with the tokened URL on a command line; see open-browser.ts.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pkg from '../../package.json';
import { MemorySecretStore } from '../core/adapters';
import { Backend } from '../core/backend';
import { appDirs } from '../core/paths';
import { openInBrowser, writeRedirectFile } from './open-browser';
import { startWebServer } from './server';

/**
 * Node 20 ends the process on an unhandled rejection, which would take every host connection
 * and browser tab with it over one failed background task. Requests already turn failures
 * into error replies (server.ts); anything else that slips through is reported, not fatal.
 */
process.on('unhandledRejection', (reason) => {
  console.error(`[web] a background task failed (Virtdeck keeps running): ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      connect: { type: 'string', multiple: true, default: [] },
      'no-open': { type: 'boolean', default: false },
      'only-uri': { type: 'string', multiple: true },
      'renderer-dir': { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got ${values.port}`);
  const onlyUris = values['only-uri'];
  const dirs = appDirs();
  const backend = new Backend(
    { mode: 'web', version: pkg.version, homeDir: homedir(), ...dirs, secrets: new MemorySecretStore() },
    onlyUris ? { allowUri: (uri) => onlyUris.includes(uri) } : {},
  );
  await backend.init();
  const server = await startWebServer(backend, { port, rendererDir: values['renderer-dir'] ?? join(__dirname, '..', 'renderer') });
  console.log(`Virtdeck is serving on ${server.url}`);
  console.log('Only this URL (with its token) opens it; it listens on 127.0.0.1 only. Ctrl+C stops it.');
  for (const uri of values.connect ?? []) {
    backend.ensureConnection(uri).then(
      () => console.log(`connected ${uri}`),
      (e: unknown) => console.error(`could not connect ${uri}: ${e instanceof Error ? e.message : String(e)}`),
    );
  }
  let redirect: { file: string; remove(): void } | undefined;
  if (!values['no-open'] && !process.env.CI) {
    redirect = writeRedirectFile(dirs.dataDir, server.url);
    openInBrowser(redirect.file, () => console.log('(could not open a browser; open the URL above yourself)'));
  }
  const stop = () => {
    redirect?.remove();
    backend.shutdown();
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
