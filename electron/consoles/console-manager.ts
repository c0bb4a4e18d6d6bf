/**
 * Every open console of this backend: VNC tunnels and serial sessions, the one-time tickets
 * their byte channels are claimed with, and the watch that reconnects a VNC view when its VM is
 * started again (new QEMU, maybe a new autoport). A guest reboot keeps QEMU, so it keeps the tunnel.
 */
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { ClosedReason, ConsoleInfo, ConsoleOpened } from '../../shared/model/console';
import { AppError } from '../../shared/errors';
import type { EventBus } from '../core/event-bus';
import type { HostConnection } from '../hosts/host-connection';
import { ChannelPump, VNC_LIMITS, type ChannelInput, type ChannelPeer } from './byte-channel';
import { consoleInfo, requireVnc } from './console-info';
import type { GraphicsHistory } from './graphics-switch';
import { RfbRequestPipeline } from './rfb-pipeline';
import { SerialSession, type SerialOptions } from './serial-session';

const TICKET_TTL_MS = 30_000;
const VM_STOPPED = Symbol('vm-stopped');
/** A console nobody has attached to for this long is released (a closed browser tab never says so). */
const IDLE_MS = 60_000;
/** How long a VNC console of a stopped VM waits for the VM to come back. */
const WAIT_FOR_START_MS = 60 * 60_000;
const POLL_MS = 2000;

interface Base {
  id: string;
  hostId: string;
  uuid: string;
  pump?: ChannelPump;
  attached: boolean;
  idleSince: number;
}
interface VncRecord extends Base {
  kind: 'vnc';
  tunnel?: Duplex;
  pipeline?: RfbRequestPipeline;
  /** The VM was seen stopped after the tunnel closed: emit vncRestart when it runs again. */
  waitingSince?: number;
  checking?: boolean;
}
interface SerialRecord extends Base {
  kind: 'serial';
  session: SerialSession;
}
type ConsoleRecord = VncRecord | SerialRecord;

export interface ConsoleManagerDeps {
  host(hostId: string): HostConnection;
  bus: EventBus;
  history: GraphicsHistory;
  secrets: { persistent: boolean; get(k: string): Promise<string | undefined> };
  /** How long a ticket stays claimable (tests shorten it). */
  ticketTtlMs?: number;
}

export class ConsoleManager {
  private readonly records = new Map<string, ConsoleRecord>();
  private readonly tickets = new Map<string, { consoleId: string; expires: number }>();
  private readonly timer: NodeJS.Timeout;
  private readonly offBus: () => void;
  readonly history: GraphicsHistory;
  /** Request pipelining for VNC tunnels opened from now on (the bench compares both ways). */
  pipelineVnc = true;

  constructor(private readonly deps: ConsoleManagerDeps) {
    this.history = deps.history;
    this.timer = setInterval(() => this.tick(), POLL_MS);
    this.timer.unref();
    this.offBus = deps.bus.on((name, payload) => {
      if (name === 'domains.changed') this.checkWaiting((payload as { hostId: string }).hostId);
    });
  }

  async info(hostId: string, uuid: string): Promise<ConsoleInfo> {
    return consoleInfo(this.deps.host(hostId), uuid, await this.deps.history.has(hostId, uuid));
  }

  async openVnc(hostId: string, uuid: string, consoleId?: string): Promise<ConsoleOpened> {
    // Fail now with a clear message (VM off, SPICE…) rather than on the channel later.
    requireVnc(await this.info(hostId, uuid));
    let rec = consoleId ? this.records.get(consoleId) : undefined;
    if (rec && (rec.kind !== 'vnc' || rec.hostId !== hostId || rec.uuid !== uuid)) throw new AppError('invalid_args', 'that console belongs to another VM');
    if (!rec) {
      rec = { kind: 'vnc', id: newId(), hostId, uuid, attached: false, idleSince: Date.now() };
      this.records.set(rec.id, rec);
    }
    rec.waitingSince = undefined;
    const password = this.deps.secrets.persistent ? await this.deps.secrets.get(vncSecretKey(hostId, uuid)) : undefined;
    return { consoleId: rec.id, ticket: this.issueTicket(rec.id), ...(password !== undefined ? { password } : {}) };
  }

  async openSerial(hostId: string, opts: SerialOptions): Promise<ConsoleOpened> {
    const session = new SerialSession(this.deps.host(hostId), opts);
    await session.start();
    const rec: SerialRecord = { kind: 'serial', id: newId(), hostId, uuid: opts.uuid, session, pump: new ChannelPump(session.link), attached: false, idleSince: Date.now() };
    this.records.set(rec.id, rec);
    void session.ended.then(({ reason, message }) => this.finish(rec, reason, message));
    return { consoleId: rec.id, ticket: this.issueTicket(rec.id) };
  }

  resize(consoleId: string, rows: number, cols: number): void {
    const rec = this.records.get(consoleId);
    if (rec?.kind !== 'serial') throw new AppError('not_found', 'no such serial console');
    rec.session.resize(rows, cols);
  }

