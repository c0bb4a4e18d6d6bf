import { useState } from 'react';
import type { Domain } from '../../../../shared/model/domain';
import type { HostId } from '../../../../shared/model/host';
import { useApi } from '../../api/ApiProvider';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useT } from '../../i18n/I18nProvider';
import { quotedList } from '../../lib/format-list';
import { selectBackendReady, useBackendStore } from '../../stores/backend';
import { emptyHostDomains, useDomainsStore } from '../../stores/domains';
import { actionTargets, needsConfirmation, toolbarActions, type ToolbarAction } from './domain-actions';
import { runDomainAction } from './domain-sync';

interface Pending {
  action: ToolbarAction;
  targets: Domain[];
}

/** Power actions for the selected VMs. Each button is enabled when at least one selected VM can take it. */
export function DomainToolbar({ hostId, selected }: { hostId: HostId; selected: readonly Domain[] }) {
  const t = useT();
  const api = useApi();
  const ready = useBackendStore(selectBackendReady);
  const pending = useDomainsStore((s) => (s.byHost[hostId] ?? emptyHostDomains).pending);
  const [confirming, setConfirming] = useState<Pending | null>(null);

  const run = ({ action, targets }: Pending) =>
    void runDomainAction(
      api,
      hostId,
      targets.map((d) => d.uuid),
      action,
    );

  return (
    <div className="toolbar" role="toolbar">
      {toolbarActions.map((action) => {
        const targets = actionTargets(action, selected, pending);
        return (
          <button
            key={action}
            type="button"
            data-testid={`vm-action-${action}`}
            className={action === 'destroy' ? 'danger' : undefined}
            disabled={!ready || targets.length === 0}
            onClick={() => (needsConfirmation.has(action) ? setConfirming({ action, targets }) : run({ action, targets }))}
          >
            {t(`action.${action}`)}
          </button>
        );
      })}
      {confirming && (
        <ConfirmDialog
          title={t('domains.destroyTitle')}
          message={t('domains.destroyConfirm', { names: quotedList(t, confirming.targets.map((d) => d.name)) })}
          confirmLabel={t(`action.${confirming.action}`)}
          danger
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            setConfirming(null);
            run(confirming);
          }}
        />
      )}
    </div>
  );
}
