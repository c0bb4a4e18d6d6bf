/**
 * One VNC view's lifecycle outside React: the noVNC RFB object, its channel, reconnecting after
 * the VM is started again. The component keeps this in a ref and renders the plain `VncView`
 * state it reports; nothing here is put in a store.
 */
import RFB from '@novnc/novnc';
import type { Api } from '../../../../shared/contract';
import { AppError } from '../../../../shared/errors';
import type { ConsoleInfo } from '../../../../shared/model/console';
import { chordEvents, typingEvents, type KeyStroke } from './keys';
import { RfbChannelAdapter } from './rfb-channel';

export type ScaleMode = 'fit' | 'real' | 'remote';

export type VncView =
  | { phase: 'loading' }
  | { phase: 'connecting' }
  | { phase: 'connected'; desktopName: string }
  | { phase: 'password'; failed: boolean }
  | { phase: 'unavailable'; info: ConsoleInfo } // off, none, spice, other: the UI explains and offers Start / Switch
  | { phase: 'stopped' } // the VM stopped under us; a restart reconnects by itself
  | { phase: 'error'; message: string };

export class VncController {
  private rfb: RFB | null = null;
  private adapter: RfbChannelAdapter | null = null;
  private consoleId: string | undefined;
  private container: HTMLElement | null = null;
  private generation = 0;
  private scale: ScaleMode = 'fit';
  private destroyed = false;
  private connecting = false;
  private readonly offs: Array<() => void> = [];
  /** Showing "VM off" / "VM stopped": a domain change is worth another look. */
  private idle = false;
  private stopped = false;
  /** A password typed after a failed attempt: the next connection offers it at once. */
  private retryPassword: string | undefined;
  /** The user asked to remember the password: stored once the server accepted it. */
  private rememberOnConnect: string | undefined;
  info: ConsoleInfo | null = null;
  private readonly report: (v: VncView) => void;

  constructor(
    private readonly api: Api,
    readonly hostId: string,
    readonly uuid: string,
    report: (v: VncView) => void,
  ) {
    this.report = (v) => {
      this.idle = v.phase === 'stopped' || (v.phase === 'unavailable' && v.info.status === 'off');
      if (v.phase !== 'loading' && v.phase !== 'unavailable') this.stopped = v.phase === 'stopped';
      report(v);
    };
    this.offs.push(
      api.on('consoles.vncRestart', (e) => {
        if (e.consoleId === this.consoleId) void this.connect();
      }),
      // A VM started from elsewhere (the list, virsh) while this view says "off" or "stopped":
      // look again (also covers a backend that stopped waiting for the restart).
      api.on('domains.changed', (e) => {
        if (e.hostId === hostId && this.idle && !this.rfb && !this.connecting) void this.start();
      }),
    );
  }

  attach(container: HTMLElement): void {
    this.container = container;
  }

  /** Looks at the VM's graphics and connects when there is a VNC display. */
  async start(): Promise<void> {
    try {
      this.info = await this.api.request('consoles.vncInfo', { hostId: this.hostId, uuid: this.uuid });
      if (this.destroyed) return;
      if (this.info.status === 'vnc') return this.connect();
      // The VM's shut-off event arrives after the socket closed: still "stopped" (it reconnects
      // when the VM starts), not a first look at an off VM.
      if (this.info.status === 'off' && this.stopped) return this.report({ phase: 'stopped' });
      this.report({ phase: 'unavailable', info: this.info });
    } catch (e) {
      this.report({ phase: 'error', message: AppError.from(e).message });
    }
  }

