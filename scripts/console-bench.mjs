// `npm run bench:console`: bundles the benchmark (Node half and browser half) and runs it.
// Needs the provisioned test host (e2e/host/provision.sh), Debian's chromium and websockify.
import { build } from 'esbuild';
import { nodeExternals } from './node-externals.mjs';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Inside the project, so the bundle resolves node_modules like the backend build does.
if (spawnSync('websockify', ['--help'], { stdio: 'ignore' }).error) {
  console.error("bench:console compares against noVNC + websockify: install it first (apt-get install websockify)");
  process.exit(2);
}
const out = join('dist', 'console-bench');
mkdirSync(join(out, 'page'), { recursive: true });
await build({ entryPoints: ['scripts/console-bench.ts'], outfile: join(out, 'bench.cjs'), bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: nodeExternals(process.cwd()), logLevel: 'warning' });
// noVNC has a top-level await: the page is an ES module built for current browsers.
await build({ entryPoints: ['scripts/console-bench-page.ts'], outfile: join(out, 'page', 'bench.js'), bundle: true, platform: 'browser', target: 'esnext', format: 'esm', logLevel: 'warning' });
writeFileSync(join(out, 'page', 'index.html'), '<!doctype html><meta charset="utf-8"><title>bench</title><div id="screen"></div><script type="module" src="./bench.js"></script>\n');
const r = spawnSync(process.execPath, [join(out, 'bench.cjs'), '--page-dir', join(out, 'page'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
