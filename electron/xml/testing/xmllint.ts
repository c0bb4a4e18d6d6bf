/** libxml2's canonical form of files (xmllint --c14n), computed in parallel for the test suites. */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;

/** Canonical form of XML text as libxml2 sees it. */
export async function xmllintC14n(xml: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = execFile('xmllint', ['--c14n', '-'], { maxBuffer: 16 << 20 }, (err, stdout, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve(stdout)));
    p.stdin!.end(xml);
  });
}

export async function xmllintC14nFiles(paths: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const queue = [...paths];
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      for (let p = queue.shift(); p !== undefined; p = queue.shift()) out.set(p, (await run('xmllint', ['--c14n', p], { maxBuffer: 16 << 20 })).stdout);
    }),
  );
  return out;
}
