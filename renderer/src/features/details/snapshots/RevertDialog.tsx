import { useState } from 'react';
import type { RequestArgs } from '../../../../../shared/contract';
import type { Snapshot, SnapshotCapabilities } from '../../../../../shared/model/snapshot';
import { useApi } from '../../../api/ApiProvider';
import { useI18n } from '../../../i18n/I18nProvider';
import { ActionDialog } from '../../activity/ActionDialog';
import { CheckField, SelectField } from '../hardware/fields';

interface Props {
  hostId: string;
  uuid: string;
  snap: Snapshot;
  caps: SnapshotCapabilities;
  onDone: () => void;
  onClose: () => void;
}

/** Says what is lost; an external snapshot on libvirt < 9.9 gets the reason and no button. */
export function RevertDialog({ hostId, uuid, snap, caps, onDone, onClose }: Props) {
  const { t, lang } = useI18n();
  const api = useApi();
  const [after, setAfter] = useState<'as-taken' | 'running' | 'paused'>('as-taken');
  const [force, setForce] = useState(false);
  const [resetNvram, setResetNvram] = useState(false);
  const refused = snap.location === 'external' && !caps.externalRevert.ok ? (caps.externalRevert.reason ?? '') : null;
  const args: RequestArgs<'snapshots.revert'> | null = refused !== null ? null : { hostId, uuid, name: snap.name, after, force, resetNvram: resetNvram && caps.nvram };
  const when = new Date(snap.createdAt).toLocaleString(lang);
  return (
    <ActionDialog
      title={t('snapshots.revert.title', { name: snap.name })}
      request="snapshots.revert"
      args={args}
      danger
      confirmLabel={t('snapshots.revert.run')}
      testId="snapshot-revert-dialog"
      onRun={async (a) => {
        await api.request('snapshots.revert', a);
        onDone();
      }}
      onClose={onClose}
    >
      {refused !== null ? (
        <p className="note" data-testid="snapshot-revert-refused">
          {t('snapshots.revert.refused', { reason: refused })}
        </p>
      ) : (
        <>
          <p className="note" data-testid="snapshot-revert-lost">
            {t('snapshots.revert.lost', { name: snap.name, when })}
          </p>
          <SelectField
            label={t('snapshots.revert.after')}
            value={after}
            onChange={(v) => setAfter(v as typeof after)}
            options={[
              ['as-taken', t('snapshots.revert.asTaken')],
              ['running', t('snapshots.revert.running')],
              ['paused', t('snapshots.revert.paused')],
            ]}
            testId="snapshot-revert-after"
          />
          <CheckField label={t('snapshots.revert.force')} checked={force} onChange={setForce} testId="snapshot-revert-force" />
          {caps.nvram && <CheckField label={t('snapshots.revert.resetNvram')} checked={resetNvram} onChange={setResetNvram} testId="snapshot-revert-nvram" />}
        </>
      )}
    </ActionDialog>
  );
}
