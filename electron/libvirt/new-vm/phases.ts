/**
 * The install phase, as virt-install runs it: the guest boots the install configuration (with
 * on_reboot=destroy) while the final one is already its persistent definition; when the guest
 * powers off or "reboots", Virtdeck starts it again, now on the final configuration. The phase
 * lives in the definition's <metadata>, so a phase that ended while Virtdeck was closed is
 * finished on the next connect.
 */
import type { HostConnection } from '../../hosts/host-connection';
import { inactiveXml } from '../domain-config';
import { runStep } from '../plan';
import { DomainXml } from '../../xml/domain-xml';
import { METADATA_NS, readPhase, withPhase } from './domain-build';
import { tryVirsh } from './media';
import { metadataOfAll } from '../metadata-batch';

export interface PhaseEvents {
  phase(hostId: string, uuid: string, name: string, phase: 'installing' | 'done', message: string | null): void;
}

export interface VmPhase {
  uuid: string;
  name: string;
  phase: 'customizing' | 'installing';
}

export class InstallPhases {
  /** Per host: VMs the wizard made that are being customized or installed. */
  private readonly tracked = new Map<string, Map<string, VmPhase>>();
  private readonly scans = new Map<string, Promise<void>>();
  private readonly busy = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(
    private readonly hostOf: (hostId: string) => HostConnection | undefined,
    private readonly events: PhaseEvents,
  ) {}

  private of(hostId: string): Map<string, VmPhase> {
    let m = this.tracked.get(hostId);
    if (!m) this.tracked.set(hostId, (m = new Map()));
    return m;
  }

  track(hostId: string, vm: VmPhase): void {
    this.of(hostId).set(vm.uuid, vm);
  }

  forget(hostId: string, uuid: string): void {
    this.tracked.get(hostId)?.delete(uuid);
  }

  /** The host's VMs in a phase; the first call after a connect waits for that connect's scan. */
  async phases(hostId: string): Promise<VmPhase[]> {
    await (this.scans.get(hostId) ?? this.scan(hostId));
    return [...this.of(hostId).values()];
  }

  /**
   * After a (re)connect: find every VM whose <metadata> says customizing or installing (one
   * metadata read per VM, pipelined on the session), then finish phases that ended meanwhile.
   */
  scan(hostId: string): Promise<void> {
    const p = this.scanOnce(hostId);
    this.scans.set(hostId, p.catch(() => undefined));
    return p;
  }

  private async scanOnce(hostId: string): Promise<void> {
    const host = this.hostOf(hostId);
    if (!host) return;
    const uuids = (await host.run(['virsh', 'list', '--all', '--uuid'])).stdout.split('\n').map((s) => s.trim()).filter(Boolean);
    const found = (await metadataOfAll(host, uuids, METADATA_NS)).flatMap(({ uuid, name, metadata }) => {
      const phase = phaseIn(metadata);
      return phase ? [{ uuid, name, phase }] : [];
    });
    const m = this.of(hostId);
    m.clear();
    for (const vm of found) m.set(vm.uuid, vm);
    await this.check(hostId);
  }

  /** On any VM change of the host: a tracked VM that is shut off has ended its install phase. */
  check(hostId: string): Promise<void> {
    const running = this.busy.get(hostId);
    if (running) {
      this.again.add(hostId);
      return running;
    }
    const p = this.checkOnce(hostId).finally(() => {
      this.busy.delete(hostId);
      if (this.again.delete(hostId)) void this.check(hostId);
    });
    this.busy.set(hostId, p);
    return p;
  }

  private async checkOnce(hostId: string): Promise<void> {
    const set = this.tracked.get(hostId);
    const host = this.hostOf(hostId);
    if (!set || set.size === 0 || !host) return;
    for (const [uuid, vm] of [...set]) {
      const st = await tryVirsh(host, ['domstate', '--domain', uuid]);
      if (!st.ok) {
        set.delete(uuid); // undefined meanwhile
        continue;
      }
      if (vm.phase !== 'installing') continue;
      if (st.stdout.trim() !== 'shut off') {
        await this.endedElsewhere(hostId, host, uuid, set);
        continue;
      }
      const xml = await inactiveXml(host, uuid);
      const meta = readPhase(xml);
      set.delete(uuid);
      const name = DomainXml.parse(xml).name || uuid;
      if (meta?.phase !== 'installing') {
        // Ended by another Virtdeck between the power-off and now: it starts the VM, not us.
        if (meta) this.events.phase(hostId, uuid, name, 'done', `The installation ended.${await removeInstallOnly(host, meta.volumes)}`);
        continue;
      }
      try {
        await runStep(host, { argv: ['define', '--validate', '--file', '/dev/stdin'], stdin: withPhase(xml, 'done') });
        // Another Virtdeck on the host may have ended the same phase a moment earlier and started it.
        await runStep(host, { argv: ['start', '--domain', uuid] }).catch((e: unknown) => {
          if (!/already active|already running/i.test((e as Error).message)) throw e;
        });
        const removed = await removeInstallOnly(host, meta.volumes);
        this.events.phase(hostId, uuid, name, 'done', `The installation ended: the VM was started on its final configuration.${removed}`);
      } catch (e) {
        this.events.phase(hostId, uuid, name, 'done', `The installation ended, but starting the final configuration failed: ${(e as Error).message}`);
      }
    }
  }

  /**
   * A tracked VM that runs again may have had its phase ended by another Virtdeck on the same
   * host (its definition then says 'done'): stop tracking it, remove what only the install phase
   * used (if still there), and tell, instead of waiting forever for a power-off.
   */
  private async endedElsewhere(hostId: string, host: HostConnection, uuid: string, set: Map<string, VmPhase>): Promise<void> {
    const xml = await inactiveXml(host, uuid).catch(() => null);
    const meta = xml === null ? null : readPhase(xml);
    if (!xml || !meta || meta.phase === 'installing') return;
    set.delete(uuid);
    const removed = await removeInstallOnly(host, meta.volumes);
    this.events.phase(hostId, uuid, DomainXml.parse(xml).name || uuid, 'done', `The installation ended: the VM runs its final configuration.${removed}`);
  }
}

/**
 * Deletes the volumes only the install phase used (a network install's kernel and initrd, a
 * cloud-init seed); a
 * failure is told, not thrown: the VM runs on its final configuration either way.
 */
async function removeInstallOnly(host: HostConnection, volumes: { poolUuid: string; name: string; installOnly?: boolean }[]): Promise<string> {
  const gone: string[] = [];
  const left: string[] = [];
  for (const v of volumes.filter((x) => x.installOnly)) {
    const r = await tryVirsh(host, ['vol-delete', '--pool', v.poolUuid, '--vol', v.name]);
    if (r.ok) gone.push(`“${v.name}”`);
    else if (!/Storage volume not found|no storage vol/i.test(r.error)) left.push(`“${v.name}” (${r.error})`); // gone already: removed elsewhere
  }
  return (gone.length ? ` Removed the install volumes ${gone.join(', ')}.` : '') + (left.length ? ` Could not remove ${left.join(', ')}.` : '');
}

const phaseIn = (metadata: string) => /<[^>]*phase>(customizing|installing)</.exec(metadata)?.[1] as VmPhase['phase'] | undefined;
