/** Step 4: a new volume (size from the OS, qcow2 by default), an existing volume, or no disk. */
import type { NewVmCapabilities } from '../../../../../shared/model/newvm';
import { useT } from '../../../i18n/I18nProvider';
import { formatBytes } from '../../storage/size';
import type { Draft } from '../draft';
import { MediaPicker } from '../MediaPicker';
import { updateDraft } from '../wizard-store';
import { ImportFormat } from './ImportFormat';

const GiB = 1024 ** 3;

export function StorageStep({ draft, caps }: { draft: Draft; caps: NewVmCapabilities }) {
  const t = useT();
  const active = caps.pools.filter((p) => p.active);
  const pool = active.find((p) => p.uuid === draft.poolUuid);
  const sizeBytes = Number(draft.sizeGiB.replace(',', '.')) * GiB;
  const tooBig = pool?.available != null && draft.preallocation === 'full' ? sizeBytes > Number(pool.available) : false;
  const kinds = ['new', 'existing', 'none'] as const;
  return (
    <div className="form" data-testid="newvm-step-storage">
      {draft.sourceKind === 'import' && <p className="hint">{t('newvm.storage.importNote')}</p>}
      <fieldset className="newvm-choice">
        <legend>{t('newvm.storage.how')}</legend>
        {kinds.map((k) => (
          <label key={k} className="checkbox">
            <input type="radio" name="newvm-storage" checked={draft.storageKind === k} onChange={() => updateDraft({ storageKind: k })} data-testid={`newvm-storage-${k}`} />
            {t(`newvm.storage.${k}`)}
          </label>
        ))}
      </fieldset>
      {draft.storageKind === 'new' && (
        <>
          <label>
            {t('newvm.media.pool')}
            <select value={draft.poolUuid} onChange={(e) => updateDraft({ poolUuid: e.target.value })} data-testid="newvm-pool">
              {!pool && <option value="">{active.length ? t('newvm.media.choose') : t('newvm.media.noPools')}</option>}
              {active.map((p) => (
                <option key={p.uuid} value={p.uuid}>
                  {p.name} — {t('newvm.free', { size: formatBytes(p.available) })}
                </option>
              ))}
            </select>
          </label>
          <div className="form-row">
            <label>
              {t('newvm.storage.size')}
              <input type="number" min={0.1} step={1} value={draft.sizeGiB} onChange={(e) => updateDraft((x) => ({ sizeGiB: e.target.value, touched: { ...x.touched, size: true } }))} data-testid="newvm-size" />
            </label>
            <label>
              {t('newvm.format')}
              <select value={draft.diskFormat} onChange={(e) => updateDraft({ diskFormat: e.target.value as 'qcow2' | 'raw' })} data-testid="newvm-disk-format">
                <option value="qcow2">qcow2</option>
                <option value="raw">raw</option>
              </select>
            </label>
            <label>
              {t('newvm.storage.prealloc')}
              <select value={draft.preallocation} onChange={(e) => updateDraft({ preallocation: e.target.value as Draft['preallocation'] })} data-testid="newvm-prealloc">
                <option value="none">{t('newvm.storage.preallocNone')}</option>
                <option value="metadata">{t('newvm.storage.preallocMetadata')}</option>
                <option value="full">{t('newvm.storage.preallocFull')}</option>
              </select>
            </label>
          </div>
          <label>
            {t('newvm.storage.volumeName')}
            <input value={draft.volumeName} onChange={(e) => updateDraft({ volumeName: e.target.value })} placeholder={`${draft.name || 'vm'}.${draft.diskFormat === 'raw' ? 'img' : 'qcow2'}`} spellCheck={false} data-testid="newvm-volume-name" />
          </label>
          {tooBig && <p className="warning">{t('newvm.storage.tooBig', { free: formatBytes(pool?.available) })}</p>}
        </>
      )}
      {draft.storageKind === 'existing' && (
        <>
          <MediaPicker hostId={draft.hostId} pools={caps.pools} value={draft.existing} onChange={(m) => updateDraft({ existing: m })} label={t('newvm.storage.existingVolume')} testId="newvm-existing" />
          <ImportFormat draft={draft} media={draft.existing} value={draft.existingFormat} onChange={(f) => updateDraft({ existingFormat: f })} testId="newvm-existing-format" />
        </>
      )}
      {draft.storageKind === 'none' && draft.sourceKind !== 'import' && <p className="hint">{t('newvm.storage.noneNote')}</p>}
    </div>
  );
}
