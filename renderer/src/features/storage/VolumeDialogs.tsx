import { useEffect, useState } from 'react';
import type { BaseOf } from '../../../../shared/model/domain';
import { baseOfUsers } from '../guards/base-of';
import { formatError, toErrorShape } from '../../lib/format-error';
import type { Pool, Preallocation, Volume, VolumeFormat } from '../../../../shared/model/storage';
import { ObjectName } from '../../../../shared/model/storage';
import { useApi } from '../../api/ApiProvider';
import { useT } from '../../i18n/I18nProvider';
import { ActionDialog } from '../activity/ActionDialog';
import { formatBytes, parseSize, sizeUnits, splitSize, type SizeUnit } from './size';

interface Base {
  hostId: string;
  pool: Pool;
  onClose: () => void;
}

function SizeField({ id, text, unit, onText, onUnit, invalid }: { id: string; text: string; unit: SizeUnit; onText: (s: string) => void; onUnit: (u: SizeUnit) => void; invalid: boolean }) {
  const t = useT();
  return (
    <div className="form-row">
      <input id={id} data-testid={id} inputMode="decimal" value={text} onChange={(e) => onText(e.target.value)} aria-invalid={invalid || undefined} />
      <select data-testid={`${id}-unit`} aria-label={t('storage.unit')} value={unit} onChange={(e) => onUnit(e.target.value as SizeUnit)}>
        {sizeUnits.map((u) => (
          <option key={u} value={u}>
            {u}
          </option>
        ))}
      </select>
    </div>
  );
}

const validName = (n: string) => ObjectName.safeParse(n).success;

/** New volume: qcow2 or raw, capacity, preallocation, optional backing volume (qcow2). */
export function NewVolumeDialog({ hostId, pool, volumes, onClose }: Base & { volumes: readonly Volume[] }) {
  const t = useT();
  const api = useApi();
  const [name, setName] = useState('');
  const [format, setFormat] = useState<VolumeFormat>('qcow2');
  const [size, setSize] = useState('10');
  const [unit, setUnit] = useState<SizeUnit>('GiB');
  const [prealloc, setPrealloc] = useState<Preallocation>('none');
  const [backing, setBacking] = useState('');
  const capacity = parseSize(size, unit);
  const backingVol = volumes.find((v) => v.path === backing);
  const effectivePrealloc = format === 'raw' && prealloc === 'metadata' ? 'none' : prealloc;
  const args =
    validName(name) && capacity !== null
      ? {
          hostId,
          poolUuid: pool.uuid,
          spec: {
            name,
            format,
            capacity,
            preallocation: effectivePrealloc,
            ...(format === 'qcow2' && backingVol ? { backingPath: backingVol.path, backingFormat: backingVol.format ?? 'raw' } : {}),
          },
        }
      : null;
  return (
    <ActionDialog title={t('storage.newVolumeIn', { pool: pool.name })} testId="volume-dialog" request="storage.volumes.create" args={args} confirmLabel={t('storage.create')} onRun={(a) => api.request('storage.volumes.create', a)} onClose={onClose}>
      <label htmlFor="volume-form-name">{t('storage.field.name')}</label>
      <input id="volume-form-name" data-testid="volume-form-name" value={name} onChange={(e) => setName(e.target.value)} spellCheck={false} data-autofocus />
      <label htmlFor="volume-form-format">{t('storage.col.format')}</label>
      <select id="volume-form-format" data-testid="volume-form-format" value={format} onChange={(e) => setFormat(e.target.value as VolumeFormat)}>
        <option value="qcow2">qcow2</option>
        <option value="raw">raw</option>
      </select>
      <label htmlFor="volume-form-capacity">{t('storage.col.capacity')}</label>
      <SizeField id="volume-form-capacity" text={size} unit={unit} onText={setSize} onUnit={setUnit} invalid={capacity === null} />
      <label htmlFor="volume-form-prealloc">{t('storage.preallocation')}</label>
      <select id="volume-form-prealloc" data-testid="volume-form-prealloc" value={effectivePrealloc} onChange={(e) => setPrealloc(e.target.value as Preallocation)}>
        <option value="none">{t('storage.prealloc.none')}</option>
        {format === 'qcow2' && <option value="metadata">{t('storage.prealloc.metadata')}</option>}
        <option value="full">{t('storage.prealloc.full')}</option>
      </select>
      {format === 'qcow2' && (
        <>
          <label htmlFor="volume-form-backing">{t('storage.backing')}</label>
          <select id="volume-form-backing" data-testid="volume-form-backing" value={backing} onChange={(e) => setBacking(e.target.value)}>
            <option value="">{t('storage.noBacking')}</option>
            {volumes.filter((v) => v.type === 'file' || v.type === 'block').map((v) => (
              <option key={v.path} value={v.path}>
                {v.name} ({v.format ?? v.type}, {formatBytes(v.capacity)})
              </option>
            ))}
          </select>
        </>
      )}
    </ActionDialog>
  );
}

export function CloneVolumeDialog({ hostId, pool, volume, onClose }: Base & { volume: Volume }) {
  const t = useT();
  const api = useApi();
  const [newName, setNewName] = useState(`${volume.name}-clone`);
  const args = validName(newName) ? { hostId, poolUuid: pool.uuid, name: volume.name, newName } : null;
  return (
    <ActionDialog title={t('storage.cloneTitle', { name: volume.name })} testId="clone-dialog" request="storage.volumes.clone" args={args} confirmLabel={t('storage.volumeAction.clone')} onRun={(a) => api.request('storage.volumes.clone', a)} onClose={onClose}>
      <label htmlFor="clone-name">{t('storage.newName')}</label>
      <input id="clone-name" data-testid="clone-name" value={newName} onChange={(e) => setNewName(e.target.value)} spellCheck={false} data-autofocus />
    </ActionDialog>
  );
}

