// Keys, fingerprints, hashing and host matching are cross-checked against the real
// OpenSSH tools (ssh-keygen from openssh-client), run at test time in a temp dir.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile, appendFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KnownHostsFile,
  checkHostKey,
  entryMatchesHost,
  fingerprintSha256,
  hostPattern,
  keyTypeOf,
  knownHostsLine,
  knownKeyTypes,
  parseKnownHosts,
} from './known-hosts';

const run = promisify(execFile);

interface TestKey {
  type: string;
  b64: string;
  raw: Buffer;
  pubPath: string;
  /** "type base64" as in a known_hosts line */
  kh: string;
}

let dir = '';
const keys: Record<'A' | 'B' | 'C' | 'D' | 'R', TestKey> = {} as never;

async function genKey(name: string, args: string[]): Promise<TestKey> {
  const path = join(dir, name);
  await run('ssh-keygen', ['-q', ...args, '-f', path, '-N', '', '-C', `${name}@test`]);
  const pub = (await readFile(`${path}.pub`, 'utf8')).trim();
  const [type, b64] = pub.split(' ') as [string, string];
  return { type, b64, raw: Buffer.from(b64, 'base64'), pubPath: `${path}.pub`, kh: `${type} ${b64}` };
}

/** Line numbers `ssh-keygen -F name -f file` reports as matching. */
async function keygenFind(file: string, name: string): Promise<number[]> {
  try {
    const { stdout } = await run('ssh-keygen', ['-F', name, '-f', file]);
    return [...stdout.matchAll(/found: line (\d+)/g)].map((m) => Number(m[1]));
  } catch (e) {
    if ((e as { code?: number }).code === 1) return []; // exit 1 = not found
    throw e;
  }
}

async function keygenFingerprint(pubPath: string): Promise<string> {
  const { stdout } = await run('ssh-keygen', ['-lf', pubPath]);
  return stdout.split(' ')[1] ?? '';
}

let fixture = '';
let hashedFixture = '';
const fixturePath = () => join(dir, 'known_hosts');
const hashedPath = () => join(dir, 'known_hosts_hashed');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'virtdeck-kh-'));
  keys.A = await genKey('a_ed25519', ['-t', 'ed25519']);
  keys.B = await genKey('b_ed25519', ['-t', 'ed25519']);
  keys.C = await genKey('c_ecdsa', ['-t', 'ecdsa', '-b', '256']);
  keys.D = await genKey('d_rsa', ['-t', 'rsa', '-b', '2048']);
  keys.R = await genKey('r_ed25519', ['-t', 'ed25519']);
  const { A, B, C, D, R } = keys;
  fixture = [
    /* 1 */ '# known_hosts fixture',
    /* 2 */ '',
    /* 3 */ `example.com,192.0.2.10 ${A.kh} a comment`,
    /* 4 */ `[example.com]:2222 ${B.kh}`,
    /* 5 */ `*.corp.example.com,!secret.corp.example.com ${A.kh}`,
    /* 6 */ `web?.example.org ${C.kh}`,
    /* 7 */ `@revoked * ${R.kh}`,
    /* 8 */ `@cert-authority *.example.net ${A.kh}`,
    /* 9 */ `rsaonly.example.com ${D.kh}`,
    /* 10 */ `[127.0.0.1]:2222 ${A.kh}`,
    /* 11 */ `  multi.example.com ${B.kh}`,
    /* 12 */ `multi.example.com ${C.kh}`,
    /* 13 */ `plain-and-revoked.example.com ${R.kh}`,
    /* 14 */ `bareonly.example.com ${A.kh}`,
    /* 15 */ `brokenline`,
    /* 16 */ `MixedCase.Example.COM ${A.kh}`,
    /* 17 */ `two.example.com ${B.kh}`,
    /* 18 */ `two.example.com ${D.kh}`,
    /* 19 */ `*.example.net ${B.kh}`,
    '',
  ].join('\n');
  await writeFile(fixturePath(), fixture);
  // ssh-keygen -H refuses files with invalid lines, so comment out the broken one (keeps numbering).
  await writeFile(hashedPath(), fixture.replace('\nbrokenline\n', '\n#brokenline\n'));
  // -H rewrites in place: comma lists are split, wildcard and marker lines left alone.
  await run('ssh-keygen', ['-H', '-f', hashedPath()]);
  hashedFixture = await readFile(hashedPath(), 'utf8');
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('fingerprintSha256 / keyTypeOf', () => {
  it('matches ssh-keygen -lf for ed25519, ecdsa and rsa keys', async () => {
    for (const k of Object.values(keys)) {
      expect(fingerprintSha256(k.raw)).toBe(await keygenFingerprint(k.pubPath));
    }
    expect(fingerprintSha256(keys.A.raw)).not.toMatch(/=/);
  });

  it('reads the wire-format key type', () => {
    expect(keyTypeOf(keys.A.raw)).toBe('ssh-ed25519');
    expect(keyTypeOf(keys.C.raw)).toBe('ecdsa-sha2-nistp256');
    expect(keyTypeOf(keys.D.raw)).toBe('ssh-rsa');
    expect(() => keyTypeOf(Buffer.from([0, 0]))).toThrow(/too short/);
    expect(() => keyTypeOf(Buffer.from([0, 0, 0, 99, 1]))).toThrow(/bad type/);
  });
});

