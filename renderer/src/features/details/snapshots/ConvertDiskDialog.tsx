import { useState } from 'react';
import type { SnapshotCapabilities } from '../../../../../shared/model/snapshot';
import { useApi } from '../../../api/ApiProvider';
import { useT } from '../../../i18n/I18nProvider';
import { ActionDialog } from '../../activity/ActionDialog';
import { CheckField, SelectField } from '../hardware/fields';

interface Props {
  hostId: string;
  uuid: string;
  caps: SnapshotCapabilities;
  onDone: (newPath: string) => void;
  onClose: () => void;
}

/** A raw disk → a new qcow2 volume next to it, the VM repointed; only while the VM is off. */
export function ConvertDiskDialog({ hostId, uuid, caps, onDone, onClose }: Props) {
  const t = useT();
  const api = useApi();
  const disks = caps.rawDisks ?? [];
  const [target, setTarget] = useState(disks[0] ?? '');
  const [deleteOld, setDeleteOld] = useState(false);
  return (
    <ActionDialog
      title={t('snapshots.convert.title')}
      request="snapshots.convertDisk"
      args={caps.running || target === '' ? null : { hostId, uuid, target, deleteOld }}
      confirmLabel={t('snapshots.convert.run')}
      testId="snapshot-convert-dialog"
      onRun={async (a) => onDone((await api.request('snapshots.convertDisk', a)).newPath)}
      onClose={onClose}
    >
      <p>{t('snapshots.convert.intro')}</p>
      {caps.running && <p className="note">{t('snapshots.convert.stopFirst')}</p>}
      <SelectField label={t('snapshots.convert.disk')} value={target} onChange={setTarget} options={disks.map((d) => [d, d] as const)} testId="snapshot-convert-disk" />
      <CheckField label={t('snapshots.convert.deleteOld')} checked={deleteOld} onChange={setDeleteOld} testId="snapshot-convert-delete-old" />
    </ActionDialog>
  );
}
