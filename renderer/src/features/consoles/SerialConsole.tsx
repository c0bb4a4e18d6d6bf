import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { useApi } from '../../api/ApiProvider';
import { ErrorText } from '../../components/ErrorText';
import { confirmTemplateStart } from '../clone/template-store';
import { useT } from '../../i18n/I18nProvider';
import { SerialController, type SerialView } from './serial-controller';

const FONT_KEY = 'virtdeck.consoleFontSize';
const readFont = () => {
  const n = Number(localStorage.getItem(FONT_KEY));
  return n >= 8 && n <= 32 ? n : 14;
};

/** A VM's serial console: xterm.js attached to `virsh console` on the host through a pty. */
export function SerialConsole({ hostId, uuid, devname: initialDev, onPopOut, onDevice, visible = true }: {
  hostId: string;
  uuid: string;
  devname?: string;
  onPopOut?: () => void;
  /** Another serial device was picked: the tabs open it beside this one; a lone window switches. */
  onDevice?: (devname: string) => void;
  visible?: boolean;
}) {
  const api = useApi();
  const t = useT();
  const box = useRef<HTMLDivElement>(null);
  const ctl = useRef<SerialController | null>(null);
  const [view, setView] = useState<SerialView>({ phase: 'connecting' });
  const [font, setFont] = useState(readFont);
  const [query, setQuery] = useState('');
  const [size, setSize] = useState({ rows: 0, cols: 0 });
  const [localDev, setLocalDev] = useState(initialDev);
  const devname = onDevice ? initialDev : localDev;
  // The VM's serial/console devices (virsh console --devname), for the picker when it has several.
  const [devices, setDevices] = useState<string[]>([]);
  useEffect(() => {
    let live = true;
    api.request('consoles.vncInfo', { hostId, uuid }).then(
      (info) => live && setDevices(info.serials),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [api, hostId, uuid, view.phase]);

  useEffect(() => {
    const c = new SerialController(api, hostId, uuid, devname, setView, readFont(), (rows, cols) =>
      setSize((s) => (s.rows === rows && s.cols === cols ? s : { rows, cols })),
    );
    ctl.current = c;
    if (box.current) c.mount(box.current);
    void c.connect();
    // The terminal re-fits whenever its box changes size (window, tab shown, fullscreen).
    const ro = new ResizeObserver(() => c.refit());
    if (box.current) ro.observe(box.current);
    return () => {
      ro.disconnect();
      ctl.current = null;
      c.destroy();
    };
  }, [api, hostId, uuid, devname]);

  useEffect(() => {
    if (visible) ctl.current?.focus();
  }, [visible]);

  const changeFont = (delta: number) => {
    const next = Math.min(32, Math.max(8, font + delta));
    setFont(next);
    localStorage.setItem(FONT_KEY, String(next));
    ctl.current?.setFontSize(next);
  };
  const copy = () => {
    const sel = ctl.current?.term.getSelection();
    if (sel) void navigator.clipboard.writeText(sel).catch(() => {});
  };
  const paste = async () => {
    const text = await navigator.clipboard.readText().catch(() => '');
    if (text) ctl.current?.paste(text);
  };
  const open = view.phase === 'open';

  return (
    <div className="console serial-console" data-testid="serial-console" data-phase={view.phase} hidden={!visible}>
      <div className="toolbar console-toolbar" role="toolbar" aria-label={t('console.serial')}>
        {devices.length > 1 && (
          <label className="console-field">
            {t('console.serialDevice')}{' '}
            <select
              data-testid="serial-device"
              value={devname ?? devices[0]}
              onChange={(e) => (onDevice ? onDevice(e.target.value) : setLocalDev(e.target.value))}
            >
              {devices.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="button" data-testid="serial-set-size" disabled={!open} title={t('console.setGuestSizeTitle')} onClick={() => ctl.current?.setGuestSize()}>
          {t('console.setGuestSize')}
        </button>
        <button type="button" data-testid="serial-copy" onClick={copy}>
          {t('console.copy')}
        </button>
        <button type="button" data-testid="serial-paste" disabled={!open} onClick={() => void paste()}>
          {t('console.paste')}
        </button>
        <span className="toolbar-sep" />
        <button type="button" data-testid="serial-font-dec" aria-label={t('console.fontSmaller')} onClick={() => changeFont(-1)}>
          A−
        </button>
        <span className="muted" data-testid="serial-font-size">{font}px</span>
        <button type="button" data-testid="serial-font-inc" aria-label={t('console.fontLarger')} onClick={() => changeFont(1)}>
          A+
        </button>
        <span className="toolbar-sep" />
        <form
          className="console-search"
          onSubmit={(e) => {
            e.preventDefault();
            if (query) ctl.current?.search.findNext(query);
          }}
        >
          <input data-testid="serial-search" type="search" placeholder={t('console.search')} aria-label={t('console.search')} value={query} onChange={(e) => setQuery(e.target.value)} />
          <button type="button" disabled={!query} onClick={() => ctl.current?.search.findPrevious(query)} aria-label={t('console.searchPrev')}>
            ↑
          </button>
          <button type="submit" disabled={!query} aria-label={t('console.searchNext')}>
            ↓
          </button>
        </form>
        {onPopOut && (
          <button type="button" data-testid="console-popout" onClick={onPopOut}>
            {t('console.popOut')}
          </button>
        )}
      </div>
      {view.phase === 'off' && (
        <div className="console-banner" data-testid="serial-off">
          {t('console.vmOffSerial', { name: view.name })}{' '}
          <button type="button" data-testid="serial-start" onClick={() => confirmTemplateStart(t, hostId, uuid, view.name) && void api.request('domains.action', { hostId, uuids: [uuid], action: 'start' }).catch(() => {})}>
            {t('action.start')}
          </button>
        </div>
      )}
      {view.phase === 'closed' && (
        <div className="console-banner" data-testid="serial-closed" data-reason={view.reason}>
          {view.message ?? t('console.serialClosed')}{' '}
          <button type="button" data-testid="serial-reconnect" onClick={() => void ctl.current?.connect()}>
            {t('console.reconnect')}
          </button>
        </div>
      )}
      {view.phase === 'error' && (
        <div className="console-banner">
          <ErrorText testId="serial-error">{view.message}</ErrorText>
          <button type="button" data-testid="serial-reconnect" onClick={() => void ctl.current?.connect()}>
            {t('console.reconnect')}
          </button>
        </div>
      )}
      <div className="serial-terminal" ref={box} data-testid="serial-terminal" data-rows={size.rows} data-cols={size.cols} />
    </div>
  );
}
