import { useState } from 'react';
import type { RequestArgs } from '../../../../../shared/contract';
import type { SnapshotCapabilities, SnapshotMode } from '../../../../../shared/model/snapshot';
import { useApi } from '../../../api/ApiProvider';
import { useT } from '../../../i18n/I18nProvider';
import { ActionDialog } from '../../activity/ActionDialog';
import { formatBytes } from '../../storage/size';
import { CheckField, SelectField, TextField } from '../hardware/fields';
import { timestampName } from './snapshot-tree';

interface Props {
  hostId: string;
  uuid: string;
  caps: SnapshotCapabilities;
  onDone: () => void;
  onClose: () => void;
}

/** Only the kinds libvirt accepts for this VM now can be picked; the others say why they are off. */
export function CreateSnapshotDialog({ hostId, uuid, caps, onDone, onClose }: Props) {
  const t = useT();
  const api = useApi();
  const [name, setName] = useState(() => timestampName(new Date()));
  const [description, setDescription] = useState('');
  const [mode, setMode] = useState<SnapshotMode | null>(() => caps.modes.find((m) => m.ok)?.mode ?? null);
  const [pool, setPool] = useState(caps.memoryPools[0]?.name ?? '');
  const [atomic, setAtomic] = useState(true);
  const [quiesce, setQuiesce] = useState(false);
  const canQuiesce = caps.quiesce && mode === 'external-disk';
  const args: RequestArgs<'snapshots.create'> | null =
    mode === null || name.trim() === '' || name.includes('/')
      ? null
      : { hostId, uuid, name, description, mode, atomic, quiesce: quiesce && canQuiesce, ...(mode === 'external-memory' ? { memoryPool: pool } : {}) };
  return (
    <ActionDialog
      title={t('snapshots.create.title')}
      request="snapshots.create"
      args={args}
      confirmLabel={t('snapshots.create.run')}
      testId="snapshot-create-dialog"
      onRun={async (a) => {
        await api.request('snapshots.create', a);
        onDone();
      }}
      onClose={onClose}
    >
      <TextField label={t('snapshots.name')} value={name} onChange={setName} required testId="snapshot-name" />
      <label>
        {t('snapshots.description')}
        <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={2} data-testid="snapshot-description" />
      </label>
      <fieldset>
        <legend>{t('snapshots.mode')}</legend>
        {caps.modes.map((m) => (
          <div key={m.mode} className="snapshot-mode">
            <label className="checkbox">
              <input type="radio" name="snapshot-mode" checked={mode === m.mode} disabled={!m.ok} onChange={() => setMode(m.mode)} data-testid={`snapshot-mode-${m.mode}`} />
              {t(`snapshots.mode.${m.mode}`)}
            </label>
            {!m.ok && (
              <span className="muted snapshot-why" data-testid={`snapshot-why-${m.mode}`}>
                {m.reason}
              </span>
            )}
          </div>
        ))}
        {mode === null && <p className="note">{t('snapshots.noMode', { version: caps.libvirtVersion })}</p>}
      </fieldset>
      {mode === 'external-memory' && (
        <SelectField
          label={t('snapshots.memoryPool')}
          value={pool}
          onChange={setPool}
          options={caps.memoryPools.map((p) => [p.name, `${p.name} (${p.path}${p.available !== null ? `, ${formatBytes(p.available)} free` : ''})`] as const)}
          testId="snapshot-pool"
        />
      )}
      <CheckField label={t('snapshots.atomic')} checked={atomic} onChange={setAtomic} testId="snapshot-atomic" />
      <CheckField label={t('snapshots.quiesce')} checked={quiesce && canQuiesce} onChange={setQuiesce} disabled={!canQuiesce} testId="snapshot-quiesce" />
      {!canQuiesce && <p className="muted">{t('snapshots.quiesceOff')}</p>}
    </ActionDialog>
  );
}
