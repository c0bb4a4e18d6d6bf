// The npm packages every CommonJS bundle (the backend, the test web server, the benches) leaves
// external, to load from node_modules at run time: all of package.json's, except ESM-only ones,
// which are bundled in, because Node 20's require() cannot load a package whose exports offer
// only "import" (unixcrypt: the $6$ password hash). One list, so no bundle can miss one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ESM_ONLY = ['unixcrypt'];

/** esbuild's `external` for the repo at `root`. */
export function nodeExternals(root) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
    .filter((n) => !ESM_ONLY.includes(n))
    .flatMap((n) => [n, `${n}/*`]);
}
