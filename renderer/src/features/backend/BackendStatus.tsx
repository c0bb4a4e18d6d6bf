import { useEffect, useState } from 'react';
import { getTransport } from '../../api/client';
import { useT } from '../../i18n/I18nProvider';
import { useBackendStore } from '../../stores/backend';

/** Counts down to the next reconnect attempt, once a second. */
function useSecondsUntil(at: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [at]);
  return at === null ? 0 : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Browser mode only: the state of the WebSocket to the backend, with a manual retry. */
export function BackendStatus() {
  const t = useT();
  const { mode, connection, hasToken } = useBackendStore();
  const seconds = useSecondsUntil(connection.phase === 'waiting' ? connection.retryAt : null);
  if (mode !== 'web') return null;

  const text = (() => {
    switch (connection.phase) {
      case 'open':
        return t('backend.open');
      case 'connecting':
        return t('backend.connecting');
      case 'waiting':
        return t('backend.waiting', { seconds });
      case 'unauthorized':
        return hasToken ? t('backend.unauthorized') : t('backend.noToken');
      case 'stopped':
        return t('backend.stopped');
    }
  })();
  const canRetry = connection.phase === 'waiting' || connection.phase === 'unauthorized';

  return (
    <div className="backend-status" data-testid="backend-status" data-phase={connection.phase} role="status">
      <span className={`dot backend-${connection.phase}`} aria-hidden="true" />
      <span>{text}</span>
      {canRetry && (
        <button type="button" className="link" data-testid="backend-retry" onClick={() => getTransport().reconnectNow()}>
          {t('backend.retryNow')}
        </button>
      )}
    </div>
  );
}

/** A page-wide notice while disconnected: the data on screen may be stale. */
export function BackendBanner() {
  const t = useT();
  // Not during the very first attempt at startup: nothing is on screen yet that could be stale.
  const show = useBackendStore(({ mode, connection: c }) =>
    mode === 'web' && c.phase !== 'open' && !(c.phase === 'connecting' && c.attempt === 1),
  );
  return show ? (
    <div className="banner" role="alert" data-testid="backend-banner">
      {t('backend.banner')}
    </div>
  ) : null;
}
