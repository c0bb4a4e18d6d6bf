import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CloudInit, type CloudInitInput } from '../../../../shared/model/cloud-init';
import { PLACEHOLDER_HASH } from './crypt';
import { composeUserData, hostnameFromVmName, seedTexts, userDataProblems } from './user-data';

const ci = (x: CloudInitInput) => CloudInit.parse(x);
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@laptop';
/** Debian's cloud-init 22.4 on this machine: exit 0 = valid, 1 = schema errors. (Node's spawnSync stdin is a socket, which Python cannot open as /dev/stdin: a file here.) */
const dir = mkdtempSync(join(tmpdir(), 'vd-userdata-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const schema = (text: string) => {
  writeFileSync(join(dir, 'user-data'), text);
  return spawnSync('cloud-init', ['schema', '--config-file', join(dir, 'user-data')], { encoding: 'utf8' });
};

describe('user-data from the wizard’s fields', () => {
  it('fields alone: hostname, a sudo user with the password hash and keys, packages; passes cloud-init schema', () => {
    const text = composeUserData(ci({ userName: 'alice', password: 'x', sshKeys: [KEY], hostname: 'web-1.example.org', packages: ['nginx', 'curl'] }), 'unused', PLACEHOLDER_HASH);
    expect(text.startsWith('#cloud-config\n')).toBe(true);
    expect(parse(text)).toEqual({
      hostname: 'web-1',
      fqdn: 'web-1.example.org',
      users: ['default', { name: 'alice', shell: '/bin/bash', sudo: 'ALL=(ALL) NOPASSWD:ALL', lock_passwd: false, passwd: PLACEHOLDER_HASH, ssh_authorized_keys: [KEY] }],
      ssh_pwauth: true,
      packages: ['nginx', 'curl'],
    });
    expect(text).not.toContain('"x"');
    const r = schema(text);
    expect(r.status, r.stderr).toBe(0);
  });

  it('merges into the free editor’s document, keeping its comments, keys and list items', () => {
    const userData = '#cloud-config\n# my comment\nhostname: old\npackages: [git, nginx]\nruncmd:\n  - [touch, /root/x]\nusers:\n  - name: ops\n';
    const text = composeUserData(ci({ userData, hostname: 'new', packages: ['nginx', 'vim'], userName: 'bob' }), 'unused', null);
    expect(text).toContain('# my comment');
    const doc = parse(text);
    expect(doc.hostname).toBe('new');
    expect(doc.packages).toEqual(['git', 'nginx', 'vim']);
    expect(doc.runcmd).toEqual([['touch', '/root/x']]);
    expect(doc.users.map((u: { name: string }) => u.name)).toEqual(['ops', 'bob']);
    expect(schema(text).status).toBe(0);
  });

  it('keys without a user go to the default user; the host name defaults from the VM name', () => {
    const t = seedTexts(ci({ sshKeys: [KEY] }), { name: 'My VM (1) ü', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ffee99' }, null);
    expect(parse(t.userData)).toEqual({ hostname: 'my-vm-1-u', ssh_authorized_keys: [KEY] });
    expect(parse(t.metaData)).toEqual({ 'instance-id': 'iid-5d7e57a1-0000-4e2e-8d0c-7e57c0ffee99', 'local-hostname': 'my-vm-1-u' });
    expect(t.networkConfig).toBeNull();
    expect(hostnameFromVmName('$(id)')).toBe('id');
    expect(hostnameFromVmName('---')).toBe('localhost');
  });

  it('refuses: no header, broken YAML, a list at the top, bad network-config, a password without a user', () => {
    expect(userDataProblems(ci({ userData: 'hostname: x\n' }))[0]).toMatch(/must begin with the line “#cloud-config”/);
    expect(userDataProblems(ci({ userData: '#cloud-config\nhostname: [x\n' }))[0]).toMatch(/user-data is not valid YAML/);
    expect(userDataProblems(ci({ userData: '#cloud-config\n- a\n- b\n' }))).toEqual(['user-data must be a YAML mapping (“key: value” lines) at the top level.']);
    expect(userDataProblems(ci({ userData: '#cloud-config\na: 1\na: 2\n' }))[0]).toMatch(/not valid YAML.*[Uu]nique|not valid YAML/);
    expect(userDataProblems(ci({ networkConfig: 'version: 2\nethernets: {eth0: {dhcp4: true}\n' }))[0]).toMatch(/network-config is not valid YAML/);
    expect(userDataProblems(ci({ password: 'pw' }))).toEqual(['A password needs a user name: cloud-init sets it for that user.']);
    expect(userDataProblems(ci({ userData: '#cloud-config\n', hostname: 'ok' }))).toEqual([]);
  });

  it('the schema rejects what only cloud-init knows is wrong (types of known keys)', () => {
    const r = schema(composeUserData(ci({ userData: '#cloud-config\nruncmd: 5\n' }), 'h', null));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/runcmd: 5 is not of type 'array'/);
  });

  it('the model refuses bad fields', () => {
    expect(CloudInit.safeParse({ userName: 'Root Admin' }).success).toBe(false);
    expect(CloudInit.safeParse({ hostname: 'a_b' }).success).toBe(false);
    expect(CloudInit.safeParse({ sshKeys: ['not a key'] }).success).toBe(false);
    expect(CloudInit.safeParse({ packages: ['-rf'] }).success).toBe(false);
    expect(CloudInit.safeParse({ packages: ['nginx=1.2-3', 'python3.11'] }).success).toBe(true);
  });
});
