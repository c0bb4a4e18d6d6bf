import './consoles.css';
import { Suspense } from 'react';
import { useT } from '../../i18n/I18nProvider';
import { consoleHash } from './console-route';
import { activateConsole, closeConsole, openConsole, useConsolesStore, type ConsoleTab } from './console-store';
import { SerialConsole, VncConsole } from './lazy';
import { DisplayIcon, TerminalIcon } from '../../components/ConsoleIcons';

/** Opens the same app on the console's own route, in a new window; this tab is closed. */
export function popOut(tab: Pick<ConsoleTab, 'kind' | 'hostId' | 'uuid' | 'devname'>, key?: string): void {
  const hash = consoleHash({ kind: tab.kind, hostId: tab.hostId, uuid: tab.uuid, ...(tab.devname ? { devname: tab.devname } : {}) });
  if (window.virtdeckConsoles) window.virtdeckConsoles.openWindow(hash);
  else window.open(`${location.pathname}${location.search}${hash}`, '_blank', 'popup,width=1024,height=800');
  if (key) closeConsole(key);
}

const tabId = (tab: ConsoleTab) => `${tab.kind}-${tab.title}${tab.devname ? `-${tab.devname}` : ''}`;

/**
 * Every open console as tabs. Inactive consoles stay mounted (hidden), so switching tabs keeps
 * their connections; closing a tab unmounts it, which releases the console on the host.
 */
export function ConsolesView() {
  const t = useT();
  const tabs = useConsolesStore((s) => s.tabs);
  const active = useConsolesStore((s) => s.active);
  if (tabs.length === 0) return null;
  return (
    <section className="consoles" data-testid="consoles" aria-label={t('console.title')}>
      <div className="console-tabs" role="tablist" data-testid="console-tabs">
        {tabs.map((tab) => (
          <div key={tab.key} className={`console-tab${tab.key === active ? ' active' : ''}`}>
            <button type="button" role="tab" aria-selected={tab.key === active} data-testid={`console-tab-${tabId(tab)}`} onClick={() => activateConsole(tab.key)}>
              {tab.kind === 'vnc' ? <DisplayIcon /> : <TerminalIcon />} {tab.title}
              {tab.devname ? ` (${tab.devname})` : ''}
            </button>
            <button type="button" className="link" data-testid={`console-tab-close-${tabId(tab)}`} aria-label={t('console.closeTab', { name: tab.title })} onClick={() => closeConsole(tab.key)}>
              ×
            </button>
          </div>
        ))}
      </div>
      <Suspense fallback={<p className="muted">{t('common.loading')}</p>}>
        {tabs.map((tab) =>
          tab.kind === 'vnc' ? (
            <VncConsole key={tab.key} hostId={tab.hostId} uuid={tab.uuid} title={tab.title} visible={tab.key === active} onPopOut={() => popOut(tab, tab.key)} />
          ) : (
            <SerialConsole
              key={tab.key}
              hostId={tab.hostId}
              uuid={tab.uuid}
              visible={tab.key === active}
              onPopOut={() => popOut(tab, tab.key)}
              onDevice={(dev) => openConsole(tab.hostId, tab.uuid, 'serial', tab.title, dev)}
              {...(tab.devname ? { devname: tab.devname } : {})}
            />
          ),
        )}
      </Suspense>
    </section>
  );
}
