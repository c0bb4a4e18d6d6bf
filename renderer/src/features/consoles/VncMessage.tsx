import { useState } from 'react';
import { useApi } from '../../api/ApiProvider';
import { ErrorText } from '../../components/ErrorText';
import { confirmTemplateStart } from '../clone/template-store';
import { useT } from '../../i18n/I18nProvider';
import { formatError, toErrorShape } from '../../lib/format-error';
import { useBackendStore } from '../../stores/backend';
import type { VncView } from './vnc-controller';

/** What the console area says instead of a picture: VM off, no display, SPICE, a password, an error. */
export function VncMessage({ view, hostId, uuid, onRetry, onPassword, onInfo }: {
  view: Exclude<VncView, { phase: 'connected' } | { phase: 'loading' }>;
  hostId: string;
  uuid: string;
  onRetry(): void;
  onPassword(password: string, remember: boolean): void;
  onInfo(): void;
}) {
  const t = useT();
  const api = useApi();
  const canRemember = useBackendStore((s) => s.info?.canRememberSecrets ?? false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(false);

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      onInfo();
    } catch (e) {
      setError(formatError(t, toErrorShape(e)));
    } finally {
      setBusy(false);
    }
  };
  const start = () =>
    confirmTemplateStart(t, hostId, uuid, view.phase === 'unavailable' ? view.info.name : uuid) &&
    run(async () => {
      const [r] = await api.request('domains.action', { hostId, uuids: [uuid], action: 'start' });
      if (r && !r.ok && r.error) throw r.error;
    });

  let body;
  switch (view.phase) {
    case 'connecting':
      body = <p>{t('console.connecting')}</p>;
      break;
    case 'stopped':
      body = (
        <>
          <p>{t('console.vmStopped')}</p>
          <button type="button" className="primary" data-testid="vnc-start" disabled={busy} onClick={() => void start()}>
            {t('action.start')}
          </button>
        </>
      );
      break;
    case 'password':
      body = (
        <form
          className="console-password"
          onSubmit={(e) => {
            e.preventDefault();
            onPassword(password, remember);
            setPassword('');
          }}
        >
          {view.failed && <ErrorText testId="vnc-password-failed">{t('console.passwordWrong')}</ErrorText>}
          <label>
            {t('console.passwordPrompt')}
            <input type="password" data-testid="vnc-password" autoFocus value={password} onChange={(e) => setPassword(e.target.value)} />
          </label>
          {canRemember && (
            <label>
              <input type="checkbox" data-testid="vnc-password-remember" checked={remember} onChange={(e) => setRemember(e.target.checked)} /> {t('console.rememberPassword')}
            </label>
          )}
          <button type="submit" className="primary" data-testid="vnc-password-submit">
            {t('common.ok')}
          </button>
        </form>
      );
      break;
    case 'error':
      body = (
        <>
          <ErrorText testId="vnc-error">{view.message}</ErrorText>
          <button type="button" data-testid="vnc-retry" onClick={onRetry}>
            {t('console.reconnect')}
          </button>
        </>
      );
      break;
    case 'unavailable': {
      const { info } = view;
      body = (
        <>
          <p data-testid="vnc-unavailable" data-status={info.status}>
            {info.status === 'off' && t('console.vmOff', { name: info.name })}
            {info.status === 'none' && t('console.noGraphics', { name: info.name })}
            {info.status === 'spice' && t('console.spice', { name: info.name })}
            {info.status === 'other' && t('console.otherGraphics', { name: info.name })}
          </p>
          {info.vncAfterRestart && <p className="muted">{t('console.vncAfterRestart')}</p>}
          {info.status === 'off' && (
            <button type="button" className="primary" data-testid="vnc-start" disabled={busy} onClick={() => void start()}>
              {t('action.start')}
            </button>
          )}
          {info.status === 'spice' && !info.vncAfterRestart && (
            <button type="button" className="primary" data-testid="vnc-switch" disabled={busy} onClick={() => void run(() => api.request('consoles.switchToVnc', { hostId, uuid }))}>
              {t('console.switchToVnc')}
            </button>
          )}
          {info.canUndoSwitch && (
            <button type="button" data-testid="vnc-undo-switch" disabled={busy} onClick={() => void run(() => api.request('consoles.undoSwitchToVnc', { hostId, uuid }))}>
              {t('console.undoSwitch')}
            </button>
          )}
        </>
      );
      break;
    }
  }
  return (
    <div className="console-message" data-testid="vnc-message">
      {body}
      {error && <ErrorText testId="vnc-action-error">{error}</ErrorText>}
    </div>
  );
}
