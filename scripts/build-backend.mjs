// Bundles the backend: the Electron main + preload (CommonJS, as Electron loads them) and the
// browser-mode server for plain Node. npm packages stay external and load from node_modules
// (except ESM-only ones: node-externals.mjs), and in the sandboxed preload, which can require nothing but 'electron'.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { nodeExternals } from './node-externals.mjs';

const external = nodeExternals(fileURLToPath(new URL('..', import.meta.url)));

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };

await Promise.all([
  build({ ...common, entryPoints: ['electron/desktop/main.ts'], outfile: 'dist/electron/main.cjs', external }),
  build({ ...common, entryPoints: ['electron/desktop/preload.ts'], outfile: 'dist/electron/preload.cjs', external: ['electron'] }),
  build({ ...common, entryPoints: ['electron/web/main.ts'], outfile: 'dist/web/server.cjs', external }),
]);
console.log('backend built: dist/electron/main.cjs, dist/electron/preload.cjs, dist/web/server.cjs');
