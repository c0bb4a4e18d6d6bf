/**
 * The tuning advisor: every rule over the host and each VM, and applying one finding's fix.
 * A fix is recomputed from the VM's current definition (never from what the report showed), so
 * a finding that went meanwhile refuses to apply; XML fixes go through defineDomain (etag check,
 * `define --validate`, the replaced XML kept in the VM's history: undo is `details.restore`).
 */
import type { AdvisorReport, Finding } from '../../../../shared/api/tuning-cpu';
import { redactSecrets } from '../../../../shared/redact-secrets';
import type { Domain } from '../../../../shared/model/domain';
import { AppError } from '../../../../shared/errors';
import type { HostConnection } from '../../../hosts/host-connection';
import { defineDomain, defineStep, etagOf, inactiveXml } from '../../../libvirt/domain-config';
import type { DomainXmlHistory } from '../../../libvirt/domain-history';
import type { OsCatalogues } from '../../../libvirt/new-vm/os-data';
import { runSteps, type Step } from '../../../libvirt/plan';
import { DomainXml } from '../../../xml/domain-xml';
import { clocksRules } from './clocks';
import { hostFacts, osResolver, vmFacts } from './context';
import { cpuRules } from './cpu';
import { devicesRules } from './devices';
import { diskIoRules } from './disk-io';
import { disksNicsRules } from './disks-nics';
import { memoryRules } from './memory';
import type { HostFacts, Rule, VmFacts } from './types';

export const RULES: readonly Rule[] = [...disksNicsRules, ...devicesRules, ...cpuRules, ...memoryRules, ...diskIoRules, ...clocksRules];

/** All findings for these facts. Pure: the unit tests run it on XML fixtures. */
export function runRules(host: HostFacts, vms: readonly VmFacts[], rules: readonly Rule[] = RULES): Finding[] {
  const out: Finding[] = [];
  for (const r of rules) {
    if (r.host) out.push(...r.host(host));
    if (r.vm) for (const vm of vms) out.push(...r.vm(vm, host));
  }
  return out;
}

/** The new definition a finding's XML fix makes. Pure. */
export function fixedXml(rule: Rule, vm: VmFacts, host: HostFacts, xml: string): string {
  if (!rule.fixXml) throw new AppError('unsupported', `${rule.rule} has no XML fix`);
  const x = DomainXml.parse(xml);
  rule.fixXml(x, vm, host);
  return x.toXml();
}

export interface AdvisorDeps {
  host: HostConnection;
  catalogues: OsCatalogues;
  domains: readonly Domain[];
}

export async function runAdvisor(d: AdvisorDeps): Promise<AdvisorReport> {
  const resolveOs = osResolver(d.host, d.catalogues);
  const [facts, vms] = await Promise.all([hostFacts(d.host, d.domains), Promise.all(d.domains.map((dom) => vmFacts(d.host, resolveOs, dom)))]);
  const known = vms.filter((v): v is VmFacts => v !== null);
  const notes: string[] = [];
  const noOs = known.filter((v) => v.osId === null).length;
  if (noOs > 0) notes.push(`${noOs} VM(s) have no osinfo metadata: the rules that depend on the guest OS (virtio support, clocks) stay silent for them.`);
  return { findings: runRules(facts, known), checkedVms: known.length, notes };
}

interface ResolvedFix {
  rule: Rule;
  finding: Finding;
  vm: VmFacts | null;
  facts: HostFacts;
  /** XML fixes: the definition to define and the etag it was made from. */
  xml?: { before: string; after: string };
  steps: Step[];
}

/** Finds the finding again on the current state and builds its fix. */
async function resolveFix(d: AdvisorDeps, findingId: string): Promise<ResolvedFix> {
  const sep = findingId.indexOf(':');
  const rule = RULES.find((r) => r.rule === findingId.slice(0, sep));
  const target = findingId.slice(sep + 1);
  if (!rule || sep < 0) throw new AppError('invalid_args', `There is no advisor rule for ${findingId}.`);
  const facts = await hostFacts(d.host, d.domains);
  let vm: VmFacts | null = null;
  if (target !== 'host') {
    const dom = d.domains.find((x) => x.uuid === target.toLowerCase());
    vm = dom ? await vmFacts(d.host, osResolver(d.host, d.catalogues), dom) : null;
    if (!vm) throw new AppError('not_found', 'That VM is no longer defined on this host.');
  }
  const finding = runRules(facts, vm ? [vm] : [], [rule]).find((f) => f.id === findingId);
  if (!finding) throw new AppError('invalid_args', 'This finding no longer applies (fixed meanwhile?): run the advisor again.');
  if (!finding.fix) throw new AppError('unsupported', 'This finding has no fix to apply.');
  if (!finding.fix.available) throw new AppError('unsupported', finding.fix.reason ?? 'This fix cannot be applied now.');
  if (finding.fix.kind === 'host') return { rule, finding, vm, facts, steps: rule.fixSteps?.(vm, facts) ?? [] };
  // The definition with secrets (graphics passwords): define must get them back.
  const before = await inactiveXml(d.host, vm!.uuid);
  const after = fixedXml(rule, vm!, facts, before);
  return { rule, finding, vm, facts, xml: { before, after }, steps: [defineStep(after)] };
}

/** The XML change a fix makes, for the diff shown before applying it (secrets hidden, as in the preview). */
export async function fixDiff(d: AdvisorDeps, findingId: string): Promise<{ before: string; after: string } | null> {
  const fix = await resolveFix(d, findingId);
  return fix.xml ? { before: redactSecrets(fix.xml.before), after: redactSecrets(fix.xml.after) } : null;
}

/** "Show command": the define (XML on stdin) or the host's virsh steps. */
export async function planFix(d: AdvisorDeps, findingId: string): Promise<Step[]> {
  return (await resolveFix(d, findingId)).steps;
}

export async function applyFix(d: AdvisorDeps & { history: DomainXmlHistory }, findingId: string) {
  const fix = await resolveFix(d, findingId);
  if (!fix.xml) {
    if (fix.steps.length === 0) throw new AppError('unsupported', 'This fix has no command to run.');
    await runSteps(d.host, fix.steps);
    return { kind: 'host' as const, uuid: fix.vm?.uuid ?? null, undoEntryId: null, etag: null };
  }
  const uuid = fix.vm!.uuid;
  const res = await defineDomain(d.host, d.history, { uuid, xml: fix.xml.after, cause: 'advisor', summary: `${fix.finding.title}: ${fix.finding.fix!.summary}`, etag: etagOf(fix.xml.before) });
  const entry = (await d.history.list(d.host.id, uuid)).find((e) => e.xml === res.before);
  return { kind: 'xml' as const, uuid, undoEntryId: entry?.id ?? null, etag: res.etag };
}
