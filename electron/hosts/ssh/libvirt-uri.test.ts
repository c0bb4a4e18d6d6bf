import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { parseLibvirtUri } from './libvirt-uri';

describe('parseLibvirtUri: remote (ssh)', () => {
  it('parses the full qemu+ssh form', () => {
    expect(parseLibvirtUri('qemu+ssh://root@example.com:2222/system?keyfile=/x')).toEqual({
      driver: 'qemu',
      transport: 'ssh',
      user: 'root',
      host: 'example.com',
      port: 2222,
      path: '/system',
      query: { keyfile: '/x' },
      remote: true,
      localUri: 'qemu:///system',
    });
  });

  it('minimal host-only form has no user or port', () => {
    const u = parseLibvirtUri('qemu+ssh://kvm1/session');
    expect(u).toEqual({ driver: 'qemu', transport: 'ssh', host: 'kvm1', path: '/session', query: {}, remote: true, localUri: 'qemu:///session' });
    expect('user' in u).toBe(false);
    expect('port' in u).toBe(false);
  });

  it('IPv6 literals lose their brackets', () => {
    expect(parseLibvirtUri('qemu+ssh://admin@[::1]:2200/system')).toMatchObject({ user: 'admin', host: '::1', port: 2200 });
    expect(parseLibvirtUri('qemu+ssh://[2001:db8::5]/system')).toMatchObject({ host: '2001:db8::5' });
    expect(parseLibvirtUri('qemu+ssh://[fe80::1%25eth0]/system').host).toBe('fe80::1%25eth0');
  });

  it('libssh/libssh2 transports are treated as SSH', () => {
    expect(parseLibvirtUri('qemu+libssh2://u@h/system')).toMatchObject({ transport: 'libssh2', remote: true, localUri: 'qemu:///system' });
    expect(parseLibvirtUri('qemu+libssh://h/system').remote).toBe(true);
  });

  it('test driver over ssh keeps its path', () => {
    expect(parseLibvirtUri('test+ssh://h/default').localUri).toBe('test:///default');
  });

  it('decodes query values and user names; drops transport params from localUri but keeps driver params', () => {
    const u = parseLibvirtUri('qemu+ssh://j%40corp@h/embed?root=%2Fsrv%2Fvm&keyfile=%2Fhome%2Fme%2F.ssh%2Fid+x&no_verify=1&socket=/run/s');
    expect(u.user).toBe('j@corp');
    expect(u.query).toEqual({ root: '/srv/vm', keyfile: '/home/me/.ssh/id+x', no_verify: '1', socket: '/run/s' });
    expect(u.localUri).toBe('qemu:///embed?root=%2Fsrv%2Fvm');
  });

  it('the name parameter overrides the remote URI, as in libvirt', () => {
    expect(parseLibvirtUri('qemu+ssh://h/system?name=qemu:///session').localUri).toBe('qemu:///session');
  });

  it('scheme is case-insensitive', () => {
    expect(parseLibvirtUri('QEMU+SSH://h/system')).toMatchObject({ driver: 'qemu', transport: 'ssh', localUri: 'qemu:///system' });
  });
});

describe('parseLibvirtUri: local', () => {
  it.each(['qemu:///system', 'qemu:///session', 'test:///default', 'test:///abs/path/node.xml', 'lxc:///system'])('%s', (uri) => {
    const u = parseLibvirtUri(uri);
    expect(u.remote).toBe(false);
    expect(u.localUri).toBe(uri);
    expect(u.host).toBeUndefined();
    expect(u.transport).toBeUndefined();
  });

  it('splits driver and path', () => {
    expect(parseLibvirtUri('test:///abs/path.xml')).toEqual({ driver: 'test', path: '/abs/path.xml', query: {}, remote: false, localUri: 'test:///abs/path.xml' });
  });

  it('qemu+unix is local and keeps its socket parameter', () => {
    expect(parseLibvirtUri('qemu+unix:///system?socket=/run/libvirt/virtqemud-sock')).toMatchObject({
      transport: 'unix',
      remote: false,
      query: { socket: '/run/libvirt/virtqemud-sock' },
      localUri: 'qemu+unix:///system?socket=/run/libvirt/virtqemud-sock',
    });
  });

  it('trims surrounding whitespace', () => {
    expect(parseLibvirtUri('  qemu:///system\n').localUri).toBe('qemu:///system');
  });
});

describe('parseLibvirtUri: rejects', () => {
  const rejects = (uri: string, code: string, msg: RegExp) => {
    let err: unknown;
    try {
      parseLibvirtUri(uri);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe(code);
    expect((err as AppError).message).toMatch(msg);
  };

  it('tls/tcp/ext transports, explaining what is supported', () => {
    rejects('qemu+tls://h/system', 'unsupported', /Transport "tls".*only supports local URIs.*SSH/);
    rejects('qemu+tcp://h:16509/system', 'unsupported', /Transport "tcp"/);
    rejects('qemu+ext://h/system?command=/bin/x', 'unsupported', /Transport "ext"/);
  });

  it('a host without a transport (libvirt would use TLS)', () => {
    rejects('qemu://example.com/system', 'unsupported', /without a transport.*TLS/);
    rejects('qemu://root@/system', 'unsupported', /without a transport/);
  });

  it.each([
    ['', /expected driver/],
    ['system', /expected driver/],
    ['/var/run/libvirt', /expected driver/],
    ['qemu:/system', /expected driver/],
    ['qemu+ssh+x://h/system', /not a libvirt driver/],
    ['9qemu:///system', /expected driver|not a libvirt driver/],
    ['qemu+ssh:///system', /needs a host/],
    ['qemu+ssh://h', /no path/],
    ['qemu+ssh://h/', /no path/],
    ['qemu:///', /no path/],
    ['qemu+ssh://h:0/system', /not a valid port/],
    ['qemu+ssh://h:99999/system', /not a valid port/],
    ['qemu+ssh://h:ssh/system', /not a valid port/],
    ['qemu+ssh://u:secret@h/system', /passwords in the URI/],
    ['qemu+ssh://@h/system', /empty user/],
    ['qemu+ssh://[::1/system', /IPv6/],
    ['qemu+ssh://bad host/system', /not a valid host/],
    ['qemu+ssh://h/system\n; rm -rf ~', /control characters/],
    ['qemu+ssh://h/sys%ZZ', /percent-encoding/],
  ])('%j', (uri, msg) => {
    rejects(uri, 'invalid_args', msg);
  });
});
