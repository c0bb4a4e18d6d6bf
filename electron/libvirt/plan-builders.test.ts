// The planners behind "Show command" and the actions themselves: exact argv per step, hostile
// names passed as single arguments (never split, never expanded), and the preview text pasting
// into a shell as exactly the argv that runs.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { commandText } from '../../shared/api/commands';
import { NetworkSpec } from '../../shared/model/network';
import { VolumeSpec } from '../../shared/model/storage';
import { ActivityLog } from '../core/activity-log';
import { HostConnection } from '../hosts/host-connection';
import { domainActionSteps, restoreFromFileSteps, saveToFileSteps } from './domains';
import { defineNetworkSteps, networkActionSteps } from './networks';
import { commandLines, preview, type Step } from './plan';
import { definePoolSteps, poolActionSteps } from './pools';
import { cloneVolumeSteps, createVolumeSteps, wipeVolumeSteps } from './volumes';

const HOSTILE = ["it's \"q\" $(id)", 'disk 1.qcow2', '--double', '-x', '`id`;rm -rf ~', 'a   b', 'trail ', 'tab\there', '日本語 ünï'];
const U1 = '5d7e57a1-0000-4e2e-8d0c-7e57c0ffee01';
const U2 = '00000000-0000-4000-8000-0000000000a2';

function host(uri: string): HostConnection {
  return new HostConnection(
    { id: 'h1', name: 'lab "one"', uri, autoconnect: false },
    { homeDir: '/nonexistent', instanceId: 'test', activity: new ActivityLog(), ask: {} as never, onStatus: () => {}, onDomainsChanged: () => {} },
  );
}

/** What a POSIX shell makes of the preview text: the argv after `virsh`, NUL-separated by printf. */
function shellArgv(text: string): string[] {
  const out = execFileSync('sh', ['-c', text.replace(/^virsh /, `printf '%s\\0' `)], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('lifecycle plans', () => {
  it('one line per VM, addressed by UUID', () => {
    expect(domainActionSteps('destroy', [U1, U2])).toEqual([
      { argv: ['destroy', '--domain', U1], long: false },
      { argv: ['destroy', '--domain', U2], long: false },
    ]);
    expect(domainActionSteps('managedsave', [U1])).toEqual([{ argv: ['managedsave', '--domain', U1], long: true }]);
    expect(domainActionSteps('noautostart', [U1])[0]!.argv).toEqual(['autostart', '--domain', U1, '--disable']);
    expect(domainActionSteps('suspend', [U1])[0]!.argv).toEqual(['suspend', '--domain', U1]);
  });

  it('save/restore paths stay one argument each, whatever they contain', () => {
    for (const name of HOSTILE) {
      const path = `/var/lib/libvirt/images/${name}.save`;
      expect(saveToFileSteps(U1, path)).toEqual([{ argv: ['save', '--domain', U1, '--file', path], long: true }]);
      expect(restoreFromFileSteps(path)).toEqual([{ argv: ['restore', '--file', path], long: true }]);
      const [line] = commandLines(host('qemu:///system'), saveToFileSteps(U1, path));
      expect(shellArgv(commandText(line!))).toEqual(['-c', 'qemu:///system', 'save', '--domain', U1, '--file', path]);
    }
  });

  it('the preview names the host and uses the URI virsh is given there', () => {
    const p = preview(host('qemu+ssh://vdtest@127.0.0.1:2222/system'), domainActionSteps('start', [U1]));
    expect(p).toEqual({ hostName: 'lab "one"', remote: true, commands: [{ argv: ['virsh', '-c', 'qemu:///system', 'start', '--domain', U1] }] });
    expect(commandText(p.commands[0]!)).toBe(`virsh -c qemu:///system start --domain ${U1}`);
  });
});

describe('storage and network plans with hostile names', () => {
  it('volumes', () => {
    for (const name of HOSTILE) {
      const spec = VolumeSpec.parse({ name, format: 'qcow2', capacity: 1048576, preallocation: 'metadata', backingPath: `/p/${name}` });
      const [create] = createVolumeSteps(U1, spec);
      expect(create!.argv).toEqual(['vol-create-as', '--pool', U1, '--name', name, '--capacity', '1048576', '--format', 'qcow2', '--allocation', '0', '--prealloc-metadata', '--backing-vol', `/p/${name}`, '--backing-vol-format', 'qcow2']);
      expect(cloneVolumeSteps(U1, name, `${name} copy`, false)[0]!.argv).toEqual(['vol-clone', '--pool', U1, '--vol', name, '--newname', `${name} copy`]);
      expect(wipeVolumeSteps(U1, name, 'zero')[0]).toEqual({ argv: ['vol-wipe', '--pool', U1, '--vol', name, '--algorithm', 'zero'], long: true });
      const [line] = commandLines(host('test:///default'), [create!]);
      expect(shellArgv(commandText(line!))).toEqual(['-c', 'test:///default', ...create!.argv]);
    }
  });

  it('pools: XML on stdin as a heredoc that a shell feeds back unchanged', () => {
    const name = HOSTILE[0]!;
    const { uuid, steps } = definePoolSteps({ uuid: U2, spec: { type: 'dir', name, targetPath: '/srv/p x' }, build: true, buildFormat: 'none', start: true, autostart: false });
    expect(uuid).toBe(U2);
    expect(steps.map((s) => s.argv)).toEqual([
      ['pool-define', '--file', '/dev/stdin', '--validate'],
      ['pool-build', '--pool', U2],
      ['pool-start', '--pool', U2],
    ]);
    expect(steps[0]!.stdin).toContain('<name>it&apos;s &quot;q&quot; $(id)</name>');
    const text = commandText(commandLines(host('qemu:///system'), steps)[0]!);
    expect(text).toMatch(/^virsh -c qemu:\/\/\/system pool-define --file \/dev\/stdin --validate <<'EOF'\n/);
    expect(execFileSync('sh', ['-c', text.replace(/^virsh .*? <</, 'cat <<')], { encoding: 'utf8' })).toBe(`${steps[0]!.stdin!.replace(/\n?$/, '\n')}`);
    expect(poolActionSteps(U2, 'stop', 'none')).toEqual([{ argv: ['pool-destroy', '--pool', U2] }]);
    expect(poolActionSteps(U2, 'noautostart', 'none')).toEqual([{ argv: ['pool-autostart', '--pool', U2, '--disable'] }]);
  });

  it('networks', () => {
    const spec = NetworkSpec.parse({ name: '--lab "net" $(id)', mode: 'isolated', ipv4: { address: '10.77.0.1', prefix: 24 } });
    const { steps } = defineNetworkSteps({ uuid: U2, spec, start: true, autostart: true });
    expect(steps.map((s) => s.argv)).toEqual([
      ['net-define', '--file', '/dev/stdin', '--validate'],
      ['net-start', '--network', U2],
      ['net-autostart', '--network', U2],
    ]);
    expect(steps[0]!.stdin).toContain('<name>--lab &quot;net&quot; $(id)</name>');
    expect(networkActionSteps(U2, 'undefine')).toEqual<Step[]>([{ argv: ['net-undefine', '--network', U2] }]);
  });
});
