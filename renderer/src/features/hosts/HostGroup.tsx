import { memo, useState } from 'react';
import type { HostView } from '../../../../shared/model/host';
import { useApi } from '../../api/ApiProvider';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useT } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/translate';
import { formatError } from '../../lib/format-error';
import { selectBackendReady, useBackendStore } from '../../stores/backend';
import { setHostRequestError, useHostsStore, type HostCommand } from '../../stores/hosts';
import { openConnectionDialog, openHostPage, selectHostId, toggleCollapsed } from '../../stores/ui';
import type { HostCounts } from '../domains/tree-model';
import { runHostCommand } from './host-actions';
import { NewVmButton } from '../new-vm';
import { acceptsVmDrop, dropVms } from '../migration/migration-drag';

const failureKeys: Record<HostCommand, MessageKey & `hosts.${string}Failed`> = {
  connect: 'hosts.connectFailed',
  disconnect: 'hosts.disconnectFailed',
  remove: 'hosts.removeFailed',
};

interface Props {
  host: HostView;
  counts: HostCounts | undefined;
  collapsed: boolean;
  active: boolean;
}

/**
 * A connection's header row in the VM tree. Long messages (libvirt's or ssh's own text) are cut
 * to the row and shown whole in the tooltip, since every row has a fixed height.
 */
export const HostGroup = memo(function HostGroup({ host, counts, collapsed, active }: Props) {
  const t = useT();
  const api = useApi();
  const { config, status } = host;
  const id = config.id;
  const ready = useBackendStore(selectBackendReady);
  const busy = useHostsStore((s) => s.busy[id] === true);
  const requestError = useHostsStore((s) => s.requestErrors[id]);
  const [confirmRemove, setConfirmRemove] = useState(false);

  // While connecting or connected, Disconnect is the way to stop; otherwise Connect (also to retry after an error).
  const canConnect = status.state === 'disconnected' || status.state === 'error';
  const disabled = busy || !ready;
  const connected = status.state === 'connected';
  const statusText = [
    t(`hostState.${status.state}`),
    status.state === 'reconnecting' && status.attempt !== undefined ? t('hosts.attempt', { attempt: status.attempt }) : null,
    connected && status.hostname ? t('hosts.hostname', { hostname: status.hostname }) : null,
  ]
    .filter(Boolean)
    .join(' · ');
  // Connected hosts carry a message too while commands wait for a free SSH channel.
  const message = status.message && (status.state === 'error' || status.state === 'reconnecting' || connected) ? status.message : null;
  const statsProblem = useHostsStore((s) => (connected ? s.statsProblems[id] : undefined));
  const requestErrorText = requestError
    ? t(failureKeys[requestError.command], { message: formatError(t, requestError.error) })
    : null;

  return (
    <div
      role="row"
      aria-level={1}
      aria-expanded={!collapsed}
      className={`host-group${active ? ' active' : ''}`}
      data-testid={`host-row-${id}`}
      onClick={() => selectHostId(id)}
      onDoubleClick={() => connected && openHostPage(id)}
      onDragOver={(e) => {
        if (connected && acceptsVmDrop(e)) e.preventDefault(); // a connected host takes VMs: the Migrate dialog opens
      }}
      onDrop={(e) => connected && dropVms(e, id)}
    >
      <button
        type="button"
        className="icon-button chevron"
        data-testid={`host-toggle-${id}`}
        aria-label={t(collapsed ? 'hosts.expand' : 'hosts.collapse', { name: config.name })}
        title={t(collapsed ? 'hosts.expand' : 'hosts.collapse', { name: config.name })}
        onClick={(e) => {
          e.stopPropagation();
          toggleCollapsed(id);
        }}
      >
        {collapsed ? '▸' : '▾'}
      </button>
      <div className="host-title" title={config.uri}>
        <span className="host-name">{config.name}</span>
        <span className="host-uri mono">{config.uri}</span>
      </div>
      <div className="host-status" data-testid={`host-status-${id}`} data-state={status.state}>
        <span className={`dot host-${status.state}`} aria-hidden="true" />
        <span className="host-status-text">{statusText}</span>
      </div>
      {connected && counts && (
        <span className="host-count" data-testid={`host-count-${id}`}>
          {t('hosts.runningCount', { running: counts.running, total: counts.total })}
        </span>
      )}
      <div className="host-messages">
        {message && (
          <span className="host-message" data-testid={`host-message-${id}`} title={message}>
            {message}
          </span>
        )}
        {statsProblem && (
          <span className="host-message" data-testid={`host-stats-problem-${id}`} title={statsProblem}>
            {statsProblem}
          </span>
        )}
        {requestErrorText && (
          <span className="host-error" role="alert" data-testid={`host-error-${id}`} title={requestErrorText}>
            <span className="host-error-text">{requestErrorText}</span>
            <button
              type="button"
              className="icon-button"
              aria-label={t('common.dismiss')}
              title={t('common.dismiss')}
              onClick={(e) => {
                e.stopPropagation();
                setHostRequestError(id, null);
              }}
            >
              ×
            </button>
          </span>
        )}
      </div>
      <div className="host-buttons" onClick={(e) => e.stopPropagation()} onDoubleClick={(e) => e.stopPropagation()}>
        {connected && <NewVmButton hostId={id} testId={`host-newvm-${id}`} />}
        {connected && (
          <button type="button" data-testid={`host-page-open-${id}`} title={t('hostpage.openTitle', { name: config.name })} onClick={() => openHostPage(id, 'overview')}>
            {t('hostpage.open')}
          </button>
        )}
        {canConnect ? (
          <button type="button" data-testid={`host-connect-${id}`} disabled={disabled} onClick={() => void runHostCommand(api, id, 'connect')}>
            {t('hosts.connect')}
          </button>
        ) : (
          <button
            type="button"
            data-testid={`host-disconnect-${id}`}
            disabled={disabled}
            onClick={() => void runHostCommand(api, id, 'disconnect')}
          >
            {t('hosts.disconnect')}
          </button>
        )}
        <button type="button" data-testid={`host-edit-${id}`} disabled={!ready} onClick={() => openConnectionDialog({ kind: 'edit', hostId: id })}>
          {t('hosts.edit')}
        </button>
        <button type="button" data-testid={`host-remove-${id}`} disabled={disabled} onClick={() => setConfirmRemove(true)}>
          {t('hosts.remove')}
        </button>
      </div>
      {confirmRemove && (
        <ConfirmDialog
          title={t('hosts.removeTitle')}
          message={t('hosts.removeConfirm', { name: config.name })}
          confirmLabel={t('hosts.remove')}
          danger
          onCancel={() => setConfirmRemove(false)}
          onConfirm={() => {
            setConfirmRemove(false);
            void runHostCommand(api, id, 'remove');
          }}
        />
      )}
    </div>
  );
});
