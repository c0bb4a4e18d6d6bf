/**
 * One serial console outside React: the xterm Terminal (with fit and search addons) and the
 * byte channel to `virsh console` on the host. Output is written with xterm's callback, and
 * only then acknowledged, so a flooding guest waits for the terminal instead of the reverse.
 */
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Terminal } from '@xterm/xterm';
import type { Api } from '../../../../shared/contract';
import { AppError } from '../../../../shared/errors';
import { adoptInlineStyles } from './adopt-inline-styles';
import { openByteChannel, type ByteChannel } from './byte-channel';

export type SerialView =
  | { phase: 'connecting' }
  | { phase: 'open' }
  /** The VM is not running: the console attaches by itself when it starts. */
  | { phase: 'off'; name: string }
  | { phase: 'closed'; reason: string; message?: string }
  | { phase: 'error'; message: string };

const encoder = new TextEncoder();

export class SerialController {
  readonly term: Terminal;
  private readonly fit = new FitAddon();
  readonly search = new SearchAddon();
  private channel: ByteChannel | null = null;
  private consoleId: string | undefined;
  private unadopt: (() => void) | null = null;
  private destroyed = false;
  private size = { rows: 0, cols: 0 };
  private connecting = false;
  private waitingForStart = false;
  private readonly offEvents: () => void;

  constructor(
    private readonly api: Api,
    readonly hostId: string,
    readonly uuid: string,
    private readonly devname: string | undefined,
    private readonly report: (v: SerialView) => void,
    fontSize: number,
    private readonly onSize: (rows: number, cols: number) => void = () => {},
  ) {
    this.term = new Terminal({ scrollback: 10_000, fontSize, convertEol: false, cursorBlink: true, allowProposedApi: true, fontFamily: 'DejaVu Sans Mono, ui-monospace, monospace' });
    this.term.loadAddon(this.fit);
    this.term.loadAddon(this.search);
    // Keystrokes and xterm's own replies (e.g. to the cursor-position query busybox sends) go to the guest.
    this.term.onData((s) => this.channel?.send(encoder.encode(s)));
    this.term.onBinary((s) => this.channel?.send(Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff)));
    // Waiting for the VM: attach as soon as it runs (in time for its boot messages).
    this.offEvents = api.on('domains.changed', (e) => {
      if (e.hostId === hostId && this.waitingForStart && !this.channel && !this.connecting) void this.connect();
    });
  }

  /** After a failed or ended attach: is the VM simply off? Then say so and wait for it. */
  private async waitIfOff(retries = 0): Promise<boolean> {
    const info = await this.api.request('consoles.vncInfo', { hostId: this.hostId, uuid: this.uuid }).catch(() => null);
    if (!info || info.state === 'running' || info.state === 'paused' || info.state === 'blocked') {
      // virsh console can end a moment before libvirt reports the VM off.
      if (info && retries > 0 && !this.destroyed) return new Promise((r) => setTimeout(() => r(this.waitIfOff(retries - 1)), 700));
      return false;
    }
    this.waitingForStart = true;
    if (!this.destroyed) this.report({ phase: 'off', name: info.name });
    return true;
  }

  mount(el: HTMLElement): void {
    this.unadopt = adoptInlineStyles(el);
    this.term.open(el);
    this.refit();
  }

  async connect(): Promise<void> {
    if (this.connecting || this.destroyed) return;
    this.connecting = true;
    try {
      await this.attach();
    } finally {
      this.connecting = false;
    }
  }

  private async attach(): Promise<void> {
    if (!this.waitingForStart) this.report({ phase: 'connecting' });
    this.refit();
    const rows = Math.max(this.term.rows, 2);
    const cols = Math.max(this.term.cols, 2);
    try {
      const opened = await this.api.request('consoles.openSerial', { hostId: this.hostId, uuid: this.uuid, rows, cols, ...(this.devname ? { devname: this.devname } : {}) });
      if (this.destroyed) return void this.api.request('consoles.close', { consoleId: opened.consoleId }).catch(() => {});
      this.consoleId = opened.consoleId;
      this.waitingForStart = false;
      this.report({ phase: 'connecting' });
      this.size = { rows, cols };
      const channel = openByteChannel(opened.ticket, {
        open: () => this.report({ phase: 'open' }),
        data: (bytes) => this.term.write(bytes, () => channel.consumed(bytes.byteLength)),
        closed: (reason, message) => {
          if (this.channel !== channel) return;
          this.channel = null;
          if (this.destroyed) return;
          // The VM stopped (virsh console ended with it): wait for its next start.
          void this.waitIfOff(4).then((off) => {
            if (!off && !this.destroyed) this.report(message === undefined ? { phase: 'closed', reason } : { phase: 'closed', reason, message });
          });
        },
      });
      this.channel = channel;
      this.refit();
    } catch (e) {
      if (await this.waitIfOff()) return;
      this.report({ phase: 'error', message: AppError.from(e).message });
    }
  }

  /** Fits the terminal to its box; the pty follows so full-screen programs in virsh see the size. */
  refit(): void {
    const el = this.term.element;
    if (!el || el.clientWidth === 0 || el.clientHeight === 0) return; // hidden tab
    this.fit.fit();
    const { rows, cols } = this.term;
    this.onSize(rows, cols);
    if (this.consoleId && this.channel && (rows !== this.size.rows || cols !== this.size.cols)) {
      this.size = { rows, cols };
      void this.api.request('consoles.serialResize', { consoleId: this.consoleId, rows, cols }).catch(() => {});
    }
  }

  /** A serial line carries no window size: type the stty command that tells the guest. */
  setGuestSize(): void {
    this.channel?.send(encoder.encode(`stty rows ${this.term.rows} cols ${this.term.cols}\r`));
  }

  paste(text: string): void {
    this.term.paste(text);
  }

  setFontSize(px: number): void {
    this.term.options.fontSize = px;
    this.refit();
  }

  focus(): void {
    this.term.focus();
  }

  destroy(): void {
    this.destroyed = true;
    this.offEvents();
    const ch = this.channel;
    this.channel = null;
    ch?.close();
    if (this.consoleId) void this.api.request('consoles.close', { consoleId: this.consoleId }).catch(() => {});
    this.term.dispose();
    this.unadopt?.();
  }
}
