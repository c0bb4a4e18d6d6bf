import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDomdisplay, parseGraphics, switchSpiceToVnc } from './graphics-xml';
import { child, elementChildren, parseXml } from '../xml/dom';

// Fixtures: virsh dumpxml on libvirt 9.0.0 / QEMU 7.2 (see fixtures/README.md).
const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

describe('VNC endpoint discovery from the live XML', () => {
  it('finds the autoport TCP display of a running VM', () => {
    const g = parseGraphics(fixture('vnc-tcp-live.xml'));
    expect(g).toEqual({ status: 'vnc', endpoint: { kind: 'tcp', host: '127.0.0.1', port: 5900 }, passwordRequired: false, serials: ['serial0'] });
  });

  it('has no endpoint while the VM is off (port -1)', () => {
    const g = parseGraphics(fixture('vnc-tcp-inactive.xml'));
    expect(g.status).toBe('vnc');
    expect(g.endpoint).toBeUndefined();
  });

  it('finds a unix-socket display (listen type=socket)', () => {
    expect(parseGraphics(fixture('vnc-socket-live.xml')).endpoint).toEqual({
      kind: 'unix',
      path: '/var/lib/libvirt/qemu/domain-20-vd-test-vncsock/vnc.sock',
    });
  });

  it('reaches a wildcard listen on the host loopback', () => {
    const xml = "<domain><devices><graphics type='vnc' port='5901' listen='0.0.0.0'><listen type='address' address='0.0.0.0'/></graphics></devices></domain>";
    expect(parseGraphics(xml).endpoint).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 5901 });
  });

  it('says SPICE, none, or other when there is no VNC display', () => {
    expect(parseGraphics(fixture('spice-inactive.xml')).status).toBe('spice');
    expect(parseGraphics('<domain><devices><serial type="pty"/></devices></domain>').status).toBe('none');
    expect(parseGraphics("<domain><devices><graphics type='sdl'/></devices></domain>").status).toBe('other');
  });

  it('reports a VNC password without exposing it', () => {
    const g = parseGraphics("<domain><devices><graphics type='vnc' port='5900' passwd='x'/></devices></domain>");
    expect(g.passwordRequired).toBe(true);
  });
});

describe('virsh domdisplay cross-check', () => {
  it('turns display numbers into ports and keeps unix paths', () => {
    expect(parseDomdisplay('vnc://127.0.0.1:0\n\n')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 5900 });
    expect(parseDomdisplay('vnc://[::1]:3')).toEqual({ kind: 'tcp', host: '::1', port: 5903 });
    expect(parseDomdisplay('vnc+unix:///var/lib/libvirt/qemu/domain-20-vd-test-vncsock/vnc.sock')).toEqual({
      kind: 'unix',
      path: '/var/lib/libvirt/qemu/domain-20-vd-test-vncsock/vnc.sock',
    });
    expect(parseDomdisplay('spice://127.0.0.1:5900')).toBeUndefined();
  });
});

describe('switching a SPICE VM to VNC', () => {
  const before = fixture('spice-inactive.xml');
  const after = switchSpiceToVnc(before);

  it('replaces the SPICE display with an autoport VNC one on the same address, keeping the password', () => {
    const g = parseGraphics(after);
    expect(g.status).toBe('vnc');
    expect(after).toContain("<graphics type='vnc' port='-1' autoport='yes' passwd='s3cret'>");
    expect(after).toContain("<listen type='address' address='127.0.0.1'/>");
    expect(after).not.toContain("type='spice'");
  });

  it('removes the SPICE-only devices libvirt would refuse, and nothing else', () => {
    expect(after).not.toContain('spicevmc');
    const names = (xml: string) => elementChildren(child(parseXml(xml).documentElement!, 'devices')).map((c) => c.tagName);
    const removed = names(before).filter((n, i, all) => names(after).filter((m) => m === n).length < all.filter((m) => m === n).length);
    expect(new Set(removed)).toEqual(new Set(['channel', 'redirdev']));
    expect(after.trimEnd().split('\n').filter((l) => l.trim() === '')).toEqual([]);
  });

  it('refuses a VM without SPICE', () => {
    expect(() => switchSpiceToVnc(fixture('vnc-tcp-inactive.xml'))).toThrow(/no SPICE/);
  });
});
