/**
 * Clocks: a Windows guest on KVM without the Hyper-V clock (and the enlightenments that go with
 * it), and a Linux KVM guest whose kvmclock is switched off (`<timer name='kvmclock'
 * present='no'/>`). Under TCG (domain type 'qemu') neither applies: no KVM paravirtual clock.
 * https://libvirt.org/formatdomain.html#time-keeping and
 * https://libvirt.org/formatdomain.html#hypervisor-features
 */
import { attr, child, elementChildren, ensureChild, h, insertChild, removeElement, type Element } from '../../../xml/dom';
import { DOMAIN_ORDER } from '../../../xml/domain-xml';
import { doc, domainType, nextBoot, rootOf, vmFinding, type DomainXml, type Rule } from './types';

const timers = (root: Element) => elementChildren(child(root, 'clock'), 'timer');
const hypervClockOn = (root: Element) => timers(root).some((t) => attr(t, 'name') === 'hypervclock' && attr(t, 'present') !== 'no');
const kvmclockOff = (root: Element) => timers(root).filter((t) => attr(t, 'name') === 'kvmclock' && attr(t, 'present') === 'no');

export const hypervTimerRule: Rule = {
  rule: 'windows-hyperv-clock',
  group: 'clocks',
  vm(vm) {
    const root = rootOf(vm.xml);
    if (!vm.os?.windows || domainType(root) !== 'kvm' || hypervClockOn(root)) return [];
    return [
      vmFinding(this, vm, {
        severity: 'warning',
        title: 'Windows guest without the Hyper-V clock',
        evidence: [`OS: ${vm.os.name}`, "no <timer name='hypervclock' present='yes'/> in <clock>"],
        source: doc('https://libvirt.org/formatdomain.html#time-keeping', 'libvirt: time keeping (hypervclock) and Hyper-V enlightenments'),
        fix: {
          kind: 'xml',
          summary: "Add <timer name='hypervclock' present='yes'/> and the relaxed, vapic and spinlocks enlightenments.",
          warnings: nextBoot(vm),
          available: true,
          reason: null,
        },
      }),
    ];
  },
  fixXml(x: DomainXml) {
    const clock = child(x.root, 'clock') ?? insertChild(x.root, h(x.doc, 'clock', { offset: 'localtime' }), DOMAIN_ORDER);
    insertChild(clock, h(x.doc, 'timer', { name: 'hypervclock', present: 'yes' }));
    const features = ensureChild(x.root, 'features', DOMAIN_ORDER);
    if (!child(features, 'hyperv'))
      insertChild(features, h(x.doc, 'hyperv', { mode: 'custom' }, [h(x.doc, 'relaxed', { state: 'on' }), h(x.doc, 'vapic', { state: 'on' }), h(x.doc, 'spinlocks', { state: 'on', retries: 8191 })]));
  },
};

export const kvmclockRule: Rule = {
  rule: 'kvmclock-off',
  group: 'clocks',
  vm(vm) {
    const root = rootOf(vm.xml);
    if (vm.os?.family !== 'linux' || domainType(root) !== 'kvm' || kvmclockOff(root).length === 0) return [];
    return [
      vmFinding(this, vm, {
        severity: 'warning',
        title: 'Linux KVM guest with kvmclock switched off',
        evidence: [`OS: ${vm.os.name}`, "<timer name='kvmclock' present='no'/> on a KVM domain"],
        source: doc('https://libvirt.org/formatdomain.html#time-keeping', 'libvirt: time keeping; kvmclock is the paravirtual clock Linux guests use on KVM'),
        fix: { kind: 'xml', summary: "Remove <timer name='kvmclock' present='no'/>.", warnings: nextBoot(vm), available: true, reason: null },
      }),
    ];
  },
  fixXml(x: DomainXml) {
    for (const t of kvmclockOff(x.root)) removeElement(t);
  },
};

export const clocksRules = [hypervTimerRule, kvmclockRule];
