import { useEffect, useMemo, useState } from 'react';
import { commandText } from '../../../../shared/api/commands';
import type { ActivityEntry } from '../../../../shared/model/activity';
import { useApi } from '../../api/ApiProvider';
import { useI18n } from '../../i18n/I18nProvider';
import { selectBackendReady, useBackendStore } from '../../stores/backend';
import { useHostsStore } from '../../stores/hosts';
import { isQuery, matchesFilter, mergeEntries } from './activity-log';
import './activity.css';

const SHOWN = 500;

/**
 * Every command the backend ran, newest first: time, host, the command as a shell line (stdin
 * as a heredoc, folded), outcome and duration. Loaded from `activity.list`, then kept current by
 * `activity.added`; reloaded after a backend reconnect.
 */
export function ActivityPanel() {
  const { t, lang } = useI18n();
  const api = useApi();
  const ready = useBackendStore(selectBackendReady);
  const hosts = useHostsStore((s) => s.hosts);
  const [entries, setEntries] = useState<ActivityEntry[]>([]);
  const [filter, setFilter] = useState('');
  const [changesOnly, setChangesOnly] = useState(() => {
    try {
      return localStorage.getItem('virtdeck.activityChangesOnly') === '1';
    } catch {
      return false;
    }
  });
  const toggleChangesOnly = (on: boolean) => {
    setChangesOnly(on);
    try {
      localStorage.setItem('virtdeck.activityChangesOnly', on ? '1' : '0');
    } catch {
      // a view preference; not remembering it is fine
    }
  };

  useEffect(() => api.on('activity.added', ({ entries }) => setEntries((cur) => mergeEntries(cur, entries))), [api]);
  useEffect(() => {
    if (!ready) return;
    let current = true;
    api.request('activity.list', {}).then(
      (list) => current && setEntries((cur) => mergeEntries(cur, list)),
      () => {},
    );
    return () => {
      current = false;
    };
  }, [api, ready]);

  const hostName = useMemo(() => {
    const names = new Map(hosts.map((h) => [h.config.id, h.config.name]));
    return (id: string) => names.get(id) ?? id;
  }, [hosts]);
  const time = useMemo(() => new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }), [lang]);
  const shown = entries.filter((e) => (!changesOnly || !isQuery(e.argv)) && matchesFilter(e, hostName(e.hostId), filter)).slice(0, SHOWN);

  return (
    <section className="activity-panel" data-testid="activity-panel" aria-label={t('activity.title')}>
      <div className="activity-head">
        <h2>{t('activity.title')}</h2>
        <input type="search" className="filter" data-testid="activity-filter" placeholder={t('activity.filter')} aria-label={t('activity.filter')} value={filter} onChange={(e) => setFilter(e.target.value)} />
      </div>
      <label className="checkbox activity-changes-only">
        <input type="checkbox" data-testid="activity-changes-only" checked={changesOnly} onChange={(e) => toggleChangesOnly(e.target.checked)} />
        {t('activity.changesOnly')}
      </label>
      {shown.length === 0 ? (
        <p className="empty muted" style={{ padding: '12px' }}>
          {t('activity.empty')}
        </p>
      ) : (
        <ol className="activity-list">
          {shown.map((e) => (
            <li key={e.seq} className="activity-entry" data-testid="activity-entry" data-outcome={e.outcome}>
              <div className="activity-meta">
                <time dateTime={new Date(e.at).toISOString()}>{time.format(e.at)}</time>
                <span>{hostName(e.hostId)}</span>
                <span className={`activity-outcome ${e.outcome}`}>{t(`activity.outcome.${e.outcome}`)}</span>
                {e.durationMs !== undefined && <span>{t('activity.duration', { ms: Math.round(e.durationMs) })}</span>}
              </div>
              <pre className="activity-command" data-testid="activity-command">
                {commandText({ argv: e.argv })}
              </pre>
              {e.stdin !== undefined && (
                <details className="activity-stdin">
                  <summary>{t('activity.stdin', { lines: e.stdin.split('\n').filter(Boolean).length })}</summary>
                  <pre className="command-text">{commandText({ argv: e.argv, stdin: e.stdin })}</pre>
                </details>
              )}
              {e.error && <div className="activity-error">{e.error}</div>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