  close(consoleId: string): void {
    const rec = this.records.get(consoleId);
    if (rec) this.finish(rec, 'closed');
  }

  /** A transport adapter presents a ticket; undefined when it is unknown, used or expired. */
  claim(ticket: string): ((peer: ChannelPeer) => ChannelInput) | undefined {
    const t = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    const rec = t && t.expires > Date.now() ? this.records.get(t.consoleId) : undefined;
    if (!rec) return undefined;
    return (peer) => (rec.kind === 'serial' ? this.attachSerial(rec, peer) : this.attachVnc(rec, peer));
  }

  shutdown(): void {
    clearInterval(this.timer);
    this.offBus();
    for (const rec of [...this.records.values()]) this.finish(rec, 'closed');
  }

  /** Bytes in flight to the renderer per console (the flood test reads it). */
  inFlight(consoleId: string): number | undefined {
    return this.records.get(consoleId)?.pump?.inFlight;
  }

  /** Update requests sent ahead of the viewer on this VNC console (the bench reads it). */
  pipelined(consoleId: string): number | undefined {
    const rec = this.records.get(consoleId);
    return rec?.kind === 'vnc' ? rec.pipeline?.injected : undefined;
  }

  private attachSerial(rec: SerialRecord, peer: ChannelPeer): ChannelInput {
    const input = rec.pump!.attach(peer);
    rec.attached = true;
    return {
      data: (chunk) => input.data(chunk),
      control: (raw) => input.control(raw),
      // A serial view that went away (tab closed, page reloaded) releases the console at once,
      // so virt-manager or `virsh console` can attach; a new view opens a new session.
      closed: () => {
        input.closed();
        this.finish(rec, 'closed');
      },
    };
  }

  /** Opens the tunnel on attach, so a ticket never claimed leaves no tunnel behind. */
  private attachVnc(rec: VncRecord, peer: ChannelPeer): ChannelInput {
    // One view per VNC console: a newer attach replaces the older one.
    const old = rec.tunnel;
    rec.tunnel = undefined;
    rec.pump?.end('closed', 'The console was opened elsewhere.');
    rec.pump = undefined;
    old?.destroy();
    rec.attached = true;
    let input: ChannelInput | undefined;
    let pipeline: RfbRequestPipeline | undefined;
    let mine: Duplex | undefined;
    const early: Uint8Array[] = [];
    let gone = false;
    void this.openTunnelPatiently(rec).then(
      (tunnel) => {
        if (gone || !this.records.has(rec.id)) return void tunnel.destroy();
        mine = tunnel;
        rec.tunnel = tunnel;
        rec.pump = new ChannelPump({ output: tunnel, input: tunnel }, VNC_LIMITS);
        input = rec.pump.attach(peer);
        pipeline = rec.pipeline = new RfbRequestPipeline((b) => tunnel.write(b), this.pipelineVnc);
        tunnel.on('data', () => pipeline!.fromServer());
        for (const c of early.splice(0)) {
          pipeline.fromViewer(c);
          input.data(c);
        }
        // An SSH channel only reports 'end' when QEMU closes the display (sshd waits for our
        // EOF before closing the channel), a local socket reports 'close': treat both as the end.
        const ended = () => {
          if (rec.tunnel !== tunnel) return;
          tunnel.destroy();
          void this.tunnelClosed(rec);
        };
        tunnel.once('end', ended);
        tunnel.once('close', ended);
        tunnel.on('error', () => {}); // 'close' follows; the state check says why
      },
      (e: unknown) => {
        if (e === VM_STOPPED) {
          // It stopped before we got in: wait for its next start like a view that saw it stop.
          rec.waitingSince = Date.now();
          peer.sendControl({ t: 'closed', reason: 'vm-stopped' });
        } else peer.sendControl({ t: 'closed', reason: 'error', message: AppError.from(e).message });
        peer.close();
      },
    );
    return {
      data: (chunk) => {
        if (!input) return void early.push(chunk);
        pipeline!.fromViewer(chunk);
        input.data(chunk);
      },
      control: (raw) => input?.control(raw),
      closed: () => {
        gone = true;
        input?.closed();
        mine?.destroy();
        // A newer view may already be attached (a reconnect): leave its tunnel alone.
        if (rec.tunnel !== mine && mine !== undefined) return;
        rec.attached = false;
        rec.idleSince = Date.now();
        // The view went away: the tunnel is dropped; the record stays for a reopen until idle.
        rec.tunnel = undefined;
        rec.pump = undefined;
      },
    };
  }

