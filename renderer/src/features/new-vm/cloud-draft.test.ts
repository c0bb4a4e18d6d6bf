import { describe, expect, it } from 'vitest';
import { cloudFieldErrors, cloudSourcePart, emptyCloudDraft } from './cloud-draft';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@laptop';
const base = { ...emptyCloudDraft, poolUuid: '11111111-2222-4333-8444-555555555555', volume: 'debian-12.qcow2' };

describe('cloud image draft → spec', () => {
  it('needs the image; the default editor text is not sent; keys per line, packages split on spaces and commas', () => {
    expect(cloudSourcePart(emptyCloudDraft)).toEqual({ missing: 'newvm.missing.cloudImage' });
    expect(cloudSourcePart({ ...base, sshKeys: `\n ${KEY} \n\n`, packages: 'nginx, curl\nvim', hostname: ' web-1 ', userName: 'alice', password: 'p w' })).toEqual({
      value: {
        kind: 'cloud',
        image: { poolUuid: base.poolUuid, name: 'debian-12.qcow2' },
        linked: true,
        cloudInit: { userName: 'alice', password: 'p w', sshKeys: [KEY], hostname: 'web-1', packages: ['nginx', 'curl', 'vim'] },
      },
    });
    const withDoc = cloudSourcePart({ ...base, userData: '#cloud-config\nruncmd: [ls]\n', linked: false });
    expect(withDoc).toMatchObject({ value: { linked: false, cloudInit: { userData: '#cloud-config\nruncmd: [ls]\n' } } });
  });

  it('marks bad fields and holds the spec back until they are fixed', () => {
    const bad = { ...base, userName: 'Root', hostname: 'a_b', sshKeys: 'nope', packages: '-rf' };
    expect([...cloudFieldErrors(bad)].sort()).toEqual(['hostname', 'packages', 'sshKeys', 'userName']);
    expect(cloudSourcePart(bad)).toEqual({ missing: 'newvm.missing.cloudInit' });
    expect([...cloudFieldErrors({ ...base, password: 'x' })]).toEqual(['password']);
    expect(cloudFieldErrors(base).size).toBe(0);
  });
});