describe('hostPattern', () => {
  it('uses bare host on 22 and [host]:port otherwise', () => {
    expect(hostPattern('example.com', 22)).toBe('example.com');
    expect(hostPattern('example.com', 2222)).toBe('[example.com]:2222');
    expect(hostPattern('::1', 2222)).toBe('[::1]:2222');
    expect(hostPattern('[::1]', 22)).toBe('::1');
  });
});

describe('parseKnownHosts', () => {
  it('skips comments, blanks and broken lines, keeps raw text and markers', () => {
    const entries = parseKnownHosts(fixture);
    expect(entries.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 19]);
    const first = entries[0]!;
    expect(first.raw).toBe(`example.com,192.0.2.10 ${keys.A.kh} a comment`);
    expect(first.hosts).toBe('example.com,192.0.2.10');
    expect(first.keyType).toBe('ssh-ed25519');
    expect(first.key.equals(keys.A.raw)).toBe(true);
    expect(first.comment).toBe('a comment');
    expect(entries.find((e) => e.line === 7)?.marker).toBe('revoked');
    expect(entries.find((e) => e.line === 8)?.marker).toBe('cert-authority');
    expect(entries.find((e) => e.line === 11)?.raw).toBe(`  multi.example.com ${keys.B.kh}`);
  });

  it('rejects unknown markers, type/blob mismatches, bad base64 and SSH1 lines; tolerates CRLF', () => {
    const text = [
      `@bogus host ${keys.A.kh}`,
      `host ssh-rsa ${keys.A.b64}`,
      `host ssh-ed25519 not*base64`,
      `host 1024 35 1234567`,
      `host ${keys.A.kh}\r`,
    ].join('\n');
    const entries = parseKnownHosts(text);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.line).toBe(5);
    expect(entries[0]!.key.equals(keys.A.raw)).toBe(true);
  });
});

const QUERIES = [
  'example.com',
  '192.0.2.10',
  '[example.com]:2222',
  'a.corp.example.com',
  'secret.corp.example.com',
  'corp.example.com',
  'web1.example.org',
  'web12.example.org',
  'web.example.org',
  'x.example.net',
  'rsaonly.example.com',
  '[127.0.0.1]:2222',
  '127.0.0.1',
  'multi.example.com',
  'nothing.example',
  'mixedcase.example.com',
  '[bareonly.example.com]:2200',
  'bareonly.example.com',
];

describe('host matching agrees with ssh-keygen -F', () => {
  it.each(QUERIES)('plain file: %s', async (name) => {
    const ours = parseKnownHosts(fixture)
      .filter((e) => entryMatchesHost(e, name))
      .map((e) => e.line);
    expect(ours).toEqual(await keygenFind(fixturePath(), name));
  });

  it('the hashed file really is hashed', async () => {
    expect(hashedFixture).toMatch(/^\|1\|/m);
    expect(hashedFixture).not.toContain('rsaonly.example.com');
    // guard against a vacuous cross-check: hashed names are still found
    const lines = hashedFixture.split('\n');
    for (const name of ['example.com', '192.0.2.10', '[example.com]:2222', 'rsaonly.example.com']) {
      const found = await keygenFind(hashedPath(), name);
      expect(found.some((n) => lines[n - 1]?.startsWith('|1|'))).toBe(true);
    }
  });

  it.each(QUERIES)('hashed file: %s', async (name) => {
    const ours = parseKnownHosts(hashedFixture)
      .filter((e) => entryMatchesHost(e, name))
      .map((e) => e.line);
    expect(ours).toEqual(await keygenFind(hashedPath(), name));
  });
});

