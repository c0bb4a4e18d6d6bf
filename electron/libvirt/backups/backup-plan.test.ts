import { describe, expect, it } from 'vitest';
import { fileSafe } from '../file-names';
import { backupId, backupXml, checkpointXml, diskVolume, encodeManifest, manifestSize, manifestVolume, runningPlan, targetVolumeXml } from './backup-plan';
import { restoreAsNewXml, restoreOverXml } from './restore-xml';
import { manifestSteps, parseManifest } from './store';

describe('backup names and XML', () => {
  it('ids come from the UTC clock and stay unique within a second', () => {
    const t = new Date(Date.UTC(2026, 11, 6, 3, 4, 5));
    expect(backupId(t, new Set())).toBe('20261206-030405');
    expect(backupId(t, new Set(['20261206-030405', '20261206-030405-1']))).toBe('20261206-030405-2');
  });

  it('untrusted VM names become file-safe volume names; the manifest is found by UUID', () => {
    expect(diskVolume('--rm $(x) ü', '20261206-030405', 'vda')).toBe('_-rm___x___.backup-20261206-030405.vda.qcow2');
    expect(fileSafe('.hidden')).toBe('_hidden');
    expect(manifestVolume('5D7E57A1-0000-4E2E-8D0C-7E57C0FFBB01', '20261206-030405')).toBe('vdbackup.5d7e57a1-0000-4e2e-8d0c-7e57c0ffbb01.20261206-030405.json');
  });

  it('targets are qcow2 v3 volumes; an incremental one is backed by its parent', () => {
    expect(targetVolumeXml({ volume: 'a <b>.qcow2', capacity: 67108864 })).toBe(
      `<volume><name>a &lt;b&gt;.qcow2</name><capacity unit='bytes'>67108864</capacity><target><format type='qcow2'/><compat>1.1</compat></target></volume>`,
    );
    expect(targetVolumeXml({ volume: 'i.qcow2', capacity: 1, backingPath: '/p/f.qcow2' })).toContain(`<backingStore><path>/p/f.qcow2</path><format type='qcow2'/></backingStore>`);
  });

  it('backup-begin XML: push mode, incremental from a checkpoint, other disks left out explicitly', () => {
    const disks = [{ target: 'vdb', capacity: 1, volume: 'v', path: '/p/v' }];
    expect(backupXml(disks, ['vdc'], 'vd-backup-1')).toBe(
      `<domainbackup mode='push'><incremental>vd-backup-1</incremental><disks><disk name='vdb' backup='yes' type='file'><target file='/p/v'/><driver type='qcow2'/></disk><disk name='vdc' backup='no'/></disks></domainbackup>`,
    );
    expect(checkpointXml('cp', ['vdb'], ['vdc'])).toContain(`<disks><disk name='vdb' checkpoint='bitmap'/><disk name='vdc' checkpoint='no'/></disks>`);
    const plan = runningPlan('u', 'pool', disks, [], null, null);
    expect(plan.checkpoint).toBeNull();
    expect(plan.begin.argv).toEqual(['backup-begin', '--domain', 'u', '--backupxml', '/dev/stdin', '--reuse-external']);
    expect(plan.volumes[0]!.argv).toEqual(['vol-create', '--pool', 'pool', '--file', '/dev/stdin']);
  });

  it('a manifest that is not one is refused with the volume named', () => {
    expect(() => parseManifest('{"format":"other"}', 'p/x.json')).toThrow(/p\/x.json is not a Virtdeck backup manifest/);
    expect(() => parseManifest('nope', 'p/y.json')).toThrow(/p\/y.json is not a Virtdeck backup manifest/);
  });
});

const SAVED = `<domain type='kvm'>
  <name>web</name>
  <uuid>5d7e57a1-0000-4e2e-8d0c-7e57c0ffbb01</uuid>
  <title>Web</title>
  <os><type>hvm</type><nvram>/var/lib/libvirt/qemu/nvram/web_VARS.fd</nvram></os>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/img/web.raw'/><target dev='vda' bus='virtio'/></disk>
    <disk type='file' device='cdrom'><source file='/iso/x.iso'/><target dev='sda' bus='sata'/><readonly/></disk>
    <interface type='network'><mac address='52:54:00:00:00:01'/><source network='default'/></interface>
    <serial type='pty'><log file='/var/log/libvirt/qemu/web-serial.log'/></serial>
    <graphics type='vnc' port='5901' autoport='no'/>
    <x-unknown keep='yes'/>
  </devices>
</domain>
`;

describe('restored definitions', () => {
  it('as a new VM: new name, no UUID/MAC/title/NVRAM path, disks on the restored volumes as qcow2, logs renamed, unknown elements kept', () => {
    const xml = restoreAsNewXml(SAVED, 'web copy', new Map([['vda', '/pool/web_copy.vda.qcow2']]));
    expect(xml).toContain('<name>web copy</name>');
    expect(xml).not.toMatch(/<uuid>|<mac |<title>|<nvram>/);
    expect(xml).toContain("<driver name='qemu' type='qcow2'/><source file='/pool/web_copy.vda.qcow2'/>");
    expect(xml).toContain("<source file='/iso/x.iso'/>");
    expect(xml).toContain('/var/log/libvirt/qemu/web copy-serial.log');
    expect(xml).toContain("<graphics type='vnc' port='-1' autoport='yes'/>");
    expect(xml).toContain("<x-unknown keep='yes'/>");
  });

  it('over the VM: its current name and UUID, disks repointed', () => {
    const xml = restoreOverXml(SAVED, 'web2', '5d7e57a1-0000-4e2e-8d0c-7e57c0ffbb01', new Map([['vda', '/pool/r.qcow2']]));
    expect(xml).toContain('<name>web2</name>');
    expect(xml).toContain('<uuid>5d7e57a1-0000-4e2e-8d0c-7e57c0ffbb01</uuid>');
    expect(xml).toContain("<source file='/pool/r.qcow2'/>");
  });
});

describe('the manifest is written running, then complete, into one volume', () => {
  const m = {
    format: 'virtdeck-backup/1' as const,
    id: '20261206-030405',
    vm: { name: 'vm ü "x"', uuid: '5d7e57a1-0000-4e2e-8d0c-7e57c0ffbb01' },
    createdAt: 1,
    kind: 'full' as const,
    method: 'backup-begin' as const,
    checkpoint: null,
    parent: null,
    disks: [],
    domainXml: '<domain/>',
    state: 'running' as const,
  };

  it('both states fill the same number of bytes (multi-byte names too) and read back', () => {
    const size = manifestSize(m);
    const running = encodeManifest(m, size);
    const complete = encodeManifest({ ...m, state: 'complete' }, size);
    expect([Buffer.byteLength(running), Buffer.byteLength(complete)]).toEqual([size, size]);
    expect(parseManifest(running, 'x').state).toBe('running');
    expect(parseManifest(complete, 'x').state).toBe('complete');
  });

  it('a manifest from before the state field counts as complete (it was only ever written at the end)', () => {
    const { state: _state, ...old } = m;
    expect(parseManifest(JSON.stringify(old), 'x').state).toBe('complete');
  });

  it('the manifest steps make the volume and write it running first; complete rewrites it whole', () => {
    const s = manifestSteps('p', m);
    expect(s.begin.map((x) => x.argv[0])).toEqual(['vol-create-as', 'vol-upload']);
    expect(s.begin[0]!.argv).toContain(String(manifestSize(m)));
    expect(JSON.parse(s.complete.stdin!).state).toBe('complete');
    expect(Buffer.byteLength(s.complete.stdin!)).toBe(manifestSize(m));
  });
});
