import { useState } from 'react';
import type { HostView } from '../../../../shared/model/host';
import { useApi } from '../../api/ApiProvider';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorText } from '../../components/ErrorText';
import { useT } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/translate';
import { formatError } from '../../lib/format-error';
import { selectBackendReady, useBackendStore } from '../../stores/backend';
import { setHostRequestError, useHostsStore, type HostCommand } from '../../stores/hosts';
import { openConnectionDialog, selectHostId } from '../../stores/ui';
import { runHostCommand } from './host-actions';

const failureKeys: Record<HostCommand, MessageKey & `hosts.${string}Failed`> = {
  connect: 'hosts.connectFailed',
  disconnect: 'hosts.disconnectFailed',
  remove: 'hosts.removeFailed',
};

export function HostRow({ host, selected }: { host: HostView; selected: boolean }) {
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

  const statusText = [
    t(`hostState.${status.state}`),
    status.state === 'reconnecting' && status.attempt !== undefined ? t('hosts.attempt', { attempt: status.attempt }) : null,
  ]
    .filter(Boolean)
    .join(' · ');

  return (
    <li
      className={`host-row${selected ? ' selected' : ''}`}
      data-testid={`host-row-${id}`}
      aria-current={selected ? 'true' : undefined}
      // The whole card selects (the inner button keeps it reachable by keyboard).
      onClick={() => selectHostId(id)}
    >
      <button type="button" className="host-select" onClick={() => selectHostId(id)}>
        <span className="host-name">{config.name}</span>
        <span className="host-uri mono">{config.uri}</span>
      </button>
      <div className="host-status" data-testid={`host-status-${id}`} data-state={status.state}>
        <span className={`dot host-${status.state}`} aria-hidden="true" />
        <span className="host-status-text">{statusText}</span>
        {status.state === 'connected' && status.hostname && (
          <span className="host-hostname">{t('hosts.hostname', { hostname: status.hostname })}</span>
        )}
      </div>
      {/* The backend's message for error/reconnecting is libvirt's or ssh's own text: shown verbatim. */}
      {status.message && (status.state === 'error' || status.state === 'reconnecting') && (
        <div className="host-message" data-testid={`host-message-${id}`}>
          {status.message}
        </div>
      )}
      {requestError && (
        <ErrorText
          testId={`host-error-${id}`}
          onDismiss={() => setHostRequestError(id, null)}
          dismissLabel={t('common.dismiss')}
        >
          {t(failureKeys[requestError.command], { message: formatError(t, requestError.error) })}
        </ErrorText>
      )}
      <div className="host-buttons">
        {canConnect ? (
          <button
            type="button"
            data-testid={`host-connect-${id}`}
            disabled={disabled}
            onClick={() => void runHostCommand(api, id, 'connect')}
          >
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
        <button
          type="button"
          data-testid={`host-edit-${id}`}
          disabled={!ready}
          onClick={() => openConnectionDialog({ kind: 'edit', hostId: id })}
        >
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
    </li>
  );
}
