import { useState } from 'react';
import type { Domain, DomainAction } from '../../../../shared/model/domain';
import type { HostId } from '../../../../shared/model/host';
import { useApi } from '../../api/ApiProvider';
import { useT } from '../../i18n/I18nProvider';
import { quotedList } from '../../lib/format-list';
import { emptyHostDomains, useDomainsStore } from '../../stores/domains';
import { openDomainDialog } from '../../stores/ui';
import { ActionDialog } from '../activity/ActionDialog';
import { runDomainAction } from './commands';
import { commandGroups, commandTargets, needsConfirmation } from './domain-actions';

/** The commands sent through domains.action (the others have dialogs of their own, which show their lines). */
const libvirtActions: readonly DomainAction[] = commandGroups
  .flat()
  .filter((c): c is DomainAction => c !== 'savefile' && c !== 'restorefile' && c !== 'delete');

/**
 * "Show command" for the list's one-click actions: pick an action, read the exact virsh lines
 * (one per VM it applies to, from the backend's planner), then run it from here or cancel.
 */
export function CommandDialog({ hostId, vms, initial }: { hostId: HostId; vms: readonly Domain[]; initial?: DomainAction }) {
  const t = useT();
  const api = useApi();
  const pending = useDomainsStore((s) => (s.byHost[hostId] ?? emptyHostDomains).pending);
  const offered = libvirtActions.filter((a) => commandTargets(a, vms, pending).length > 0);
  const [action, setAction] = useState<DomainAction | undefined>(initial && offered.includes(initial) ? initial : offered[0]);
  const targets = action ? commandTargets(action, vms, pending) : [];
  const close = () => openDomainDialog(null);
  return (
    <ActionDialog
      title={t('commands.vmTitle')}
      request="domains.action"
      args={action && targets.length > 0 ? { hostId, uuids: targets.map((d) => d.uuid), action } : null}
      confirmLabel={action ? t(`action.${action}`) : t('commands.run')}
      danger={action !== undefined && needsConfirmation.has(action)}
      testId="vm-command-dialog"
      previewOpen
      onRun={async () => {
        // The rows show progress and failures; the dialog need not wait for virsh.
        if (action) void runDomainAction(api, hostId, targets, action);
      }}
      onClose={close}
    >
      {offered.length === 0 ? (
        <p className="muted">{t('commands.vmNone')}</p>
      ) : (
        <>
          <label htmlFor="vm-command-action">{t('commands.vmAction')}</label>
          <select id="vm-command-action" data-testid="vm-command-action" value={action} onChange={(e) => setAction(e.target.value as DomainAction)}>
            {offered.map((a) => (
              <option key={a} value={a}>
                {t(`action.${a}`)}
              </option>
            ))}
          </select>
          <p className="hint" data-testid="vm-command-targets">
            {t('commands.vmTargets', { names: quotedList(t, targets.map((d) => d.name)) })}
          </p>
        </>
      )}
    </ActionDialog>
  );
}
