/**
 * The virt-install line the wizard shows, pasted on the host, gives a domain of the same shape
 * (devices, buses, models, boot) as the XML Virtdeck defines. Run on the private test host:
 * virt-install defines and autostarts pools even with --dry-run. Skipped where virt-install
 * (Debian: virtinst) is not installed on this machine.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewVmSpecInput } from '../shared/model/newvm';
import { parseXml, elementChildren, child, attr, text } from '../electron/xml/dom';
import { startHarness, type Harness } from './support/backend-harness';
import { inPrivateHost, startPrivateHost, stopPrivateHost, type PrivateHost } from './support/private-host';
import { newVmEnv } from '../electron/libvirt/new-vm/testing/new-vm-env';

const hasVirtInstall = spawnSync('virt-install', ['--version'], { encoding: 'utf8' }).status === 0;

/** The shape virt-install and Virtdeck must agree on: machine, boot order and each device's kind, bus and model. */
function shape(xml: string): { machine: string; boot: string[]; firmware: string; kernel: boolean; devices: string[] } {
  const root = parseXml(xml).documentElement!;
  const os = child(root, 'os');
  const devices = elementChildren(child(root, 'devices'))
    .map((d) => {
      switch (d.tagName) {
        case 'disk':
          return `disk ${attr(d, 'device')} ${attr(child(d, 'target'), 'bus')}`;
        case 'interface':
          return `interface ${attr(d, 'type')} ${attr(child(d, 'model'), 'type')}`;
        case 'graphics':
          return `graphics ${attr(d, 'type')} ${attr(d, 'listen') ?? attr(child(d, 'listen'), 'address')}`;
        case 'video':
          return `video ${attr(child(d, 'model'), 'type')}`;
        case 'serial':
        case 'console':
          return `${d.tagName} ${attr(d, 'type')}`;
        case 'rng':
          return `rng ${attr(d, 'model')} ${text(child(d, 'backend'))?.trim()}`;
        case 'memballoon':
          return `memballoon ${attr(d, 'model')}`;
        case 'tpm':
          return `tpm ${attr(d, 'model')}`;
        default:
          return null; // controllers, inputs, channels: each tool adds its own
      }
    })
    .filter((d): d is string => d !== null)
    .sort();
  const features = elementChildren(child(os, 'firmware'), 'feature').map((f) => `${attr(f, 'name')}=${attr(f, 'enabled')}`);
  return {
    machine: attr(child(os, 'type'), 'machine') ?? '',
    boot: elementChildren(os, 'boot').map((b) => attr(b, 'dev') ?? ''),
    firmware: [attr(os, 'firmware') ?? 'bios', ...features].join(' '),
    kernel: !!child(os, 'kernel'),
    devices,
  };
}

describe.skipIf(!hasVirtInstall)('the displayed virt-install line (private test host)', () => {
  const env = newVmEnv();
  let priv: PrivateHost;
  let h: Harness;
  let id: string;

  beforeAll(async () => {
    priv = await startPrivateHost();
    // virt-install --install kernel=… copies the kernel into a "boot" pool it defines there.
    inPrivateHost(priv, 'mkdir', '-p', '/var/lib/libvirt/boot');
    h = await startHarness();
    h.answerPrompts(() => ({ accept: true }));
    const uri = `qemu+ssh://${priv.SSH_USER}@${priv.SSH_HOST}:${priv.SSH_PORT}/system`;
    id = (await h.call('hosts.save', { connection: { name: 'private', uri, ssh: { auth: 'key', keyFile: priv.SSH_KEY } } })).config.id;
    await h.call('hosts.connect', { hostId: id });
  }, 120_000);
  afterAll(async () => {
    h?.close();
    if (priv) await stopPrivateHost(priv);
  });

  it.each([
    ['an ISO as CD-ROM on q35 with UEFI (no Secure Boot), Linux', { firmware: 'efi', osId: 'debian11', machine: 'q35' }],
    ['an ISO as CD-ROM on pc with BIOS, generic OS', { osId: 'generic', machine: 'pc' }],
    ['an imported raw disk on pc', { osId: 'generic', machine: 'pc', source: { kind: 'import', disk: { type: 'path', path: newVmEnv().TEST_ISO }, format: 'raw' } }],
    ['direct kernel boot with a kernel command line', { osId: 'generic', machine: 'pc', source: { kind: 'kernel', kernel: { type: 'path', path: newVmEnv().KERNEL }, initrd: { type: 'path', path: newVmEnv().INITRD }, cmdline: 'console=ttyS0 quiet' } }],
  ] as const)('%s: same devices, buses, models and boot order', async (_label, over) => {
    const spec = {
      name: 'vd-test-newvm virt-install',
      source: { kind: 'iso', iso: { type: 'path', path: env.TEST_ISO } },
      memoryMiB: 256,
      vcpus: 1,
      storage: { kind: 'none' },
      network: { kind: 'user' },
      domainType: 'qemu',
      ...over,
    } as NewVmSpecInput;
    const plan = await h.call('newvm.plan', { hostId: id, spec });
    expect(plan.problems).toEqual([]);
    // Pasted as shown, in a shell on the host; --print-xml 1: the install step's XML, nothing defined.
    const run = inPrivateHost(priv, 'sh', '-c', `${plan.virtInstall} --print-xml 1 --dry-run`);
    expect(run.stderr).not.toMatch(/ERROR/);
    const theirs = shape(run.stdout);
    const ours = shape(plan.xml);
    expect(theirs.devices).toEqual(ours.devices);
    expect(theirs.boot).toEqual(ours.boot);
    expect(theirs.firmware).toBe(ours.firmware);
    expect(theirs.kernel).toBe(ours.kernel);
    expect(theirs.machine.replace(/^pc-q35-.*/, 'q35').replace(/^pc-i440fx-.*/, 'pc')).toBe(ours.machine);
  }, 120_000);
});
