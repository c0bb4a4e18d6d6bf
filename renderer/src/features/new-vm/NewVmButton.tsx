/** "New VM", in the main toolbar (on the active or first connected host) and on each connected host's row. */
import { useT } from '../../i18n/I18nProvider';
import { selectBackendReady, useBackendStore } from '../../stores/backend';
import { useHostsStore } from '../../stores/hosts';
import { isMacPlatform } from '../domains/shortcuts';
import { newVmShortcutLabel } from './shortcut';
import { openNewVm } from './wizard-store';

const mac = isMacPlatform(typeof navigator === 'undefined' ? '' : navigator.platform);

export function NewVmButton({ hostId, testId = 'new-vm' }: { hostId?: string; testId?: string }) {
  const t = useT();
  const ready = useBackendStore(selectBackendReady);
  const mode = useBackendStore((s) => s.mode);
  const connected = useHostsStore((s) => s.hosts.some((h) => h.status.state === 'connected' && (hostId === undefined || h.config.id === hostId)));
  const label = t('newvm.button');
  return (
    <button type="button" data-testid={testId} title={`${label} (${newVmShortcutLabel(mode, mac)})`} disabled={!ready || !connected} onClick={() => openNewVm(hostId)}>
      {label}
    </button>
  );
}