describe('checkHostKey', () => {
  let A: TestKey, B: TestKey, C: TestKey, D: TestKey, R: TestKey;
  beforeAll(() => {
    ({ A, B, C, D, R } = keys);
  });
  const check = (text: string, host: string, port: number, k: TestKey) => checkHostKey(text, host, port, k.type, k.raw);

  it('known: plain, comma list member, IP, wildcard and port form', () => {
    expect(check(fixture, 'example.com', 22, A)).toEqual({ status: 'known' });
    expect(check(fixture, '192.0.2.10', 22, A)).toEqual({ status: 'known' });
    expect(check(fixture, 'a.corp.example.com', 22, A)).toEqual({ status: 'known' });
    expect(check(fixture, 'web7.example.org', 22, C)).toEqual({ status: 'known' });
    expect(check(fixture, 'example.com', 2222, B)).toEqual({ status: 'known' });
    expect(check(fixture, '127.0.0.1', 2222, A)).toEqual({ status: 'known' });
  });

  it('known: hashed entries, including [host]:port', () => {
    expect(check(hashedFixture, 'example.com', 22, A)).toEqual({ status: 'known' });
    expect(check(hashedFixture, '192.0.2.10', 22, A)).toEqual({ status: 'known' });
    expect(check(hashedFixture, '127.0.0.1', 2222, A)).toEqual({ status: 'known' });
    expect(check(hashedFixture, 'example.com', 2222, B)).toEqual({ status: 'known' });
  });

  it('host names are matched case-insensitively (ssh lower-cases them)', () => {
    expect(check(fixture, 'MixedCase.example.com', 22, A)).toEqual({ status: 'known' });
    expect(check(hashedFixture, 'EXAMPLE.com', 22, A)).toEqual({ status: 'known' });
  });

  it('changed: same key type, different key; reports the offending line', () => {
    expect(check(fixture, 'example.com', 22, B)).toEqual({ status: 'changed', line: 3 });
    expect(check(fixture, 'example.com', 2222, A)).toEqual({ status: 'changed', line: 4 });
        const hashedChanged = check(hashedFixture, 'example.com', 22, B);
    expect(hashedChanged.status).toBe('changed');
  });

  it('negated pattern excludes the whole line', () => {
    expect(check(fixture, 'secret.corp.example.com', 22, A)).toEqual({ status: 'unknown', otherTypes: [] });
    // and so a different key for it is not "changed" either
    expect(check(fixture, 'secret.corp.example.com', 22, B).status).toBe('unknown');
  });

  it('wildcard ? matches exactly one character', () => {
    expect(check(fixture, 'web.example.org', 22, C).status).toBe('unknown');
    expect(check(fixture, 'web12.example.org', 22, C).status).toBe('unknown');
  });

  it('revoked: @revoked wins even over a plain line with the same key', () => {
    expect(check(fixture, 'anything.example', 22, R)).toEqual({ status: 'revoked' });
    expect(check(fixture, 'plain-and-revoked.example.com', 22, R)).toEqual({ status: 'revoked' });
    expect(check(fixture, 'example.com', 2222, R)).toEqual({ status: 'revoked' });
  });

  it('@cert-authority lines do not vouch for plain keys', () => {
    // line 8 lists A as CA for *.example.net; line 19 has B as the plain key
    expect(check(fixture, 'x.example.net', 22, A)).toEqual({ status: 'changed', line: 19 });
    const caOnly = `@cert-authority *.example.net ${A.kh}\n`;
    expect(check(caOnly, 'x.example.net', 22, A)).toEqual({ status: 'unknown', otherTypes: [] });
  });

  it('unknown host', () => {
    expect(check(fixture, 'nothing.example', 22, A)).toEqual({ status: 'unknown', otherTypes: [] });
    expect(check('', 'example.com', 22, A)).toEqual({ status: 'unknown', otherTypes: [] });
  });

  it('only other key types recorded → unknown, with the types listed', () => {
    expect(check(fixture, 'rsaonly.example.com', 22, A)).toEqual({ status: 'unknown', otherTypes: ['ssh-rsa'] });
    expect(check(fixture, 'rsaonly.example.com', 22, D)).toEqual({ status: 'known' });
    // multiple types recorded: the matching type decides
    expect(check(fixture, 'multi.example.com', 22, C)).toEqual({ status: 'known' });
    expect(check(fixture, 'multi.example.com', 22, A)).toEqual({ status: 'changed', line: 11 });
    expect(check(fixture, 'two.example.com', 22, C)).toEqual({ status: 'unknown', otherTypes: ['ssh-ed25519', 'ssh-rsa'] });
  });

  it('non-22 port falls back to the bare host only when the key matches there', () => {
    expect(check(fixture, 'bareonly.example.com', 2200, A)).toEqual({ status: 'known' });
    expect(check(fixture, 'bareonly.example.com', 2200, B)).toEqual({ status: 'unknown', otherTypes: [] });
  });

  it('accepts rsa-sha2-* algorithm names for ssh-rsa keys and rejects mismatched types', () => {
    expect(checkHostKey(fixture, 'rsaonly.example.com', 22, 'rsa-sha2-512', D.raw)).toEqual({ status: 'known' });
    expect(() => checkHostKey(fixture, 'example.com', 22, 'ssh-rsa', A.raw)).toThrow(/does not match/);
  });

  it('knownKeyTypes lists plain entry types for the host', () => {
    expect(knownKeyTypes(fixture, 'two.example.com', 22)).toEqual(['ssh-ed25519', 'ssh-rsa']);
    expect(knownKeyTypes(fixture, 'x.example.net', 22)).toEqual(['ssh-ed25519']);
    expect(knownKeyTypes(fixture, 'nothing.example', 22)).toEqual([]);
  });
});

