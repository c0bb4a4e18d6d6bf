/**
 * The cloud image source as the wizard holds it (strings as typed) and its NewVmSpec part. The
 * password stays in memory only (the wizard store is never written to disk) and goes to the
 * backend, which hashes it; it is never shown back.
 */
import { CloudInit, type CloudImageSource } from '../../../../shared/model/cloud-init';
import type { z } from 'zod';

export interface CloudDraft {
  poolUuid: string;
  volume: string;
  linked: boolean;
  userName: string;
  password: string;
  /** One public key per line. */
  sshKeys: string;
  hostname: string;
  /** Package names separated by spaces, commas or lines. */
  packages: string;
  userData: string;
  networkConfig: string;
}

export const DEFAULT_USER_DATA = '#cloud-config\n';

export const emptyCloudDraft: CloudDraft = {
  poolUuid: '',
  volume: '',
  linked: true,
  userName: '',
  password: '',
  sshKeys: '',
  hostname: '',
  packages: '',
  userData: DEFAULT_USER_DATA,
  networkConfig: '',
};

type Src = z.input<typeof CloudImageSource>;

/** The spec's source, or which message keys say what is missing. */
export function cloudSourcePart(c: CloudDraft): { value: Src } | { missing: 'newvm.missing.cloudImage' | 'newvm.missing.cloudInit' } {
  if (!c.poolUuid || !c.volume) return { missing: 'newvm.missing.cloudImage' };
  const lines = (s: string) => s.split('\n').map((l) => l.trim()).filter(Boolean);
  const cloudInit = {
    ...(c.userName.trim() ? { userName: c.userName.trim() } : {}),
    ...(c.password ? { password: c.password } : {}),
    sshKeys: lines(c.sshKeys),
    ...(c.hostname.trim() ? { hostname: c.hostname.trim() } : {}),
    packages: c.packages.split(/[\s,]+/).filter(Boolean),
    ...(c.userData.trim() && c.userData !== DEFAULT_USER_DATA ? { userData: c.userData } : {}),
    ...(c.networkConfig.trim() ? { networkConfig: c.networkConfig } : {}),
  };
  if (!CloudInit.safeParse(cloudInit).success) return { missing: 'newvm.missing.cloudInit' };
  return { value: { kind: 'cloud', image: { poolUuid: c.poolUuid, name: c.volume }, linked: c.linked, cloudInit } };
}

/** The fields the shared schema refuses as typed (the form marks them). */
export function cloudFieldErrors(c: CloudDraft): Set<CloudField> {
  const out = new Set<CloudField>();
  const r = CloudInit.safeParse({
    ...(c.userName.trim() ? { userName: c.userName.trim() } : {}),
    ...(c.hostname.trim() ? { hostname: c.hostname.trim() } : {}),
    sshKeys: c.sshKeys.split('\n').map((l) => l.trim()).filter(Boolean),
    packages: c.packages.split(/[\s,]+/).filter(Boolean),
  });
  if (!r.success) for (const i of r.error.issues) out.add(i.path[0] as CloudField);
  if (c.password && !c.userName.trim()) out.add('password');
  return out;
}
export type CloudField = 'userName' | 'hostname' | 'sshKeys' | 'packages' | 'password';
