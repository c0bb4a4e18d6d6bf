import { useState } from 'react';
import type { Snapshot } from '../../../../../shared/model/snapshot';
import { useApi } from '../../../api/ApiProvider';
import { useT } from '../../../i18n/I18nProvider';
import { ActionDialog } from '../../activity/ActionDialog';

/** A new description, saved by redefining the snapshot's XML (the preview shows that XML). */
export function DescribeDialog({ hostId, uuid, snap, onDone, onClose }: { hostId: string; uuid: string; snap: Snapshot; onDone: () => void; onClose: () => void }) {
  const t = useT();
  const api = useApi();
  const [description, setDescription] = useState(snap.description);
  return (
    <ActionDialog
      title={t('snapshots.describe.title', { name: snap.name })}
      request="snapshots.describe"
      args={{ hostId, uuid, name: snap.name, description }}
      confirmLabel={t('snapshots.describe.run')}
      testId="snapshot-describe-dialog"
      onRun={async (a) => {
        await api.request('snapshots.describe', a);
        onDone();
      }}
      onClose={onClose}
    >
      <label>
        {t('snapshots.description')}
        <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={4} data-testid="snapshot-describe-text" />
      </label>
    </ActionDialog>
  );
}
