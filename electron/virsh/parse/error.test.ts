// Fixtures: stderr of one-shot virsh runs, libvirt 9.0.0 (command lines in fixtures/capture.mjs).
import { describe, expect, it } from 'vitest';
import { fixture } from '../testing/fixture';
import { parseVirshError } from './error';

const err = (f: string) => parseVirshError(fixture(`err-${f}.txt`));

describe('parseVirshError on captured stderr', () => {
  it("virsh -c test:///default dominfo nosuch → not_found (libvirt 9.0 prints only \"failed to get domain 'x'\")", () => {
    expect(err('test-dominfo-nosuch')).toEqual({ message: "failed to get domain 'nosuch'", kind: 'not_found' });
    expect(err('remote-test-dominfo-nosuch').kind).toBe('not_found'); // same through a libvirtd
  });
  it('pool-info / net-info nosuch → not_found, both lines joined', () => {
    expect(err('test-pool-info-nosuch')).toEqual({
      message: "failed to get pool 'nosuch': Storage pool not found: no storage pool with matching name 'nosuch'",
      kind: 'not_found',
    });
    expect(err('test-net-info-nosuch').message).toBe("failed to get network 'nosuch': Network not found: no network with matching name 'nosuch'");
    expect(err('test-net-info-nosuch').kind).toBe('not_found');
  });
  it('socket Permission denied → permission + group hint', () => {
    const e = err('socket-permission-denied');
    expect(e.kind).toBe('permission');
    expect(e.message).toMatch(/^Failed to connect socket to '.*\/libvirt-sock': Permission denied$/); // generic first line dropped
    expect(e.hint).toMatch(/libvirt.*group/);
    expect(e.hint).toMatch(/unix_sock_group/);
  });
  it('virsh -r … destroy → permission (read-only connection)', () => {
    const e = err('test-readonly-destroy');
    expect(e.message).toBe("Failed to destroy domain 'test': operation forbidden: read only access prevents virDomainDestroy");
    expect(e.kind).toBe('permission');
    expect(e.hint).toMatch(/read-only/);
  });
  it('no daemon → unreachable, with a hint', () => {
    const e = err('system-no-socket');
    expect(e).toMatchObject({ kind: 'unreachable', message: "Failed to connect socket to '/nonexistent/libvirt-sock': No such file or directory" });
    expect(e.hint).toMatch(/start/);
  });
  it('an interactive session whose libvirtd stopped (private test host, see the fixtures README) → unreachable', () => {
    const first = err('session-libvirtd-stopped');
    expect(first.kind).toBe('unreachable');
    expect(first.message).toMatch(/^Disconnected from qemu:\/\/\/system\?socket=\S+ due to end of file: Failed to reconnect to the hypervisor: Failed to connect socket/);
    expect(err('session-libvirtd-still-stopped').kind).toBe('unreachable');
  });
  it.each([
    ['test-unknown-option', "command 'dominfo' doesn't support option --bogus"],
    ['test-unknown-command', "unknown command: 'frobnicate'"],
    ['test-empty-domain', "Failed to get option 'domain': Option argument is empty"],
    ['test-setmem-malformed', "Scaled numeric value 'abc' for <size> option is malformed or out of range"],
    ['test-start-active', 'Domain is already active'],
    ['test-resume-running', "Failed to resume domain 'test': internal error: domain 'test' not paused"],
  ])('%s → invalid', (f, message) => {
    expect(err(f)).toEqual({ message, kind: 'invalid' });
  });
  it("drops libvirt's own timestamped log lines", () => {
    const e = err('embed-state-dir');
    expect(e.message).toMatch(/^Failed to create state dir \S+: Permission denied$/);
    expect(e.kind).toBe('permission');
  });
});

describe('parseVirshError on texts that could not be captured here', () => {
  // libvirt's polkit message (src/rpc/virnetserverclient / viraccessdriverpolkit), as users report it
  it('polkit without agent → permission + polkit hint', () => {
    const e = parseVirshError(
      "error: failed to connect to the hypervisor\nerror: authentication unavailable: no polkit agent available to authenticate action 'org.libvirt.unix.manage'\n",
    );
    expect(e.kind).toBe('permission');
    expect(e.message).toBe("authentication unavailable: no polkit agent available to authenticate action 'org.libvirt.unix.manage'");
    expect(e.hint).toMatch(/polkit/);
    expect(e.hint).toMatch(/libvirt/);
  });
  it('the system socket → permission + group hint', () => {
    const e = parseVirshError(
      "error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/libvirt-sock': Permission denied\n",
    );
    expect(e.kind).toBe('permission');
    expect(e.hint).toMatch(/usermod -aG libvirt/);
  });
  it('ACL denial → permission', () => {
    expect(parseVirshError("error: access denied: 'domain' access denied for action 'stop'\n").kind).toBe('permission');
  });
  it('libvirt "Domain not found" line (older libvirt prints it) → not_found', () => {
    expect(parseVirshError("error: failed to get domain 'x'\nerror: Domain not found: no domain with matching name 'x'\n").kind).toBe('not_found');
  });
  it('XML errors keep their continuation lines', () => {
    const e = parseVirshError('error: Failed to define domain from /x.xml\nerror: (domain_definition):1: PCDATA invalid Char value 1\n<domain>\n--^\n');
    expect(e.message).toBe('Failed to define domain from /x.xml: (domain_definition):1: PCDATA invalid Char value 1\n<domain>\n--^');
    expect(e.kind).toBe('invalid');
  });
  it('anything else → other; text without "error: " is kept', () => {
    expect(parseVirshError('error: End of file while reading data: Input/output error\n').kind).toBe('other');
    expect(parseVirshError('something odd\n')).toEqual({ message: 'something odd', kind: 'other' });
  });
});
