/**
 * The detach dialog's "this NIC carries the connection to this host" decision. Fixtures:
 * `ip -j route get 127.0.0.1`, `ip -j route get 10.0.2.2` and `ip -j route show default`,
 * iproute2 6.1.0 on Debian 12.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { carryingInterface, routeInterface, sshClientAddress } from './host-route';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

describe('the NIC that carries the connection to the host', () => {
  it('reads the route interface of ip -j route get (via a gateway, and loopback) and of the default route', () => {
    expect(routeInterface(fixture('ip-route-get-eth0.json'))).toBe('eth0');
    expect(routeInterface(fixture('ip-route-get-loopback.json'))).toBe('lo');
    expect(routeInterface(fixture('ip-route-default.json'))).toBe('eth0');
  });

  it('knows no interface from empty or broken output (no route, old iproute2 without -j)', () => {
    expect(routeInterface('[]')).toBeNull();
    expect(routeInterface('')).toBeNull();
    expect(routeInterface('Option "-j" is unknown')).toBeNull();
  });

  it('takes the SSH client address from $SSH_CONNECTION, IPv4 or IPv6, and nothing that is not an address', () => {
    expect(sshClientAddress('192.0.2.7 51234 192.0.2.2 22')).toBe('192.0.2.7');
    expect(sshClientAddress('fe80::1%eth0 51234 fe80::2 22')).toBeNull();
    expect(sshClientAddress('2001:db8::7 51234 2001:db8::2 22')).toBe('2001:db8::7');
    expect(sshClientAddress('')).toBeNull();
    expect(sshClientAddress('-oProxyCommand=x 1 2 3')).toBeNull();
  });

  it('warns when the card being detached holds the route interface, and only then', () => {
    const dev = routeInterface(fixture('ip-route-get-eth0.json'));
    expect(carryingInterface(['eth0'], dev)).toBe('eth0');
    expect(carryingInterface(['eth1'], dev)).toBeNull();
    expect(carryingInterface([], dev)).toBeNull();
    expect(carryingInterface(['eth0'], null)).toBeNull();
  });
});
