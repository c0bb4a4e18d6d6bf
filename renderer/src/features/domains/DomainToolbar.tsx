import { Fragment } from 'react';
import type { Domain } from '../../../../shared/model/domain';
import type { HostId } from '../../../../shared/model/host';
import { useApi } from '../../api/ApiProvider';
import { useT } from '../../i18n/I18nProvider';
import { selectBackendReady, useBackendStore } from '../../stores/backend';
import { emptyHostDomains, useDomainsStore } from '../../stores/domains';
import { useHostsStore } from '../../stores/hosts';
import { openDomainDialog } from '../../stores/ui';
import { NewVmButton } from '../new-vm';
import { requestCommand } from './commands';
import { commandGroups, commandTargets, type VmCommand } from './domain-actions';
import { commandShortcut, isMacPlatform } from './shortcuts';
import { openMigrate } from '../migration/migration-drag';

const mac = isMacPlatform(typeof navigator === 'undefined' ? '' : navigator.platform);
const danger: ReadonlySet<VmCommand> = new Set<VmCommand>(['destroy', 'reset', 'delete', 'managedsave-remove']);

/**
 * Commands for the selected VMs of the active host. A button is enabled when at least one
 * selected VM can take the command; the command then goes to those VMs only.
 */
export function DomainToolbar({ hostId, selected }: { hostId: HostId | null; selected: readonly Domain[] }) {
  const t = useT();
  const api = useApi();
  const ready = useBackendStore(selectBackendReady);
  const pending = useDomainsStore((s) => (hostId === null ? emptyHostDomains : (s.byHost[hostId] ?? emptyHostDomains)).pending);
  const hostConnected = useHostsStore((s) => s.hosts.some((h) => h.config.id === hostId && h.status.state === 'connected'));

  return (
    <div className="toolbar" role="toolbar" aria-label={t('domains.toolbar')}>
      <NewVmButton />
      <span className="toolbar-sep" aria-hidden="true" />
      {commandGroups.map((group, gi) => (
        <Fragment key={gi}>
          {gi > 0 && <span className="toolbar-sep" aria-hidden="true" />}
          {group.map((command) => {
            const targets = commandTargets(command, selected, pending);
            const enabled = command === 'restorefile' ? hostConnected : targets.length > 0;
            const keys = commandShortcut(command, mac);
            const label = t(`action.${command}`);
            return (
              <button
                key={command}
                type="button"
                data-testid={`vm-action-${command}`}
                className={danger.has(command) ? 'danger' : undefined}
                title={keys ? `${label} (${keys})` : label}
                disabled={!ready || hostId === null || !enabled}
                onClick={() => hostId !== null && requestCommand(api, hostId, command, targets)}
              >
                {label}
              </button>
            );
          })}
        </Fragment>
      ))}
      <span className="toolbar-sep" aria-hidden="true" />
      <button
        type="button"
        data-testid="vm-action-migrate"
        disabled={!ready || hostId === null || selected.length === 0}
        onClick={() => hostId !== null && openMigrate(hostId, selected)}
      >
        {t('action.migrate')}
      </button>
      <button
        type="button"
        data-testid="vm-action-showcommand"
        title={t('commands.vmShowHint')}
        disabled={!ready || hostId === null || selected.length === 0}
        onClick={() => hostId !== null && openDomainDialog({ kind: 'command', hostId, vms: [...selected] })}
      >
        {t('commands.vmShow')}
      </button>
    </div>
  );
}
