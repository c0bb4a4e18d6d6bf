/**
 * The seed's text files. user-data is the free editor's `#cloud-config` document with the
 * wizard's fields merged in (through the yaml library's document model, so the user's comments
 * and order stay); meta-data names the instance and its host name. Keys as cloud-init 22.4
 * documents them: https://cloudinit.readthedocs.io/en/22.4/topics/modules.html
 * (users_groups: users[].passwd/lock_passwd/ssh_authorized_keys/sudo; set_hostname;
 * package_update_upgrade_install: packages; ssh: ssh_pwauth).
 */
import { Document, isMap, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import type { CloudInit } from '../../../../shared/model/cloud-init';

export const CLOUD_CONFIG_HEADER = '#cloud-config';

export interface SeedTexts {
  userData: string;
  metaData: string;
  networkConfig: string | null;
}

/** Local checks of the user's texts: YAML syntax, the header, a mapping at the top. Empty = fine. */
export function userDataProblems(ci: CloudInit): string[] {
  const out: string[] = [];
  if (ci.userData !== undefined && ci.userData.trim() !== '') {
    const first = ci.userData.replace(/^\uFEFF/, '').split('\n', 1)[0]!.trimEnd();
    if (first !== CLOUD_CONFIG_HEADER) out.push(`user-data must begin with the line “${CLOUD_CONFIG_HEADER}” (cloud-init ignores it otherwise); it begins with “${first.slice(0, 60)}”.`);
    out.push(...yamlProblems('user-data', ci.userData, true));
  }
  if (ci.networkConfig !== undefined && ci.networkConfig.trim() !== '') out.push(...yamlProblems('network-config', ci.networkConfig, true));
  if (ci.password !== undefined && ci.userName === undefined) out.push('A password needs a user name: cloud-init sets it for that user.');
  return out;
}

function yamlProblems(label: string, text: string, mapping: boolean): string[] {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const errs = doc.errors.map((e) => `${label} is not valid YAML: ${e.message.split('\n')[0]}`);
  if (errs.length > 0) return errs;
  if (mapping && doc.contents !== null && !isMap(doc.contents)) return [`${label} must be a YAML mapping (“key: value” lines) at the top level.`];
  return [];
}

/**
 * user-data with the fields merged into the user's document: hostname replaces theirs, our user
 * is appended to `users` (after "default", so the image's own user stays), keys and packages are
 * added to theirs. `passwordHash` is the `$6$` hash (or a placeholder for previews).
 */
export function composeUserData(ci: CloudInit, fallbackHostname: string, passwordHash: string | null): string {
  const base = ci.userData !== undefined && ci.userData.trim() !== '' ? ci.userData : `${CLOUD_CONFIG_HEADER}\n`;
  const doc = parseDocument(base, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new Error(doc.errors[0]!.message);
  if (doc.contents === null || !isMap(doc.contents)) doc.contents = new YAMLMap() as unknown as typeof doc.contents;
  const top = doc.contents as YAMLMap;

  const hostname = ci.hostname ?? fallbackHostname;
  top.set('hostname', hostname.split('.')[0]);
  if (hostname.includes('.')) top.set('fqdn', hostname);
  if (ci.userName !== undefined) {
    const user: Record<string, unknown> = { name: ci.userName, shell: '/bin/bash', sudo: 'ALL=(ALL) NOPASSWD:ALL' };
    if (passwordHash !== null) Object.assign(user, { lock_passwd: false, passwd: passwordHash });
    if (ci.sshKeys.length > 0) user.ssh_authorized_keys = ci.sshKeys.map((k) => k.trim());
    const users = seqAt(doc, top, 'users', ['default']);
    users.add(doc.createNode(user));
  } else if (ci.sshKeys.length > 0) {
    const keys = seqAt(doc, top, 'ssh_authorized_keys', []);
    for (const k of ci.sshKeys) keys.add(k.trim());
  }
  if (passwordHash !== null) top.set('ssh_pwauth', true);
  if (ci.packages.length > 0) {
    const pkgs = seqAt(doc, top, 'packages', []);
    const have = new Set(pkgs.items.map((i) => String((i as { value?: unknown }).value ?? i)));
    for (const p of ci.packages) if (!have.has(p)) pkgs.add(p);
  }
  let text = doc.toString({ lineWidth: 0 });
  if (!text.startsWith(CLOUD_CONFIG_HEADER)) text = `${CLOUD_CONFIG_HEADER}\n${text}`;
  return text;
}

/** The sequence under `key`, made (with `initial` items) when absent. */
function seqAt(doc: Document, top: YAMLMap, key: string, initial: unknown[]): YAMLSeq {
  const cur = top.get(key, true);
  if (isSeq(cur)) return cur;
  const seq = doc.createNode(initial) as YAMLSeq;
  top.set(key, seq);
  return seq;
}

/** meta-data: the instance id (a new id makes cloud-init run its per-instance modules again) and host name. */
export function composeMetaData(instanceId: string, hostname: string): string {
  return new Document({ 'instance-id': instanceId, 'local-hostname': hostname }).toString();
}

/** A host name from a VM name: "My VM (1)" → "my-vm-1". */
export function hostnameFromVmName(name: string): string {
  const h = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
    .slice(0, 63)
    .replace(/-+$/, '');
  return h || 'localhost';
}

export function seedTexts(ci: CloudInit, vm: { name: string; uuid: string }, passwordHash: string | null): SeedTexts {
  const hostname = ci.hostname ?? hostnameFromVmName(vm.name);
  return {
    userData: composeUserData(ci, hostname, passwordHash),
    metaData: composeMetaData(`iid-${vm.uuid}`, hostname.split('.')[0]!),
    networkConfig: ci.networkConfig !== undefined && ci.networkConfig.trim() !== '' ? ci.networkConfig : null,
  };
}
