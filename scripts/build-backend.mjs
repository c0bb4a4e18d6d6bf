// Bundles the backend: the Electron main + preload (CommonJS, as Electron loads them) and the
// browser-mode server for plain Node. npm packages stay external and load from node_modules
// (except ESM-only ones, below), and in the sandboxed preload, which can require nothing but 'electron'.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

// ESM-only packages are bundled in: the bundles are CommonJS, and Node 20's require() cannot
// load a package whose exports offer only "import" (unixcrypt: the $6$ password hash).
const ESM_ONLY = ['unixcrypt'];
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
  .filter((n) => !ESM_ONLY.includes(n))
  .flatMap((n) => [n, `${n}/*`]);

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };

await Promise.all([
  build({ ...common, entryPoints: ['electron/desktop/main.ts'], outfile: 'dist/electron/main.cjs', external }),
  build({ ...common, entryPoints: ['electron/desktop/preload.ts'], outfile: 'dist/electron/preload.cjs', external: ['electron'] }),
  build({ ...common, entryPoints: ['electron/web/main.ts'], outfile: 'dist/web/server.cjs', external }),
]);
console.log('backend built: dist/electron/main.cjs, dist/electron/preload.cjs, dist/web/server.cjs');
