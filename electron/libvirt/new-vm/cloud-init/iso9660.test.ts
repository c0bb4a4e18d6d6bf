/**
 * The seed image read back by real tools: blkid (the label cloud-init looks for), xorriso (the
 * ISO9660 and Joliet trees). The Linux kernel reading it (isofs, in the guest: this machine's own
 * kernel has no isofs) is in cloud-image.int.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildIso, level1Name } from './iso9660';

const dir = mkdtempSync(join(tmpdir(), 'vd-iso-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const enc = new TextEncoder();
const run = (cmd: string, ...args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });

const userData = '#cloud-config\nhostname: seed-test\n';
const metaData = 'instance-id: iid-1234\nlocal-hostname: seed-test\n';
const big = 'x'.repeat(5000) + '\n';
const file = join(dir, 'seed.iso');
writeFileSync(
  file,
  buildIso(
    [
      { name: 'user-data', data: enc.encode(userData) },
      { name: 'meta-data', data: enc.encode(metaData) },
      { name: 'network-config', data: enc.encode(big) },
    ],
    { volumeId: 'cidata', date: new Date(Date.UTC(2026, 11, 6, 3, 0, 0)) },
  ),
);

describe('ISO9660 + Joliet seed writer', () => {
  it('level 1 names are 8.3 upper case and unique', () => {
    const taken = new Set<string>();
    expect(level1Name('user-data', taken)).toBe('USER_DAT.;1');
    expect(level1Name('user-data', taken)).toBe('USER_D_1.;1');
    expect(level1Name('a.tar.gz', taken)).toBe('A_TAR.GZ;1');
    expect(() => buildIso([{ name: 'a/b', data: new Uint8Array() }], { volumeId: 'x' })).toThrow(/not a file name/);
  });

  it('blkid sees an iso9660 filesystem labelled cidata (what cloud-init and the guest look for)', () => {
    const r = run('blkid', '-p', '-o', 'export', file);
    expect(r.stdout).toMatch(/^TYPE=iso9660$/m);
    expect(r.stdout).toMatch(/^LABEL=cidata$/m);
    expect(readFileSync(file).length % 2048).toBe(0);
  });

  it('xorriso lists the Joliet names and the level 1 names, and extracts the files byte for byte', () => {
    const joliet = run('xorriso', '-indev', file, '-ls', '/');
    expect(joliet.stdout.split('\n').map((l) => l.trim().replace(/^'|'$/g, '')).filter(Boolean).sort()).toEqual(['meta-data', 'network-config', 'user-data']);
    const out = join(dir, 'x');
    mkdirSync(out);
    const ex = run('xorriso', '-osirrox', 'on', '-indev', file, '-extract', '/', out);
    expect(ex.status, ex.stderr).toBe(0);
    expect(readFileSync(join(out, 'user-data'), 'utf8')).toBe(userData);
    expect(readFileSync(join(out, 'meta-data'), 'utf8')).toBe(metaData);
    expect(readFileSync(join(out, 'network-config'), 'utf8')).toBe(big);
    // Without Joliet (a reader that only knows ECMA-119) the level 1 names are there.
    const plain = run('xorriso', '-read_fs', 'ecma119', '-indev', file, '-ls', '/');
    expect(plain.stdout).toContain("'USER_DAT'");
    expect(plain.stdout).toContain("'META_DAT'");
  });
});
