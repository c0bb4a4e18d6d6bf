/**
 * Reading and replacing a VM's definition: the XML the details view and the XML editor work on,
 * the optimistic-concurrency tag that keeps two editors from overwriting each other, and the one
 * way Virtdeck changes a definition — `virsh define --validate` with the XML on stdin, after the
 * replaced version went to the history. Plain `define` is never used: it silently drops
 * elements it does not know (https://libvirt.org/manpages/virsh.html#define).
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { DomainDetails, HistoryEntry } from '../../shared/model/details';
import type { HostConnection } from '../hosts/host-connection';
import { parseDominfo, parseDomstateReason } from '../virsh/parse';
import { DomainXml } from '../xml/domain-xml';
import type { DomainXmlHistory } from './domain-history';
import { runStep, type Step } from './plan';
import { identityProblems } from './xml-validate';

export const etagOf = (xml: string) => createHash('sha256').update(xml).digest('hex').slice(0, 24);

/**
 * The XML with graphics passwords and other secrets (`--security-info`): what a define must get
 * back, or the password would be dropped. Read-only connections may not ask for secrets; they
 * cannot define either, so the plain dump is enough there.
 */
async function dump(host: HostConnection, uuid: string, inactive: boolean): Promise<string> {
  const argv = ['dumpxml', '--domain', uuid, ...(inactive ? ['--inactive'] : [])];
  try {
    return (await host.run(['virsh', ...argv, '--security-info'])).stdout;
  } catch (e) {
    const err = AppError.from(e);
    if (err.code !== 'permission' && !/read only|read-only|unsupported flags/i.test(err.message)) throw err;
    return (await host.run(['virsh', ...argv])).stdout;
  }
}

/** The persistent definition (what `define` replaces); the live one for a transient VM. */
export const inactiveXml = (host: HostConnection, uuid: string) => dump(host, uuid, true);
/** What the running VM uses now (ports, current media, aliases, hot-plugged devices). */
export const liveXml = (host: HostConnection, uuid: string) => dump(host, uuid, false);

export interface DomainStatus {
  name: string;
  state: DomainDetails['state'];
  reason: string;
  persistent: boolean;
  autostart: boolean;
  running: boolean;
}

export async function domainStatus(host: HostConnection, uuid: string): Promise<DomainStatus> {
  const [info, state] = await Promise.all([host.run(['virsh', 'dominfo', '--domain', uuid]), host.run(['virsh', 'domstate', '--domain', uuid, '--reason'])]);
  const di = parseDominfo(info.stdout);
  const st = parseDomstateReason(state.stdout);
  // "Running" for live-apply purposes: the VM has a live config (paused VMs too).
  const running = st.state !== 'shutoff' && st.state !== 'crashed';
  return { name: di.name, state: st.state, reason: st.reason, persistent: di.persistent ?? true, autostart: di.autostart ?? false, running };
}

export async function loadDetails(host: HostConnection, uuid: string): Promise<DomainDetails> {
  const status = await domainStatus(host, uuid);
  const [inactive, live] = await Promise.all([inactiveXml(host, uuid), status.running ? liveXml(host, uuid) : Promise.resolve(undefined)]);
  return {
    uuid,
    name: status.name,
    state: status.state,
    reason: status.reason,
    persistent: status.persistent,
    autostart: status.autostart,
    config: DomainXml.parse(inactive).read(),
    live: live === undefined ? null : DomainXml.parse(live).read(),
    etag: etagOf(inactive),
  };
}

/** The one way a definition is replaced: XML on stdin, validated against libvirt's schema. */
export const defineStep = (xml: string): Step => ({ argv: ['define', '--file', '/dev/stdin', '--validate'], stdin: xml });

export interface DefineRequest {
  uuid: string;
  xml: string;
  cause: HistoryEntry['cause'];
  summary: string;
  /** The etag the change was based on; a different current definition refuses the change. */
  etag?: string;
}

/**
 * Replaces the persistent definition. Refuses a changed or missing UUID or name (that would
 * define another VM or fail obscurely), a definition that changed since `etag`, and a transient
 * VM (define would make it persistent: a different thing than editing it).
 */
export async function defineDomain(host: HostConnection, history: DomainXmlHistory, req: DefineRequest): Promise<{ etag: string; before: string; after: string }> {
  const status = await domainStatus(host, req.uuid);
  if (!status.persistent) throw new AppError('unsupported', `${status.name} is transient: it has no persistent configuration to edit.`);
  const before = await inactiveXml(host, req.uuid);
  if (req.etag !== undefined && etagOf(before) !== req.etag)
    throw new AppError('invalid_args', `The configuration of ${status.name} changed since it was loaded (another edit, or another tool). Reload it and try again.`);
  const identity = identityProblems(req.xml, req.uuid, status.name);
  if (identity.length > 0) throw new AppError('invalid_args', identity.map((p) => (p.line ? `line ${p.line}: ${p.message}` : p.message)).join('\n'));
  await runStep(host, defineStep(req.xml));
  // Recorded only once the new definition is in place: a refused define changed nothing.
  await history.record(host.id, req.uuid, { cause: req.cause, summary: req.summary, xml: before });
  const after = await inactiveXml(host, req.uuid);
  return { etag: etagOf(after), before, after };
}
