import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SSHConfig from 'ssh-config';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSshConfig, parseJumpSpec, resolveSshConfig } from './ssh-config';

const HOME = '/home/alice';
const opts = { home: HOME, localUser: 'alice' };

const REALISTIC = `
# global defaults that apply before any Host block
ServerAliveInterval 30
IdentityFile ~/.ssh/id_global

Host prod
    HostName prod.example.com
    User admin
    Port 2222
    IdentityFile ~/.ssh/id_prod
    IdentityFile ~/.ssh/keys/%h_%r_%p
    IdentitiesOnly yes

Host *.internal !db.internal
    User ops
    ProxyJump jump@bastion.example.com:2200

Host db.internal
    HostName 10.0.0.5
    ProxyJump bastion-a,bastion-b

Host prod*
    # first match wins: prod already has a User and Port
    User nobody
    Port 1
    IdentityFile ~/.ssh/id_prodstar

Host gw
    Hostname=gw.example.com
    PORT=2022
    user "root"
    ProxyJump none

Host lab-*
    HostName %h.lab.example.org
    IdentityFile "%d/.ssh/lab key"
    IdentityFile /etc/ssh/%u@%n%%

Host *
    User fallback
    IdentityFile ~/.ssh/id_ed25519
`;

describe('resolveSshConfig', () => {
  it('applies the first matching value and accumulates IdentityFile', () => {
    expect(resolveSshConfig(REALISTIC, 'prod', opts)).toEqual({
      hostName: 'prod.example.com',
      user: 'admin',
      port: 2222,
      identityFiles: [
        '/home/alice/.ssh/id_global',
        '/home/alice/.ssh/id_prod',
        '/home/alice/.ssh/keys/prod.example.com_admin_2222',
        '/home/alice/.ssh/id_prodstar',
        '/home/alice/.ssh/id_ed25519',
      ],
    });
  });

  it('matches wildcards and honours negated patterns', () => {
    expect(resolveSshConfig(REALISTIC, 'web.internal', opts)).toEqual({
      hostName: 'web.internal',
      user: 'ops',
      identityFiles: ['/home/alice/.ssh/id_global', '/home/alice/.ssh/id_ed25519'],
      proxyJump: 'jump@bastion.example.com:2200',
    });
    const db = resolveSshConfig(REALISTIC, 'db.internal', opts);
    expect(db.hostName).toBe('10.0.0.5');
    expect(db.user).toBe('fallback'); // the *.internal block was vetoed by !db.internal
    expect(db.proxyJump).toBe('bastion-a,bastion-b');
  });

  it('a later wildcard block fills only what is still unset', () => {
    const r = resolveSshConfig(REALISTIC, 'production', opts);
    expect(r).toMatchObject({ hostName: 'production', user: 'nobody', port: 1 });
  });

  it('directive names are case-insensitive, "=" separators and quotes work, ProxyJump none is absent', () => {
    expect(resolveSshConfig(REALISTIC, 'gw', opts)).toEqual({
      hostName: 'gw.example.com',
      user: 'root',
      port: 2022,
      identityFiles: ['/home/alice/.ssh/id_global', '/home/alice/.ssh/id_ed25519'],
    });
  });

  it('expands %h in HostName and %d %u %n %% in IdentityFile', () => {
    const r = resolveSshConfig(REALISTIC, 'lab-3', opts);
    expect(r.hostName).toBe('lab-3.lab.example.org');
    expect(r.identityFiles).toEqual([
      '/home/alice/.ssh/id_global',
      '/home/alice/.ssh/lab key',
      '/etc/ssh/alice@lab-3%',
      '/home/alice/.ssh/id_ed25519',
    ]);
  });

  it('%r falls back to the local user when no User is configured', () => {
    const r = resolveSshConfig('Host x\n  IdentityFile ~/k_%r_%p\n', 'x', opts);
    expect(r).toEqual({ hostName: 'x', identityFiles: ['/home/alice/k_alice_22'] });
  });

  it('an alias nothing matches resolves to itself', () => {
    expect(resolveSshConfig('Host other\n  User bob\n', 'plain.example', opts)).toEqual({ hostName: 'plain.example', identityFiles: [] });
    expect(resolveSshConfig('', 'plain.example', opts)).toEqual({ hostName: 'plain.example', identityFiles: [] });
  });

  it('rejects a bad Port and unparseable text with a clear message', () => {
    expect(() => resolveSshConfig('Host x\n  Port 99999\n', 'x', opts)).toThrow(/Bad Port "99999"/);
    expect(() => resolveSshConfig('Host x\n  Port ssh\n', 'x', opts)).toThrow(/Bad Port/);
    expect(() => resolveSshConfig('Host x\n  User "unterminated\n', 'x', opts)).toThrow(/Cannot parse ssh config/);
  });

  it('does not follow Include', () => {
    const dir = mkdtempSync(join(tmpdir(), 'virtdeck-inc-'));
    try {
      writeFileSync(join(dir, 'extra'), 'Host x\n  User included\n');
      const r = resolveSshConfig(`Include ${join(dir, 'extra')}\nHost x\n  Port 2200\n`, 'x', opts);
      expect(r).toEqual({ hostName: 'x', port: 2200, identityFiles: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('non-exec Match criteria still apply', () => {
    const text = 'Match host prod.example.com\n  User matched\nHost prod\n  HostName prod.example.com\n';
    // Match host compares against the HostName resolved so far; on the first pass it is the alias.
    expect(resolveSshConfig(text, 'prod.example.com', opts).user).toBe('matched');
    expect(resolveSshConfig('Match all\n  Port 2201\n', 'any', opts).port).toBe(2201);
  });
});

describe('nothing in the config is ever executed', () => {
  let dir = '';
  let marker = '';
  const savedPath = process.env.PATH;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'virtdeck-exec-'));
  });
  afterEach(() => {
    process.env.PATH = savedPath;
    if (marker) rmSync(marker, { force: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const execConfig = (file: string) => `
Match exec "touch ${file}"
    User pwned
    Port 6666
Match !exec "false" host *
    User pwned2
Host target
    HostName target.example.com
Host *
    User safe
`;

  it('control: the ssh-config package by default DOES run Match exec (so the test below is meaningful)', () => {
    marker = join(dir, 'control-ran');
    const computed = SSHConfig.parse(execConfig(marker)).compute('target');
    expect(existsSync(marker)).toBe(true);
    // (On Debian's dash the package's bash-only `function main {…}` wrapper makes the
    // match itself fail, but the command has already run — which is what matters.)
    expect(computed).toBeDefined();
  });

  it('resolveSshConfig never runs Match exec and treats those blocks as not matching', () => {
    marker = join(dir, 'must-not-exist');
    const r = resolveSshConfig(execConfig(marker), 'target', opts);
    expect(existsSync(marker)).toBe(false);
    expect(r).toEqual({ hostName: 'target.example.com', user: 'safe', identityFiles: [] });
  });

  it('CanonicalizeHostName never shells out to nslookup', () => {
    marker = join(dir, 'nslookup-ran');
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    const fake = join(bin, 'nslookup');
    writeFileSync(fake, `#!/bin/sh\ntouch '${marker}'\nexit 0\n`);
    chmodSync(fake, 0o755);
    const text = 'Host box\n  CanonicalizeHostName yes\n  CanonicalDomains example.com example.org\n  User u\n';
    // control: the package alone would run our fake nslookup
    process.env.PATH = `${bin}:${savedPath ?? ''}`;
    SSHConfig.parse(text).compute('box', { matchExec: false });
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);
    const r = resolveSshConfig(text, 'box', opts);
    expect(existsSync(marker)).toBe(false);
    expect(r).toEqual({ hostName: 'box', user: 'u', identityFiles: [] });
  });
});

describe('parseJumpSpec', () => {
  it.each([
    ['bastion', { host: 'bastion' }],
    ['jump@bastion', { user: 'jump', host: 'bastion' }],
    ['bastion:2200', { host: 'bastion', port: 2200 }],
    ['jump@bastion.example.com:2200', { user: 'jump', host: 'bastion.example.com', port: 2200 }],
    ['[2001:db8::1]:2200', { host: '2001:db8::1', port: 2200 }],
    ['me@[::1]', { user: 'me', host: '::1' }],
    ['fe80::1', { host: 'fe80::1' }],
    ['ssh://me@bastion:2200', { user: 'me', host: 'bastion', port: 2200 }],
    ['first@hop1:22,second@hop2:2222', { user: 'first', host: 'hop1', port: 22 }],
    ['user@corp@bastion', { user: 'user@corp', host: 'bastion' }],
  ])('%s', (spec, want) => {
    expect(parseJumpSpec(spec)).toEqual(want);
  });

  it.each(['', '@host', 'user@', 'host:0', 'host:70000', 'host:ssh', '[::1', '[::1]x'])('rejects %j', (spec) => {
    expect(() => parseJumpSpec(spec)).toThrow(/Bad jump host/);
  });
});

describe('loadSshConfig', () => {
  it('reads ~/.ssh/config, or returns "" when absent', () => {
    const home = mkdtempSync(join(tmpdir(), 'virtdeck-home-'));
    try {
      expect(loadSshConfig(home)).toBe('');
      mkdirSync(join(home, '.ssh'));
      writeFileSync(join(home, '.ssh', 'config'), 'Host a\n  User b\n');
      expect(loadSshConfig(home)).toBe('Host a\n  User b\n');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