  /**
   * libvirt writes an autoport into the live XML while QEMU is still starting, before it listens
   * there ("connection refused"), and a VM may stop between the look and the connect: retry for
   * a few seconds while the VM still shows a VNC display; VM_STOPPED when it no longer runs.
   */
  private async openTunnelPatiently(rec: VncRecord): Promise<Duplex> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.openTunnel(rec);
      } catch (e) {
        const info = await this.info(rec.hostId, rec.uuid).catch(() => undefined);
        if (info && info.status === 'off') throw VM_STOPPED;
        if (AppError.from(e).code === 'unsupported') throw e; // a socket SSH cannot open: no use retrying
        if (info?.status !== 'vnc' || attempt >= 10 || !this.records.has(rec.id)) throw e;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private async openTunnel(rec: VncRecord): Promise<Duplex> {
    const host = this.deps.host(rec.hostId);
    const ep = requireVnc(await consoleInfo(host, rec.uuid, false));
    if (ep.kind === 'tcp') return host.openTcpTunnel(ep.host, ep.port);
    return host.openUnixTunnel(ep.path).catch((e: unknown) => {
      if (!host.uri.remote) throw e;
      // libvirt makes the socket readable by root (and QEMU's user) only, and sshd may forbid
      // streamlocal forwarding: either way sshd just says "open failed". Say what to change.
      throw new AppError(
        'unsupported',
        `The SSH user cannot open the display's socket ${ep.path} on ${host.config.name} (${AppError.from(e).message}). ` +
          "It needs read access to the socket and sshd's AllowStreamLocalForwarding; or give the VM's VNC display a listen address (e.g. 127.0.0.1) instead of a socket.",
      );
    });
  }

  /** QEMU closed the display: the VM stopped (wait for its restart) or the server dropped us. */
  private async tunnelClosed(rec: VncRecord): Promise<void> {
    const pump = rec.pump;
    rec.tunnel = undefined;
    rec.pump = undefined;
    let stopped = false;
    // libvirt may still say "running" for a moment after QEMU's sockets closed.
    for (let i = 0; i < 10 && !stopped; i++) {
      const info = await this.info(rec.hostId, rec.uuid).catch(() => undefined);
      if (info === undefined && this.deps.host(rec.hostId).status.state !== 'connected') {
        return this.finish(rec, 'host-disconnected', 'The connection to the host dropped.', pump);
      }
      stopped = info !== undefined && info.status !== 'vnc';
      if (!stopped) await new Promise((r) => setTimeout(r, 400));
    }
    if (!this.records.has(rec.id)) return;
    if (stopped) {
      rec.waitingSince = Date.now();
      pump?.end('vm-stopped');
      this.deps.bus.emit('consoles.closed', { consoleId: rec.id, reason: 'vm-stopped' });
    } else {
      pump?.end('error', 'The VNC server closed the connection.');
      this.deps.bus.emit('consoles.closed', { consoleId: rec.id, reason: 'error', message: 'The VNC server closed the connection.' });
    }
  }

  private checkWaiting(hostId: string): void {
    for (const rec of this.records.values()) {
      if (rec.kind !== 'vnc' || rec.hostId !== hostId || rec.waitingSince === undefined || rec.checking) continue;
      rec.checking = true;
      void this.info(rec.hostId, rec.uuid)
        .then(
          (info) => {
            if (rec.waitingSince === undefined || info.status !== 'vnc' || !info.endpoint) return;
            rec.waitingSince = undefined;
            rec.idleSince = Date.now();
            this.deps.bus.emit('consoles.vncRestart', { consoleId: rec.id });
          },
          () => {},
        )
        .finally(() => (rec.checking = false));
    }
  }

  private tick(): void {
    const now = Date.now();
    for (const [t, v] of this.tickets) if (v.expires <= now) this.tickets.delete(t);
    const hosts = new Set<string>();
    for (const rec of [...this.records.values()]) {
      if (rec.kind === 'vnc' && rec.waitingSince !== undefined) {
        if (now - rec.waitingSince > WAIT_FOR_START_MS) this.finish(rec, 'closed');
        else hosts.add(rec.hostId);
      } else if (!rec.attached && now - rec.idleSince > IDLE_MS) this.finish(rec, 'closed');
    }
    for (const h of hosts) this.checkWaiting(h);
  }

  private finish(rec: ConsoleRecord, reason: ClosedReason, message?: string, pump = rec.pump): void {
    if (!this.records.delete(rec.id)) return;
    for (const [t, v] of this.tickets) if (v.consoleId === rec.id) this.tickets.delete(t);
    pump?.end(reason, message);
    if (rec.kind === 'serial') rec.session.destroy();
    else rec.tunnel?.destroy();
    this.deps.bus.emit('consoles.closed', message === undefined ? { consoleId: rec.id, reason } : { consoleId: rec.id, reason, message });
  }

  private issueTicket(consoleId: string): string {
    const ticket = randomBytes(24).toString('base64url');
    this.tickets.set(ticket, { consoleId, expires: Date.now() + (this.deps.ticketTtlMs ?? TICKET_TTL_MS) });
    return ticket;
  }
}

export function vncSecretKey(hostId: string, uuid: string): string {
  return `vnc:${hostId}:${uuid}`;
}

function newId(): string {
  return randomBytes(12).toString('base64url');
}
