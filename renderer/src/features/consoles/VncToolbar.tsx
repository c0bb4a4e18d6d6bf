import { useState } from 'react';
import { useT } from '../../i18n/I18nProvider';
import { parseCombo, PRESET_COMBOS, type KeyStroke } from './keys';
import type { ScaleMode } from './vnc-controller';

const slug = (combo: string) => combo.toLowerCase().replace(/\+/g, '-');
/** A menu (a <details>) closes once one of its actions ran, and focus goes back to the screen. */
const closeMenu = (el: Element) => el.closest('details')?.removeAttribute('open');

export function VncToolbar(p: {
  connected: boolean;
  scale: ScaleMode;
  onScale(s: ScaleMode): void;
  grabbed: boolean;
  onGrab(on: boolean): void;
  onFullscreen(): void;
  onCombo(keys: KeyStroke[]): void;
  onClipboard(text: string): void;
  onType(text: string): void;
  onScreenshot(): void;
  onPopOut?: () => void;
}) {
  const t = useT();
  const [combo, setCombo] = useState('');
  const [clip, setClip] = useState('');
  const parsed = parseCombo(combo);
  const off = !p.connected;
  const fromClipboard = async () => {
    try {
      setClip(await navigator.clipboard.readText());
    } catch {
      // Clipboard read needs a permission the browser may refuse: typing into the field still works.
    }
  };
  return (
    <div className="toolbar console-toolbar" role="toolbar" aria-label={t('console.vnc')}>
      <label className="console-field">
        {t('console.scale')}{' '}
        <select data-testid="vnc-scale" value={p.scale} onChange={(e) => p.onScale(e.target.value as ScaleMode)}>
          <option value="fit">{t('console.scaleFit')}</option>
          <option value="real">{t('console.scaleReal')}</option>
          <option value="remote">{t('console.scaleRemote')}</option>
        </select>
      </label>
      <button type="button" data-testid="vnc-fullscreen" disabled={off} onClick={p.onFullscreen}>
        {t('console.fullscreen')}
      </button>
      <button type="button" data-testid="vnc-grab" disabled={off} aria-pressed={p.grabbed} title={t('console.grabTitle')} onClick={() => p.onGrab(!p.grabbed)}>
        {p.grabbed ? t('console.grabbed') : t('console.grab')}
      </button>
      <details className="console-menu">
        <summary data-testid="vnc-keys">{t('console.keys')}</summary>
        <div className="console-menu-body">
          {PRESET_COMBOS.map((c) => (
            <button type="button" key={c} data-testid={`vnc-key-${slug(c)}`} disabled={off} onClick={(e) => {
                p.onCombo(parseCombo(c)!);
                closeMenu(e.currentTarget);
              }}
            >
              {c}
            </button>
          ))}
          <form
            className="console-combo"
            onSubmit={(e) => {
              e.preventDefault();
              if (parsed) p.onCombo(parsed);
              closeMenu(e.currentTarget);
            }}
          >
            <input data-testid="vnc-combo-input" placeholder="Ctrl+Alt+F2" value={combo} aria-label={t('console.freeCombo')} onChange={(e) => setCombo(e.target.value)} />
            <button type="submit" data-testid="vnc-combo-send" disabled={off || !parsed}>
              {t('console.send')}
            </button>
          </form>
        </div>
      </details>
      <details className="console-menu">
        <summary data-testid="vnc-clipboard">{t('console.clipboard')}</summary>
        <div className="console-menu-body">
          <textarea data-testid="vnc-clip-text" rows={4} value={clip} aria-label={t('console.clipboardText')} onChange={(e) => setClip(e.target.value)} />
          <div className="console-row">
            <button type="button" onClick={() => void fromClipboard()}>
              {t('console.pasteHere')}
            </button>
            <button type="button" data-testid="vnc-clip-send" disabled={off || !clip} title={t('console.clipSendTitle')} onClick={() => p.onClipboard(clip)}>
              {t('console.clipSend')}
            </button>
            <button type="button" data-testid="vnc-clip-type" disabled={off || !clip} title={t('console.clipTypeTitle')} onClick={() => p.onType(clip)}>
              {t('console.clipType')}
            </button>
          </div>
        </div>
      </details>
      <button type="button" data-testid="vnc-screenshot" disabled={off} onClick={p.onScreenshot}>
        {t('console.screenshot')}
      </button>
      {p.onPopOut && (
        <button type="button" data-testid="console-popout" onClick={p.onPopOut}>
          {t('console.popOut')}
        </button>
      )}
    </div>
  );
}
