import { describe, expect, it } from 'vitest';
import { emptyPoolForm, validatePoolForm, type PoolForm } from './pool-form';

const form = (patch: Partial<PoolForm>): PoolForm => ({ ...emptyPoolForm, ...patch });

describe('the new-pool form', () => {
  it('turns each type\'s fields into a pool spec', () => {
    expect(validatePoolForm(form({ name: 'images', targetPath: ' /var/lib/images ' })).spec).toEqual({ type: 'dir', name: 'images', targetPath: '/var/lib/images' });
    expect(validatePoolForm(form({ type: 'netfs', name: 'n', host: 'nas', sourcePath: '/export', targetPath: '/mnt/n', protocolVersion: '4' })).spec).toMatchObject({ host: 'nas', format: 'nfs', protocolVersion: '4' });
    expect(validatePoolForm(form({ type: 'logical', name: 'l', vgName: 'vg0', devices: '/dev/sdb\n/dev/sdc' })).spec).toMatchObject({ devices: ['/dev/sdb', '/dev/sdc'] });
    expect(validatePoolForm(form({ type: 'iscsi', name: 'i', host: '192.0.2.5', port: '3260', iqnTarget: 'iqn.2020-01.x:y' })).spec).toMatchObject({ port: 3260 });
    expect(validatePoolForm(form({ type: 'rbd', name: 'r', monitors: 'mon1:6789, mon2', cephPool: 'rbd' })).spec).toMatchObject({ monitors: [{ host: 'mon1', port: 6789 }, { host: 'mon2' }] });
    expect(validatePoolForm(form({ type: 'gluster', name: 'g', host: 'gl', volume: 'gv0' })).spec).toMatchObject({ volume: 'gv0' });
  });

  it('keeps a hostile name as typed', () => {
    expect(validatePoolForm(form({ name: `--it's "x" $(id)`, targetPath: '/p' })).spec?.name).toBe(`--it's "x" $(id)`);
  });

  it('says which fields are missing or wrong', () => {
    expect(validatePoolForm(form({})).errors).toEqual({ name: 'required', targetPath: 'required' });
    expect(validatePoolForm(form({ name: 'a/b', targetPath: 'relative' })).errors).toEqual({ name: 'invalid', targetPath: 'invalid' });
    expect(validatePoolForm(form({ type: 'rbd', name: 'r', monitors: 'm', cephPool: 'p', authUser: 'u' })).errors).toEqual({ secretUuid: 'required' });
  });
});