  async connect(): Promise<void> {
    if (this.destroyed || this.connecting || !this.container) return;
    this.connecting = true;
    const gen = ++this.generation;
    this.report({ phase: 'connecting' });
    try {
      const opened = await this.api.request('consoles.openVnc', { hostId: this.hostId, uuid: this.uuid, ...(this.consoleId ? { consoleId: this.consoleId } : {}) });
      if (this.destroyed || gen !== this.generation) return;
      this.consoleId = opened.consoleId;
      this.dropRfb();
      const adapter = new RfbChannelAdapter(opened.ticket);
      const password = this.retryPassword ?? opened.password;
      this.retryPassword = undefined;
      const rfb = new RFB(this.container, adapter, { shared: true, ...(password !== undefined ? { credentials: { password } } : {}) });
      this.adapter = adapter;
      this.rfb = rfb;
      this.applyScale();
      const mine = () => this.rfb === rfb;
      let authFailed = false;
      rfb.addEventListener('connect', () => {
        if (!mine()) return;
        this.report({ phase: 'connected', desktopName: '' });
        const keep = this.rememberOnConnect;
        this.rememberOnConnect = undefined;
        if (keep !== undefined) void this.api.request('consoles.rememberVncPassword', { hostId: this.hostId, uuid: this.uuid, password: keep }).catch(() => {});
      });
      rfb.addEventListener('desktopname', (e) => mine() && this.report({ phase: 'connected', desktopName: e.detail.name }));
      rfb.addEventListener('credentialsrequired', () => mine() && this.report({ phase: 'password', failed: false }));
      rfb.addEventListener('securityfailure', (e) => {
        if (!mine()) return;
        // A remembered password that no longer works is forgotten.
        if (opened.password !== undefined) void this.api.request('consoles.rememberVncPassword', { hostId: this.hostId, uuid: this.uuid, password: null }).catch(() => {});
        this.rememberOnConnect = undefined;
        // VNC authentication failed (wrong password): ask again; the server closes this connection.
        if (password !== undefined || e.detail.status === 1) {
          authFailed = true;
          this.report({ phase: 'password', failed: true });
        } else this.report({ phase: 'error', message: e.detail.reason ?? `VNC authentication failed (${e.detail.status})` });
      });
      rfb.addEventListener('disconnect', () => {
        if (!mine()) return;
        this.rfb = null;
        if (authFailed) return;
        const reason = adapter.closedReason;
        if (reason === 'vm-stopped') this.report({ phase: 'stopped' });
        else if (reason !== 'closed' || adapter.closedMessage) this.report({ phase: 'error', message: adapter.closedMessage ?? 'The VNC connection ended.' });
      });
    } catch (e) {
      if (gen !== this.generation) return;
      const err = AppError.from(e);
      // The VM went away between the look and the open: show the look again.
      if (err.code === 'unsupported') await this.start();
      else this.report({ phase: 'error', message: err.message });
    } finally {
      this.connecting = false;
    }
  }

  sendPassword(password: string, remember: boolean): void {
    this.rememberOnConnect = remember ? password : undefined;
    if (this.rfb) return this.rfb.sendCredentials({ password });
    // After a refused password the server has closed the connection: open a new one with it.
    this.retryPassword = password;
    void this.connect();
  }

  setScale(mode: ScaleMode): void {
    this.scale = mode;
    this.applyScale();
  }

  private applyScale(): void {
    const rfb = this.rfb;
    if (!rfb) return;
    rfb.scaleViewport = this.scale === 'fit';
    rfb.resizeSession = this.scale === 'remote';
    rfb.clipViewport = false; // 1:1 larger than the view scrolls
  }

  sendCombo(keys: readonly KeyStroke[]): void {
    for (const ev of chordEvents(keys)) this.rfb?.sendKey(ev.keysym, ev.code, ev.down);
  }

  /** Types text as key presses (for guests without a clipboard agent, e.g. a login prompt). */
  typeText(text: string): void {
    for (const ev of typingEvents(text)) this.rfb?.sendKey(ev.keysym, ev.code, ev.down);
  }

  sendClipboard(text: string): void {
    this.rfb?.clipboardPasteFrom(text);
  }

  screenshot(): Promise<Blob> {
    return new Promise((resolve, reject) => {
      if (!this.rfb) return reject(new Error('not connected'));
      this.rfb.toBlob((b) => (b ? resolve(b) : reject(new Error('no image'))), 'image/png');
    });
  }

  focus(): void {
    this.rfb?.focus();
  }

  blur(): void {
    this.rfb?.blur();
  }

  private dropRfb(): void {
    const rfb = this.rfb;
    this.rfb = null;
    this.adapter = null;
    try {
      rfb?.disconnect();
    } catch {
      // already disconnected
    }
  }

  destroy(): void {
    this.destroyed = true;
    this.generation++;
    for (const off of this.offs.splice(0)) off();
    this.dropRfb();
    if (this.consoleId) void this.api.request('consoles.close', { consoleId: this.consoleId }).catch(() => {});
  }
}
