/**
 * The add/edit connection form as plain data: conversion to and from the contract types and
 * validation. Kept free of React so it is easy to test.
 */
import type { ConnectionConfig, ConnectionInput, HostId, SshAuth } from '../../../../shared/model/host';
import type { MessageKey } from '../../i18n/translate';

export interface ConnectionForm {
  id?: HostId;
  name: string;
  uri: string;
  auth: SshAuth;
  keyFile: string;
  proxyJump: string;
  autoconnect: boolean;
  /** Changes that need root run as fixed `sudo -n …` commands (never a password). */
  sudo: boolean;
}

export type FormField = 'name' | 'uri' | 'keyFile' | 'proxyJump';
export type ValidationKey = Extract<MessageKey, `validation.${string}`>;
export type FormErrors = Partial<Record<FormField, ValidationKey>>;

export const uriExamples = ['qemu:///system', 'test:///default', 'qemu+ssh://user@host:22/system'] as const;

export const emptyForm: ConnectionForm = {
  name: '',
  uri: '',
  auth: 'agent',
  keyFile: '',
  proxyJump: '',
  autoconnect: false,
  sudo: false,
};

export function formFromConfig(config: ConnectionConfig): ConnectionForm {
  return {
    id: config.id,
    name: config.name,
    uri: config.uri,
    auth: config.ssh?.auth ?? 'agent',
    keyFile: config.ssh?.keyFile ?? '',
    proxyJump: config.ssh?.proxyJump ?? '',
    autoconnect: config.autoconnect,
    sudo: config.sudo === true,
  };
}

/** driver[+transport]://rest — what libvirt accepts as a connection URI, loosely. */
const libvirtUri = /^[a-z][a-z0-9]*(\+[a-z][a-z0-9]*)?:\/\/[^\s]*$/i;
/** Splits an ssh-transport URI into user, host and port; the path and query are libvirt's business. */
const sshUri = /^[a-z][a-z0-9]*\+ssh:\/\/(?:[^@/?#]*@)?(\[[^\]/?#]*\]|[^:/?#]*)(?::([^/?#]*))?(?:[/?#].*)?$/i;
/** One ssh -J hop: [user@]host[:port], host possibly a bracketed IPv6 address. */
const jumpHost = /^(?:[^@\s]+@)?(\[[0-9a-f:.]+\]|[^@\s:[\]]+)(?::(\d+))?$/i;

export function isSshUri(uri: string): boolean {
  return /^[a-z][a-z0-9]*\+ssh:\/\//i.test(uri.trim());
}

function validPort(port: string | undefined): boolean {
  if (port === undefined || port === '') return true;
  if (!/^\d{1,5}$/.test(port)) return false;
  const n = Number(port);
  return n >= 1 && n <= 65535;
}

export function validateForm(form: ConnectionForm): FormErrors {
  const errors: FormErrors = {};
  const name = form.name.trim();
  const uri = form.uri.trim();

  if (!name) errors.name = 'validation.nameRequired';
  else if (name.length > 200) errors.name = 'validation.nameTooLong';

  if (!uri) errors.uri = 'validation.uriRequired';
  else if (uri.length > 2048) errors.uri = 'validation.uriTooLong';
  else if (!libvirtUri.test(uri)) errors.uri = 'validation.uriInvalid';
  else if (isSshUri(uri)) {
    const m = sshUri.exec(uri);
    const host = m?.[1] ?? '';
    if (!m || host === '' || host === '[]') errors.uri = 'validation.sshHostRequired';
    else if (!validPort(m[2])) errors.uri = 'validation.sshPortInvalid';
  }

  if (isSshUri(uri)) {
    const keyFile = form.keyFile.trim();
    if (form.auth === 'key' && !keyFile) errors.keyFile = 'validation.keyFileRequired';
    else if (keyFile.length > 4096) errors.keyFile = 'validation.keyFileTooLong';

    const jump = form.proxyJump.trim();
    if (jump) {
      const m = jumpHost.exec(jump);
      if (!m || jump.length > 512 || !validPort(m[2])) errors.proxyJump = 'validation.proxyJumpInvalid';
    }
  }
  return errors;
}

export function hasErrors(errors: FormErrors): boolean {
  return Object.keys(errors).length > 0;
}

/** The hosts.save payload. SSH settings are only sent for ssh URIs; the key file only for key auth. */
export function toConnectionInput(form: ConnectionForm): ConnectionInput {
  const uri = form.uri.trim();
  const input: ConnectionInput = { name: form.name.trim(), uri, autoconnect: form.autoconnect };
  if (form.id !== undefined) input.id = form.id;
  if (form.sudo) input.sudo = true;
  if (isSshUri(uri)) {
    const keyFile = form.keyFile.trim();
    const proxyJump = form.proxyJump.trim();
    input.ssh = {
      auth: form.auth,
      ...(form.auth === 'key' && keyFile ? { keyFile } : {}),
      ...(proxyJump ? { proxyJump } : {}),
    };
  }
  return input;
}

/** Whether the URI names no remote host, i.e. runs virsh on the computer running Virtdeck. */
export function isLocalUri(uri: string): boolean {
  return /^[a-z][a-z0-9]*(\+unix)?:\/\/\//i.test(uri.trim());
}
