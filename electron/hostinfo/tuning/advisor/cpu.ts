/**
 * CPU: a CPU model that hides the host's features from a KVM guest on a single host (the seed:
 * copy the host CPU — host-passthrough — unless the VM migrates), and vCPU counts above the
 * host's CPUs, in total for the running VMs or for one VM (the seed).
 * https://libvirt.org/formatdomain.html#cpu-model-and-topology
 */
import { attr, child, elementChildren, ensureChild, removeElement, setAttr, setText, text } from '../../../xml/dom';
import { DOMAIN_ORDER } from '../../../xml/domain-xml';
import { domainType, findingId, nextBoot, rootOf, seed, vmFinding, type DomainXml, type Rule } from './types';

export const cpuModeRule: Rule = {
  rule: 'cpu-mode',
  group: 'cpu',
  vm(vm) {
    const root = rootOf(vm.xml);
    // host-passthrough needs KVM: under TCG (type='qemu') QEMU emulates a model anyway.
    if (domainType(root) !== 'kvm') return [];
    const cpu = child(root, 'cpu');
    const mode = cpu ? attr(cpu, 'mode') ?? 'custom' : null;
    if (mode === 'host-passthrough' || mode === 'maximum' || mode === 'host-model') return [];
    return [
      vmFinding(this, vm, {
        severity: 'info',
        title: 'The CPU model hides host CPU features from the guest',
        evidence: [cpu ? `<cpu mode='${mode}'> with model ${text(child(cpu, 'model'))?.trim() ?? '(none)'}` : 'no <cpu> element: QEMU’s default model (qemu64)'],
        source: seed('On a single host, copy the host CPU (host-passthrough): the guest sees every feature (AVX, AES-NI…). Keep a named model only where the VM migrates between different CPUs.'),
        fix: {
          kind: 'xml',
          summary: "Use <cpu mode='host-passthrough'> (the CPU topology and NUMA cells are kept).",
          warnings: [...nextBoot(vm), 'Migration caveat: the VM can then migrate only to hosts with the same CPU (and microcode). Keep the named model if it migrates between different hosts.'],
          available: true,
          reason: null,
        },
      }),
    ];
  },
  fixXml(x: DomainXml) {
    const cpu = ensureChild(x.root, 'cpu', DOMAIN_ORDER);
    for (const tag of ['model', 'vendor', 'feature']) for (const el of elementChildren(cpu, tag)) removeElement(el);
    setAttr(cpu, 'match', undefined);
    setAttr(cpu, 'mode', 'host-passthrough');
    setAttr(cpu, 'check', 'none');
    setAttr(cpu, 'migratable', 'on');
  },
};

const maxVcpus = (root: ReturnType<typeof rootOf>) => Number(text(child(root, 'vcpu'))?.trim() ?? '1') || 1;

export const vcpusOverHostRule: Rule = {
  rule: 'vcpus-over-host',
  group: 'cpu',
  vm(vm, host) {
    const n = maxVcpus(rootOf(vm.xml));
    if (host.cpus <= 0 || n <= host.cpus) return [];
    return [
      vmFinding(this, vm, {
        severity: 'warning',
        title: 'More vCPUs than the host has CPUs',
        evidence: [`${n} vCPUs (maximum) in the definition`, `the host has ${host.cpus} CPUs`],
        source: seed('A guest should never get more vCPUs than the host has CPUs: its vCPUs then wait for each other (lock holder preemption) and it runs slower than with fewer.'),
        fix: { kind: 'xml', summary: `Lower the vCPUs to ${host.cpus}.`, warnings: nextBoot(vm), available: true, reason: null },
      }),
    ];
  },
  fixXml(x: DomainXml, _vm, host) {
    const vcpu = ensureChild(x.root, 'vcpu', DOMAIN_ORDER);
    setText(vcpu, String(host.cpus));
    const current = Number(attr(vcpu, 'current'));
    // current='N' equal to the maximum is what libvirt drops itself; above it is invalid.
    if (Number.isFinite(current) && current >= host.cpus) setAttr(vcpu, 'current', undefined);
    // vCPU pins and <vcpus> entries for vCPUs that no longer exist would make the XML invalid.
    for (const pin of elementChildren(child(x.root, 'cputune'), 'vcpupin')) if (Number(attr(pin, 'vcpu')) >= host.cpus) removeElement(pin);
    const list = child(x.root, 'vcpus');
    if (list) removeElement(list);
  },
};

export const vcpusTotalRule: Rule = {
  rule: 'vcpus-total',
  group: 'cpu',
  host(host) {
    const total = host.running.reduce((s, r) => s + r.vcpus, 0);
    if (host.cpus <= 0 || total <= host.cpus) return [];
    return [
      {
        id: findingId(this.rule, null),
        rule: this.rule,
        group: this.group,
        vm: null,
        severity: 'warning',
        title: 'The running VMs have more vCPUs than the host has CPUs',
        evidence: [`${total} vCPUs in ${host.running.length} running VMs: ${host.running.map((r) => `${r.name} (${r.vcpus})`).join(', ')}`, `the host has ${host.cpus} CPUs`],
        source: seed('Guest vCPUs should not exceed the host’s CPUs: busy guests then take turns, and latency grows for all of them.'),
        fix: { kind: 'host', summary: 'Stop a VM or lower the vCPUs of some (their hardware view, or the advisor’s per-VM finding).', warnings: [], available: false, reason: 'Which VM to stop or shrink is your choice.' },
      },
    ];
  },
};

export const cpuRules = [cpuModeRule, vcpusOverHostRule, vcpusTotalRule];
