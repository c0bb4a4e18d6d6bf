import { useEffect, useRef, useState } from 'react';
import { useApi } from '../../api/ApiProvider';
import { useT } from '../../i18n/I18nProvider';
import { GrabReleaseDetector } from './keys';
import { VncController, type ScaleMode, type VncView } from './vnc-controller';
import { VncMessage } from './VncMessage';
import { VncToolbar } from './VncToolbar';

/** How long a guest gets to follow a "Resize guest" before the view says it did not (and how often it looks again). */
const RESIZE_LOOK_MS = 2500;

/**
 * A VM's graphical console: noVNC drawing into `screen`, fed through the backend's tunnel.
 * The controller (and the RFB inside it) lives in a ref for exactly as long as this component.
 */
export function VncConsole({ hostId, uuid, title, onPopOut, visible = true }: { hostId: string; uuid: string; title: string; onPopOut?: () => void; visible?: boolean }) {
  const api = useApi();
  const t = useT();
  const screen = useRef<HTMLDivElement>(null);
  // Fullscreen takes the whole console, so the toolbar and the grab hint (how to get the
  // keyboard back) stay visible.
  const root = useRef<HTMLDivElement>(null);
  const ctl = useRef<VncController | null>(null);
  const [view, setView] = useState<VncView>({ phase: 'loading' });
  const [scale, setScale] = useState<ScaleMode>('fit');
  const [grabbed, setGrabbed] = useState(false);

  useEffect(() => {
    const c = new VncController(api, hostId, uuid, setView);
    ctl.current = c;
    if (screen.current) c.attach(screen.current);
    void c.start();
    return () => {
      ctl.current = null;
      c.destroy();
    };
  }, [api, hostId, uuid]);

  useEffect(() => ctl.current?.setScale(scale), [scale, view.phase]);

  // "Resize guest" asks the guest's display to take the view's size; VGA or Cirrus cards (and
  // guests without a driver for it) refuse, which noVNC does not report. Look now and then (a
  // slow guest may follow late, and the window may be resized).
  const [resizeRefused, setResizeRefused] = useState(false);
  useEffect(() => {
    setResizeRefused(false);
    if (scale !== 'remote' || view.phase !== 'connected') return;
    const look = () => {
      const box = screen.current;
      const canvas = box?.querySelector('canvas');
      if (!box || !canvas) return;
      const off = (a: number, b: number) => Math.abs(a - b) > 16;
      setResizeRefused(off(canvas.width, box.clientWidth) || off(canvas.height, box.clientHeight));
    };
    const timer = setInterval(look, RESIZE_LOOK_MS);
    return () => clearInterval(timer);
  }, [scale, view.phase]);

  // Keyboard grab: everything typed goes to the guest until Ctrl+Alt (pressed and released
  // alone) releases it; in fullscreen the Keyboard Lock API also takes Esc and OS shortcuts.
  useEffect(() => {
    if (!grabbed) return;
    const detector = new GrabReleaseDetector();
    const onKey = (e: KeyboardEvent) => {
      if (detector.feed(e.type as 'keydown' | 'keyup', e.key)) setGrabbed(false);
    };
    ctl.current?.focus();
    const kb = (navigator as Navigator & { keyboard?: { lock?: () => Promise<void>; unlock?: () => void } }).keyboard;
    if (document.fullscreenElement) void kb?.lock?.().catch(() => {});
    window.addEventListener('keydown', onKey, true);
    window.addEventListener('keyup', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      window.removeEventListener('keyup', onKey, true);
      kb?.unlock?.();
      ctl.current?.blur();
    };
  }, [grabbed]);

  const connected = view.phase === 'connected';
  const screenshot = async () => {
    const blob = await ctl.current?.screenshot().catch(() => null);
    if (!blob) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${title}-${new Date().toISOString().replace(/[:.]/g, '-')}.png`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };

  return (
    <div ref={root} className="console vnc-console" data-testid="vnc-console" data-phase={view.phase} hidden={!visible}>
      <VncToolbar
        connected={connected}
        scale={scale}
        onScale={setScale}
        grabbed={grabbed}
        onGrab={setGrabbed}
        onFullscreen={() => void root.current?.requestFullscreen().catch(() => {})}
        onCombo={(keys) => ctl.current?.sendCombo(keys)}
        onClipboard={(text) => ctl.current?.sendClipboard(text)}
        onType={(text) => ctl.current?.typeText(text)}
        onScreenshot={() => void screenshot()}
        {...(onPopOut ? { onPopOut } : {})}
      />
      {grabbed && <div className="console-grab-hint" data-testid="vnc-grab-hint">{t('console.grabHint')}</div>}
      {resizeRefused && connected && <div className="console-banner" data-testid="vnc-resize-refused">{t('console.resizeRefused')}</div>}
      <div className="vnc-frame">
        <div className="vnc-screen" ref={screen} data-testid="vnc-screen" hidden={!connected} />
        {!connected && view.phase !== 'loading' && (
          <VncMessage
            view={view}
            hostId={hostId}
            uuid={uuid}
            onRetry={() => void ctl.current?.start()}
            onPassword={(pw, remember) => ctl.current?.sendPassword(pw, remember)}
            onInfo={() => void ctl.current?.start()}
          />
        )}
      </div>
    </div>
  );
}