describe('knownHostsLine', () => {
  it('writes plain and hashed lines that ssh-keygen -F finds', async () => {
    const { A, C } = keys;
    const lines = [
      knownHostsLine('Plain.Example', 22, A.type, A.raw),
      knownHostsLine('plain.example', 2022, C.type, C.raw),
      knownHostsLine('hashed.example', 22, A.type, A.raw, { hash: true }),
      knownHostsLine('hashed.example', 2022, C.type, C.raw, { hash: true }),
      knownHostsLine('::1', 2022, A.type, A.raw, { hash: true }),
    ];
    expect(lines[0]).toBe(`plain.example ${A.kh}`);
    expect(lines[1]).toBe(`[plain.example]:2022 ${C.kh}`);
    expect(lines[2]).toMatch(/^\|1\|[A-Za-z0-9+/]{27}=\|[A-Za-z0-9+/]{27}= ssh-ed25519 /);
    const file = join(dir, 'generated');
    await writeFile(file, lines.join('\n') + '\n');
    expect(await keygenFind(file, 'plain.example')).toEqual([1]);
    expect(await keygenFind(file, '[plain.example]:2022')).toEqual([2]);
    expect(await keygenFind(file, 'hashed.example')).toEqual([3]);
    expect(await keygenFind(file, '[hashed.example]:2022')).toEqual([4]);
    expect(await keygenFind(file, '[::1]:2022')).toEqual([5]);
    const text = await readFile(file, 'utf8');
    expect(checkHostKey(text, 'hashed.example', 2022, C.type, C.raw)).toEqual({ status: 'known' });
  });
});

describe('KnownHostsFile', () => {
  it('reads a missing file as empty and does not create it', async () => {
    const path = join(dir, 'home1', '.ssh', 'known_hosts');
    const f = new KnownHostsFile(path);
    expect(await f.check('example.com', 22, keys.A.raw)).toEqual({ status: 'unknown', otherTypes: [] });
    expect(existsSync(join(dir, 'home1'))).toBe(false);
  });

  it('creates ~/.ssh 0700 and known_hosts 0600, then recognises the key', async () => {
    const sshDir = join(dir, 'home2', '.ssh');
    const path = join(sshDir, 'known_hosts');
    const f = new KnownHostsFile(path);
    const line = await f.append('Server.Example', 2222, keys.A.raw);
    expect(line).toBe(`[server.example]:2222 ${keys.A.kh}`);
    expect((await stat(sshDir)).mode & 0o777).toBe(0o700);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await f.check('server.example', 2222, keys.A.raw)).toEqual({ status: 'known' });
    expect(await f.check('server.example', 2222, keys.B.raw)).toEqual({ status: 'changed', line: 1 });
    expect(await keygenFind(path, '[server.example]:2222')).toEqual([1]);
  });

  it('re-reads the file each time and repairs a missing final newline', async () => {
    const path = join(dir, 'home3', 'known_hosts');
    const f = new KnownHostsFile(path, { hash: true });
    await f.append('one.example', 22, keys.A.raw);
    // someone else appends without a trailing newline
    await appendFile(path, `other.example ${keys.B.kh}`);
    expect(await f.check('other.example', 22, keys.B.raw)).toEqual({ status: 'known' });
    await f.append('two.example', 22, keys.C.raw);
    const text = await readFile(path, 'utf8');
    expect(text.split('\n')).toHaveLength(4); // 3 lines + final newline
    expect(text).not.toContain('one.example');
    expect(await keygenFind(path, 'one.example')).toEqual([1]);
    expect(await keygenFind(path, 'other.example')).toEqual([2]);
    expect(await keygenFind(path, 'two.example')).toEqual([3]);
    expect(await f.check('two.example', 22, keys.C.raw)).toEqual({ status: 'known' });
  });
});
