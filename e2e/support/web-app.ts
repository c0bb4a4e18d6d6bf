/**
 * Starts the real browser-mode server (dist/web/server.cjs) in a throwaway HOME, so each test
 * begins like a first start: no saved connections, an empty known_hosts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { tempHome } from './test-host';

export interface WebApp {
  url: string;
  origin: string;
  home: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startWebApp(extraArgs: string[] = []): Promise<WebApp> {
  const home = tempHome();
  const root = join(__dirname, '..', '..');
  const child: ChildProcess = spawn(process.execPath, [join(root, 'dist/web/server.cjs'), '--no-open', '--port', '0', ...extraArgs], {
    cwd: root,
    env: { ...process.env, HOME: home.dir, XDG_CONFIG_HOME: join(home.dir, '.config'), XDG_DATA_HOME: join(home.dir, '.local/share'), SSH_AUTH_SOCK: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
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
  return {
    url,
    origin: new URL(url).origin,
    home: home.dir,
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