/** Grow freely; a smaller size needs an explicit tick, then runs vol-resize --shrink. */
export function ResizeVolumeDialog({ hostId, pool, volume, onClose }: Base & { volume: Volume }) {
  const t = useT();
  const api = useApi();
  const initial = splitSize(Number(volume.capacity ?? '0'));
  const [size, setSize] = useState(initial.text);
  const [unit, setUnit] = useState<SizeUnit>(initial.unit);
  const [confirmShrink, setConfirmShrink] = useState(false);
  const capacity = parseSize(size, unit);
  const shrink = capacity !== null && volume.capacity !== null && BigInt(capacity) < BigInt(volume.capacity);
  const args = capacity !== null && String(capacity) !== volume.capacity && (!shrink || confirmShrink) ? { hostId, poolUuid: pool.uuid, name: volume.name, capacity, confirmShrink: shrink } : null;
  return (
    <ActionDialog title={t('storage.resizeTitle', { name: volume.name })} testId="resize-dialog" request="storage.volumes.resize" args={args} confirmLabel={t('storage.volumeAction.resize')} danger={shrink} onRun={(a) => api.request('storage.volumes.resize', a)} onClose={onClose}>
      <p className="hint">{t('storage.currentSize', { size: formatBytes(volume.capacity) })}</p>
      <label htmlFor="resize-capacity">{t('storage.newSize')}</label>
      <SizeField id="resize-capacity" text={size} unit={unit} onText={setSize} onUnit={setUnit} invalid={capacity === null} />
      {shrink && (
        <>
          <p className="warning">{t('storage.shrinkWarning')}</p>
          <label className="checkbox">
            <input type="checkbox" data-testid="resize-confirm-shrink" checked={confirmShrink} onChange={(e) => setConfirmShrink(e.target.checked)} />
            {t('storage.shrinkConfirm')}
          </label>
        </>
      )}
    </ActionDialog>
  );
}

/**
 * Wipe or delete; delete of a volume a VM uses needs an explicit tick. A volume that other disks
 * are built on (every VM's chain and every pool's overlays, checked when the dialog opens) cannot
 * be deleted: the dialog says whose base it is and Delete stays off.
 */
export function DestroyVolumeDialog({ hostId, pool, volume, kind, onClose }: Base & { volume: Volume; kind: 'wipe' | 'delete' }) {
  const t = useT();
  const api = useApi();
  const [confirmInUse, setConfirmInUse] = useState(false);
  const [base, setBase] = useState<{ state: 'checking' } | { state: 'done'; baseOf: BaseOf | null } | { state: 'failed'; message: string }>({ state: 'checking' });
  useEffect(() => {
    if (kind !== 'delete') return;
    let current = true;
    api.request('storage.volumes.baseOf', { hostId, poolUuid: pool.uuid, name: volume.name }).then(
      (baseOf) => current && setBase({ state: 'done', baseOf }),
      // The delete checks again on the host: an unreadable answer here only loses the early word.
      (e: unknown) => current && setBase({ state: 'failed', message: formatError(t, toErrorShape(e)) }),
    );
    return () => {
      current = false;
    };
  }, [api, t, hostId, pool.uuid, volume.name, kind]);
  const isBase = base.state === 'done' && base.baseOf !== null;
  const inUse = volume.usedBy.length > 0;
  const users = volume.usedBy.map((u) => `“${u.name}” (${u.target})`).join(', ');
  if (kind === 'wipe')
    return (
      <ActionDialog title={t('storage.wipeTitle', { name: volume.name })} testId="wipe-dialog" request="storage.volumes.wipe" args={{ hostId, poolUuid: pool.uuid, name: volume.name }} confirmLabel={t('storage.volumeAction.wipe')} danger onRun={(a) => api.request('storage.volumes.wipe', a)} onClose={onClose}>
        <p className="confirm-message">{t('storage.wipeConfirm', { name: volume.name })}</p>
        {inUse && <p className="warning">{t('storage.inUseBy', { users })}</p>}
      </ActionDialog>
    );
  return (
    <ActionDialog
      title={t('storage.deleteTitle', { name: volume.name })}
      testId="delete-volume-dialog"
      request="storage.volumes.delete"
      args={base.state !== 'checking' && !isBase && (!inUse || confirmInUse) ? { hostId, poolUuid: pool.uuid, name: volume.name, confirmInUse: inUse } : null}
      confirmLabel={t('storage.volumeAction.delete')}
      danger
      onRun={(a) => api.request('storage.volumes.delete', a)}
      onClose={onClose}
    >
      <p className="confirm-message">{t('storage.deleteConfirm', { name: volume.name })}</p>
      {base.state === 'checking' && <p className="muted">{t('guards.volumeBaseOfChecking')}</p>}
      {base.state === 'failed' && <p className="muted">{t('guards.volumeBaseOfUnknown', { message: base.message })}</p>}
      {base.state === 'done' && base.baseOf && (
        <p className="warning" data-testid="delete-volume-base-of">
          {t('guards.volumeBaseOf', { users: baseOfUsers(t, base.baseOf) })}
        </p>
      )}
      {inUse && !isBase && (
        <>
          <p className="warning">{t('storage.inUseBy', { users })}</p>
          <label className="checkbox">
            <input type="checkbox" data-testid="delete-confirm-in-use" checked={confirmInUse} onChange={(e) => setConfirmInUse(e.target.checked)} />
            {t('storage.deleteInUseConfirm')}
          </label>
        </>
      )}
    </ActionDialog>
  );
}
