import type { Domain } from '../../shared/model/domain';
import type { HostConnection } from '../hosts/host-connection';
import { domainStateFromCode, domstatsNumber, isKnownDomainStateCode, parseDominfo, parseDomstatsRaw, parseListUuidName, parseUuidList } from '../virsh/parse';
import { forEachLimited } from './limit';

const BACKGROUND_SIZING_ABOVE = 50;
/** dominfo calls in flight while sizing in the background: a tick queued meanwhile waits behind at most these. */
const SIZING_IN_FLIGHT = 8;

interface Sizing {
  vcpus: number | null;
  memoryKiB: number | null;
  maxMemoryKiB: number | null;
}

/**
 * The host's VM list. States, flags and names come from five bulk calls whatever the number
 * of VMs. Sizing (vCPUs, memory) is cached and fetched only for VMs that are new or that an
 * event or an action touched. On the first load the shut-off VMs' sizes come in bulk from
 * `domstats --list-inactive --vcpu --balloon` (vcpu.current, balloon.current/maximum: what
 * dominfo reports). Running VMs get `dominfo` each: for a running guest those two groups cost
 * libvirtd a QEMU monitor round trip (measured: ~375 ms for 50 idle guests, where 50 pipelined
 * dominfo take a few ms). Drivers without those groups (the test driver reports only state.*)
 * get `dominfo` for every VM. Above 50 that runs in the background, a few at a time, so the
 * list and the first stats tick never wait behind a thousand of them.
 */
export class DomainInventory {
  private readonly sizing = new Map<string, Sizing>();
  private readonly stale = new Set<string>();
  private readonly uuidByName = new Map<string, string>();
  private current: Domain[] = [];
  private inFlight?: Promise<Domain[]>;
  private backfilling = false;

  /** `onSized` is told when sizes fetched in the background arrived (the UI refetches). */
  constructor(
    private readonly host: HostConnection,
    private readonly onSized: () => void = () => {},
  ) {}

  get domains(): readonly Domain[] {
    return this.current;
  }

  /** A refresh is running: `domains` is about to change. */
  get refreshing(): boolean {
    return this.inFlight !== undefined;
  }

  uuidOf(name: string): string | undefined {
    return this.uuidByName.get(name);
  }

  /** From the sizing cache, so sizes fetched in the background count before the next list. */
  vcpusOf(uuid: string): number | null {
    return this.sizing.get(uuid)?.vcpus ?? null;
  }

  /** Marks VMs (by name, as events name them) or every VM for a sizing refetch. */
  invalidate(names?: readonly string[], uuids?: readonly string[]): void {
    if (!names && !uuids) return this.sizing.clear();
    for (const n of names ?? []) {
      const u = this.uuidByName.get(n);
      if (u) this.stale.add(u);
    }
    for (const u of uuids ?? []) this.stale.add(u);
  }

  /** Concurrent callers (start-up, the UI, events) share one refresh instead of repeating it. */
  refresh(): Promise<Domain[]> {
    this.inFlight ??= this.load().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async load(): Promise<Domain[]> {
    const h = this.host;
    const [names, persistent, autostart, saved, stats, inactiveSizes] = await Promise.all([
      h.run(['virsh', 'list', '--all', '--uuid', '--name']),
      h.run(['virsh', 'list', '--all', '--uuid', '--persistent']),
      h.run(['virsh', 'list', '--all', '--uuid', '--autostart']),
      h.run(['virsh', 'list', '--all', '--uuid', '--with-managed-save']),
      h.run(['virsh', 'domstats', '--raw', '--state']),
      this.sizing.size === 0 ? h.run(['virsh', 'domstats', '--raw', '--list-inactive', '--vcpu', '--balloon']) : undefined,
    ]);
    const isPersistent = new Set(parseUuidList(persistent.stdout));
    const isAutostart = new Set(parseUuidList(autostart.stdout));
    const hasSave = new Set(parseUuidList(saved.stdout));
    const stateByName = new Map<string, { state: number; reason: number }>();
    const listed = parseListUuidName(names.stdout);
    this.uuidByName.clear();
    for (const { uuid, name } of listed) this.uuidByName.set(name, uuid);
    for (const block of parseDomstatsRaw(stats.stdout)) {
      const f = block.fields;
      stateByName.set(block.name, { state: Number(f.get('state.state') ?? 0), reason: Number(f.get('state.reason') ?? 0) });
    }
    for (const block of parseDomstatsRaw(inactiveSizes?.stdout ?? '')) {
      const f = block.fields;
      const vcpus = domstatsNumber(f, 'vcpu.current');
      const memoryKiB = domstatsNumber(f, 'balloon.current');
      const uuid = this.uuidByName.get(block.name);
      if (uuid && vcpus !== undefined && memoryKiB !== undefined && !this.stale.has(uuid)) {
        this.sizing.set(uuid, { vcpus, memoryKiB, maxMemoryKiB: domstatsNumber(f, 'balloon.maximum') ?? null });
      }
    }
    const unsized = listed.map((d) => d.uuid).filter((u) => !this.sizing.has(u) || this.stale.has(u));
    // A large host lists at once and gets its sizes in the background: the first screen
    // should not wait for one dominfo per VM.
    if (unsized.length <= BACKGROUND_SIZING_ABOVE) await this.fetchSizing(unsized);
    else if (!this.backfilling) {
      this.backfilling = true;
      void this.fetchSizing(unsized).finally(() => {
        this.backfilling = false;
        this.onSized();
      });
    }
    this.current = listed.map(({ uuid, name }) => {
      const st = stateByName.get(name);
      const size = this.sizing.get(uuid);
      const d: Domain = {
        uuid,
        name,
        state: domainStateFromCode(st?.state ?? 0),
        reason: st?.reason ?? 0,
        persistent: isPersistent.has(uuid),
        autostart: isAutostart.has(uuid),
        managedSave: hasSave.has(uuid),
        vcpus: size?.vcpus ?? null,
        memoryKiB: size?.memoryKiB ?? null,
        maxMemoryKiB: size?.maxMemoryKiB ?? null,
      };
      if (st && !isKnownDomainStateCode(st.state)) d.problems = [`state ${st.state} is not one Virtdeck knows (shown as "no state")`];
      return d;
    });
    return this.current;
  }

  /** On the long-lived session: ~0.3 ms a VM, paid once per VM, not per refresh. */
  private async fetchSizing(uuids: string[]): Promise<void> {
    for (const uuid of uuids) this.stale.delete(uuid);
    await forEachLimited(uuids, SIZING_IN_FLIGHT, async (uuid) => {
      try {
        const info = parseDominfo((await this.host.run(['virsh', 'dominfo', '--domain', uuid])).stdout);
        this.sizing.set(uuid, { vcpus: info.cpus ?? null, memoryKiB: info.usedMemoryKiB ?? null, maxMemoryKiB: info.maxMemoryKiB ?? null });
      } catch {
        this.sizing.delete(uuid); // vanished between the calls; the next refresh drops it
      }
    });
  }
}
