import { describe, expect, it } from 'vitest';
import { emptyNetworkForm, validateNetworkForm, type NetworkForm } from './network-form';

const form = (patch: Partial<NetworkForm>): NetworkForm => ({ ...emptyNetworkForm, ...patch });

describe('the new-network form', () => {
  it('builds a NAT network with DHCP and static hosts', () => {
    const r = validateNetworkForm(form({ name: 'lab', hosts: '52:54:00:12:34:56 192.168.100.10 web1\n52:54:00:12:34:57 192.168.100.11', domainName: 'lab.example' }));
    expect(r.spec).toMatchObject({
      name: 'lab',
      mode: 'nat',
      domainName: 'lab.example',
      ipv4: { address: '192.168.100.1', prefix: 24, dhcp: { start: '192.168.100.128', end: '192.168.100.254' }, hosts: [{ mac: '52:54:00:12:34:56', ip: '192.168.100.10', name: 'web1' }, { mac: '52:54:00:12:34:57', ip: '192.168.100.11' }] },
    });
    expect(r.spec?.ipv6).toBeUndefined();
  });

  it('an existing host bridge needs the bridge and carries no addresses', () => {
    expect(validateNetworkForm(form({ name: 'lan', mode: 'bridge' })).errors).toEqual({ bridgeName: 'required' });
    expect(validateNetworkForm(form({ name: 'lan', mode: 'bridge', bridgeName: 'br0' })).spec).toEqual({ name: 'lan', mode: 'bridge', bridgeName: 'br0' });
  });

  it('points at the wrong field', () => {
    expect(validateNetworkForm(form({ name: 'x', ipv4Address: '300.1.1.1' })).errors).toEqual({ ipv4Address: 'invalid' });
    expect(validateNetworkForm(form({ name: 'x', hosts: 'nonsense' })).errors).toMatchObject({ hosts: 'invalid' });
    expect(validateNetworkForm(form({ name: 'x', ipv6: true, ipv6Prefix: '200' })).errors).toEqual({ ipv6Prefix: 'invalid' });
    expect(validateNetworkForm(form({})).errors).toEqual({ name: 'required' });
  });
});
