/**
 * The tuning advisor's rule shape. A rule reads facts (no host access: facts are gathered once
 * per run by context.ts) and returns findings; a rule that does not apply returns none. Its fix
 * is either an edit of the VM's parsed inactive definition (applied through define --validate,
 * history and undo) or virsh steps on the host (previewable like every action).
 */
import type { Finding } from '../../../../shared/api/tuning-cpu';
import type { OsDefaults } from '../../../../shared/model/newvm';
import type { Step } from '../../../libvirt/plan';
import { attr, child, elementChildren, parseXml, type Element } from '../../../xml/dom';
import { DomainXml } from '../../../xml/domain-xml';

export interface VmFacts {
  uuid: string;
  name: string;
  running: boolean;
  /** The persistent definition as dumped (`dumpxml --inactive`). */
  xml: string;
  /** The OS from <metadata><libosinfo:os id=…>, resolved by the wizard's OS-defaults module; null when unknown. */
  os: OsDefaults | null;
  osId: string | null;
  /** Said when the OS id was replaced by a close one (an older osinfo-db). */
  osNote: string | null;
  /** Snapshots libvirt keeps for the VM (counted only when a rule needs it: null otherwise). */
  snapshots: number | null;
}

export interface HostFacts {
  cpus: number;
  /** /sys/kernel/mm/ksm/run (0 off, 1 on, 2 unmerging); null when unreadable. */
  ksmRun: number | null;
  /** Free huge pages per page size (KiB), summed over NUMA cells (`virsh freepages --all`). */
  freePages: Map<number, number>;
  /** The running VMs and their vCPUs, for the total. */
  running: { name: string; vcpus: number }[];
}

export type Group = Finding['group'];

export interface Rule {
  rule: string;
  group: Group;
  /** Findings for one VM (VM rules) … */
  vm?(vm: VmFacts, host: HostFacts): Finding[];
  /** … or for the host as a whole. */
  host?(host: HostFacts): Finding[];
  /** Makes the VM's finding go: edits the parsed inactive definition. */
  fixXml?(x: DomainXml, vm: VmFacts, host: HostFacts): void;
  /** Makes the finding go with commands on the host. */
  fixSteps?(vm: VmFacts | null, host: HostFacts): Step[];
}

export const findingId = (rule: string, uuid: string | null) => `${rule}:${uuid ?? 'host'}`;

/** The parts of a finding every rule fills the same way. */
export function vmFinding(rule: Rule, vm: VmFacts, f: Omit<Finding, 'id' | 'rule' | 'group' | 'vm'>): Finding {
  return { id: findingId(rule.rule, vm.uuid), rule: rule.rule, group: rule.group, vm: { uuid: vm.uuid, name: vm.name }, ...f };
}

/** An XML fix that changes devices only while the VM is shut off (the guest must not see them change under it). */
export const shutOffOnly = (vm: VmFacts) =>
  vm.running ? { available: false, reason: `${vm.name} is running: this fix is offered only for a shut-off VM. Shut it down first.` } : { available: true, reason: null };
/** A fix to the definition of a running VM takes effect at its next start: say so. */
export const nextBoot = (vm: VmFacts): string[] => (vm.running ? [`${vm.name} is running: the change applies at its next start (a reboot from inside the guest is not enough; shut it down and start it).`] : []);

export const doc = (url: string, text: string) => ({ kind: 'doc' as const, text, url });
export const seed = (text: string) => ({ kind: 'seed' as const, text, url: null });

/** Parsed once per rule call; rules read the root. */
export const rootOf = (xml: string): Element => parseXml(xml).documentElement!;
export const devicesOf = (root: Element, tag: string) => elementChildren(child(root, 'devices'), tag);
export const domainType = (root: Element) => attr(root, 'type') ?? 'qemu';
export { DomainXml };
