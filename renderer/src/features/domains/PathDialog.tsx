import { useId, useState, type FormEvent } from 'react';
import type { HostId } from '../../../../shared/model/host';
import { useApi } from '../../api/ApiProvider';
import { Modal } from '../../components/Modal';
import { useT } from '../../i18n/I18nProvider';
import { CommandPreview } from '../activity/CommandPreview';
import { useHostsStore } from '../../stores/hosts';
import { openDomainDialog, type VmRef } from '../../stores/ui';
import { runRestoreFromFile, runSaveToFile } from './commands';
import { validateHostPath } from './host-path';

type Props = { kind: 'savefile'; hostId: HostId; vm: VmRef } | { kind: 'restorefile'; hostId: HostId };

/**
 * Asks for a file path ON THE HOST: `virsh save` / `virsh restore` read and write files where
 * libvirtd runs, so a file picker of this computer would be the wrong place to choose it.
 */
export function PathDialog(props: Props) {
  const t = useT();
  const api = useApi();
  const ids = useId();
  const hostName = useHostsStore((s) => s.hosts.find((h) => h.config.id === props.hostId)?.config.name ?? props.hostId);
  // The default storage pool's directory is where virt-manager also suggests saving.
  const [path, setPath] = useState(props.kind === 'savefile' ? `/var/lib/libvirt/images/${props.vm.name}.save` : '');
  const [touched, setTouched] = useState(false);
  const error = validateHostPath(path);
  const close = () => openDomainDialog(null);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (error) return;
    close();
    if (props.kind === 'savefile') void runSaveToFile(api, props.hostId, props.vm, path.trim());
    else void runRestoreFromFile(api, props.hostId, path.trim());
  };

  const title = props.kind === 'savefile' ? t('path.saveTitle', { name: props.vm.name }) : t('path.restoreTitle');
  return (
    <Modal title={title} onCancel={close} testId="path-dialog">
      <form className="form" onSubmit={onSubmit} noValidate>
        <label htmlFor={`${ids}-path`}>{t('path.label', { host: hostName })}</label>
        <input
          id={`${ids}-path`}
          className="mono"
          data-testid="path-input"
          data-autofocus
          value={path}
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          placeholder="/var/lib/libvirt/images/vm.save"
          aria-invalid={touched && error ? true : undefined}
          onChange={(e) => setPath(e.target.value)}
          onBlur={() => setTouched(true)}
        />
        {touched && error && (
          <div className="field-error" data-testid="path-error">
            {t(error)}
          </div>
        )}
        <div className="hint">{t(props.kind === 'savefile' ? 'path.saveHint' : 'path.restoreHint')}</div>
        {props.kind === 'savefile' ? (
          <CommandPreview request="domains.saveToFile" args={error ? null : { hostId: props.hostId, uuid: props.vm.uuid, path: path.trim() }} />
        ) : (
          <CommandPreview request="domains.restoreFromFile" args={error ? null : { hostId: props.hostId, path: path.trim() }} />
        )}
        <div className="modal-buttons">
          <button type="button" data-testid="path-cancel" onClick={close}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" data-testid="path-confirm">
            {t(props.kind === 'savefile' ? 'path.save' : 'path.restore')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
