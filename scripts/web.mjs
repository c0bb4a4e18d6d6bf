// `npm run web -- [--port N] [--connect URI]... [--no-open]`: builds what is missing, then
// starts browser mode. Pass --rebuild to force a build.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const args = process.argv.slice(2);
const rebuild = args.includes('--rebuild');
const rest = args.filter((a) => a !== '--rebuild');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
if (rebuild || !existsSync('dist/renderer/index.html')) run(npm, ['run', '--silent', 'build:renderer']);
if (rebuild || !existsSync('dist/web/server.cjs')) run(npm, ['run', '--silent', 'build:backend']);
const child = spawn(process.execPath, ['dist/web/server.cjs', ...rest], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));

function run(cmd, argv) {
  const r = spawnSync(cmd, argv, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
