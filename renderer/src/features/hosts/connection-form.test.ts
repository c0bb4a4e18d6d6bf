import { describe, expect, it } from 'vitest';
import { ConnectionInput } from '../../../../shared/model/host';
import { emptyForm, formFromConfig, isLocalUri, toConnectionInput, validateForm, type ConnectionForm } from './connection-form';

const form = (patch: Partial<ConnectionForm>): ConnectionForm => ({ ...emptyForm, name: 'x', ...patch });

describe('validateForm', () => {
  it('accepts the documented examples', () => {
    for (const uri of ['qemu:///system', 'test:///default', 'qemu+ssh://user@host:22/system', 'qemu+ssh://host/system?socket=/x']) {
      expect(validateForm(form({ uri }))).toEqual({});
    }
  });

  it('requires a name and a URI', () => {
    expect(validateForm(emptyForm)).toEqual({ name: 'validation.nameRequired', uri: 'validation.uriRequired' });
    expect(validateForm(form({ name: '   ', uri: 'test:///default' }))).toEqual({ name: 'validation.nameRequired' });
  });

  it('rejects things that are not libvirt URIs', () => {
    for (const uri of ['system', 'qemu:/system', 'qemu:///sys tem', 'http//x']) {
      expect(validateForm(form({ uri })).uri).toBe('validation.uriInvalid');
    }
  });

  it('needs a host and a sane port for ssh URIs', () => {
    expect(validateForm(form({ uri: 'qemu+ssh:///system' })).uri).toBe('validation.sshHostRequired');
    expect(validateForm(form({ uri: 'qemu+ssh://u@:22/system' })).uri).toBe('validation.sshHostRequired');
    expect(validateForm(form({ uri: 'qemu+ssh://h:99999/system' })).uri).toBe('validation.sshPortInvalid');
    expect(validateForm(form({ uri: 'qemu+ssh://h:abc/system' })).uri).toBe('validation.sshPortInvalid');
    expect(validateForm(form({ uri: 'qemu+ssh://[::1]:2222/system' }))).toEqual({});
  });

  it('requires a key file only for key auth on ssh URIs', () => {
    expect(validateForm(form({ uri: 'qemu+ssh://h/system', auth: 'key' })).keyFile).toBe('validation.keyFileRequired');
    expect(validateForm(form({ uri: 'qemu+ssh://h/system', auth: 'key', keyFile: '~/.ssh/id' }))).toEqual({});
    expect(validateForm(form({ uri: 'qemu:///system', auth: 'key' }))).toEqual({});
  });

  it('checks the jump host format', () => {
    const ssh = 'qemu+ssh://h/system';
    for (const proxyJump of ['bastion', 'me@bastion', 'me@bastion:2222', '[fe80::1]:22']) {
      expect(validateForm(form({ uri: ssh, proxyJump }))).toEqual({});
    }
    for (const proxyJump of ['a b', 'me@', 'me@host:0', 'host:port', 'a@b@c']) {
      expect(validateForm(form({ uri: ssh, proxyJump })).proxyJump).toBe('validation.proxyJumpInvalid');
    }
  });
});

describe('toConnectionInput', () => {
  it('trims and omits SSH settings for non-ssh URIs', () => {
    const input = toConnectionInput(form({ name: ' lab ', uri: ' qemu:///system ', auth: 'key', keyFile: 'k' }));
    expect(input).toEqual({ name: 'lab', uri: 'qemu:///system', autoconnect: false });
    expect(ConnectionInput.safeParse(input).success).toBe(true);
  });

  it('sends the key file only with key auth and keeps the id when editing', () => {
    const agent = toConnectionInput(form({ id: 'h1', uri: 'qemu+ssh://h/system', keyFile: 'k', proxyJump: 'j@b:1' }));
    expect(agent).toEqual({
      id: 'h1',
      name: 'x',
      uri: 'qemu+ssh://h/system',
      autoconnect: false,
      ssh: { auth: 'agent', proxyJump: 'j@b:1' },
    });
    const key = toConnectionInput(form({ uri: 'qemu+ssh://h/system', auth: 'key', keyFile: ' ~/.ssh/id ' }));
    expect(key.ssh).toEqual({ auth: 'key', keyFile: '~/.ssh/id' });
    expect(ConnectionInput.safeParse(key).success).toBe(true);
  });

  it('round-trips a saved config through the form', () => {
    const config = { id: 'h1', name: 'n', uri: 'qemu+ssh://h/system', autoconnect: true, ssh: { auth: 'password' as const } };
    expect(toConnectionInput(formFromConfig(config))).toEqual(config);
  });
});

describe('isLocalUri', () => {
  it('tells local from remote URIs', () => {
    expect(isLocalUri('qemu:///system')).toBe(true);
    expect(isLocalUri('qemu+unix:///system')).toBe(true);
    expect(isLocalUri('qemu+ssh://h/system')).toBe(false);
  });
});
