/**
 * Starts the real browser-mode server (dist/web/server.cjs) in a throwaway HOME, so each test
 * begins like a first start: no saved connections, an empty known_hosts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConnectionInput } from '../../shared/model/host';
import { tempHome } from './test-host';

export interface WebApp {
  url: string;
  origin: string;
  port: number;
  token: string;
  home: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export interface WebAppOptions {
  /** The server bundle to run (default dist/web/server.cjs, as `npm run build` makes it). */
  server?: string;
  /** Open a browser instead of passing --no-open (with a fake $BROWSER in `env`). */
  open?: boolean;
  /** Added to (or, when undefined, removed from) the server's environment. */
  env?: Record<string, string | undefined>;
  /** Runs before the server starts, e.g. to write a connections.json into the fresh HOME. */
  prepareHome?: (home: string) => void;
  /** A command the server runs under, e.g. ['strace', '-f', '-o', log]. */
  wrap?: string[];
  /** The server's working directory (default: the repo). */
  cwd?: (home: string) => string;
  /** Run as this user and group (needs root), e.g. nobody, so a stray write cannot harm root's files. */
  user?: { uid: number; gid: number };
}

const root = join(__dirname, '..', '..');

/**
 * Bundles electron/web/main.ts as it is now, so server tests never run a stale dist/. The bundle
 * lives inside the repo (dist/test-web/) so its npm packages load from node_modules.
 */
export async function buildWebServer(): Promise<string> {
  const { build } = await import('esbuild');
  const dir = join(root, 'dist', 'test-web');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `server-${process.pid}.cjs`);
  const { nodeExternals } = (await import(pathToFileURL(join(root, 'scripts', 'node-externals.mjs')).href)) as { nodeExternals: (root: string) => string[] };
  await build({ entryPoints: [join(root, 'electron/web/main.ts')], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: nodeExternals(root), logLevel: 'warning' });
  return outfile;
}

export async function startWebApp(extraArgs: string[] = [], opts: WebAppOptions = {}): Promise<WebApp> {
  const home = tempHome();
  opts.prepareHome?.(home.dir);
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home.dir, XDG_CONFIG_HOME: join(home.dir, '.config'), XDG_DATA_HOME: join(home.dir, '.local/share'), SSH_AUTH_SOCK: '' };
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const server = opts.server ?? join(root, 'dist/web/server.cjs');
  const argv = [process.execPath, server, ...(opts.open ? [] : ['--no-open']), '--port', '0', ...extraArgs];
  const [cmd, ...args] = [...(opts.wrap ?? []), ...argv];
  const child: ChildProcess = spawn(cmd!, args, {
    cwd: opts.cwd?.(home.dir) ?? root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(opts.user ? { uid: opts.user.uid, gid: opts.user.gid } : {}),
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 20_000);
    const check = () => {
      const m = /serving on (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    port: Number(parsed.port),
    token: parsed.searchParams.get('token')!,
    home: home.dir,
    child,
    output: () => out,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      child.kill('SIGKILL');
      home.cleanup();
    },
  };
}

/**
 * For `prepareHome`: saved connections (as the app keeps them in connections.json) and the
 * known_hosts lines of the hosts they reach, so the app connects at start with no prompt.
 */
export function seedHome(home: string, connections: ConnectionInput[], knownHosts: string): void {
  const config = join(home, '.config', 'virtdeck');
  mkdirSync(config, { recursive: true });
  writeFileSync(join(config, 'connections.json'), JSON.stringify({ version: 1, connections }));
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  writeFileSync(join(home, '.ssh', 'known_hosts'), knownHosts);
}
