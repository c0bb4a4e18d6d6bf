/**
 * A file on the host: a volume of one of its pools (removable with vol-* by any libvirt user,
 * so preferred) or an absolute path typed by hand.
 */
import { useId } from 'react';
import type { NewVmCapabilities } from '../../../../shared/model/newvm';
import type { Volume } from '../../../../shared/model/storage';
import { useT } from '../../i18n/I18nProvider';
import { formatError } from '../../lib/format-error';
import { ErrorText } from '../../components/ErrorText';
import { formatBytes } from '../storage/size';
import { useHostData } from '../storage/use-host-data';
import type { MediaDraft } from './draft';

interface Props {
  hostId: string;
  pools: NewVmCapabilities['pools'];
  value: MediaDraft;
  onChange: (m: MediaDraft) => void;
  label: string;
  testId: string;
  /** Optional file (initrd, dtb): an empty choice is allowed. */
  optional?: boolean;
  /** Puts likely volumes first (e.g. ISOs for a CD-ROM). */
  prefer?: (v: Volume) => boolean;
  placeholder?: string;
}

export function MediaPicker({ hostId, pools, value, onChange, label, testId, optional, prefer, placeholder }: Props) {
  const t = useT();
  const id = useId();
  const active = pools.filter((p) => p.active);
  const poolUuid = value.poolUuid || active[0]?.uuid || '';
  const volumes = useHostData(hostId, value.mode === 'volume' && poolUuid ? (a) => a.request('storage.volumes.list', { hostId, poolUuid }) : null, ['storage.changed'], `${value.mode}/${poolUuid}`);
  const list = [...(volumes.data ?? [])].sort((a, b) => Number(prefer?.(b) ?? 0) - Number(prefer?.(a) ?? 0) || a.name.localeCompare(b.name));
  const set = (patch: Partial<MediaDraft>) => onChange({ ...value, poolUuid, ...patch });

  return (
    <fieldset className="newvm-media" data-testid={testId}>
      <legend>{label}</legend>
      <div className="newvm-radios">
        <label className="checkbox">
          <input type="radio" name={`${id}-mode`} checked={value.mode === 'volume'} onChange={() => set({ mode: 'volume' })} data-testid={`${testId}-mode-volume`} />
          {t('newvm.media.volume')}
        </label>
        <label className="checkbox">
          <input type="radio" name={`${id}-mode`} checked={value.mode === 'path'} onChange={() => set({ mode: 'path' })} data-testid={`${testId}-mode-path`} />
          {t('newvm.media.path')}
        </label>
      </div>
      {value.mode === 'volume' ? (
        <div className="form-row">
          <label>
            {t('newvm.media.pool')}
            <select value={poolUuid} onChange={(e) => set({ poolUuid: e.target.value, volume: '' })} data-testid={`${testId}-pool`}>
              {active.length === 0 && <option value="">{t('newvm.media.noPools')}</option>}
              {active.map((p) => (
                <option key={p.uuid} value={p.uuid}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <label className="grow">
            {t('newvm.media.volumeName')}
            <select value={value.volume} onChange={(e) => set({ volume: e.target.value })} data-testid={`${testId}-volume`}>
              <option value="">{optional ? t('newvm.media.none') : volumes.data === null ? t('common.loading') : t('newvm.media.choose')}</option>
              {list.map((v) => (
                <option key={v.name} value={v.name}>
                  {v.name} ({[v.format, formatBytes(v.capacity)].filter(Boolean).join(', ')})
                </option>
              ))}
            </select>
          </label>
        </div>
      ) : (
        <label>
          {t('newvm.media.hostPath')}
          <input className="mono" value={value.path} placeholder={placeholder ?? '/var/lib/libvirt/images/…'} spellCheck={false} onChange={(e) => set({ path: e.target.value })} data-testid={`${testId}-path`} />
        </label>
      )}
      {value.mode === 'path' && value.path.trim() !== '' && !value.path.trim().startsWith('/') && <p className="field-error">{t('newvm.media.absolute')}</p>}
      {volumes.error && <ErrorText>{formatError(t, volumes.error)}</ErrorText>}
    </fieldset>
  );
}
