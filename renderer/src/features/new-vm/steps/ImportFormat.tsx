/**
 * The format of an existing disk image, chosen by the user. qemu-img's guess is shown but never
 * taken: a raw image can carry a qcow2 header that points at files of the host
 * (https://libvirt.org/kbase/backing_chains.html), so trusting the probe would expose them.
 */
import type { DiskFormat } from '../../../../../shared/model/newvm';
import { useT } from '../../../i18n/I18nProvider';
import { useHostData } from '../../storage/use-host-data';
import type { Draft, MediaDraft } from '../draft';

interface Props {
  draft: Draft;
  media: MediaDraft;
  value: DiskFormat | '';
  onChange: (f: DiskFormat | '') => void;
  testId: string;
}

export function ImportFormat({ draft, media, value, onChange, testId }: Props) {
  const t = useT();
  const ready = media.mode === 'volume' && media.poolUuid && media.volume;
  const details = useHostData(
    draft.hostId,
    ready ? (a) => a.request('storage.volumes.details', { hostId: draft.hostId, poolUuid: media.poolUuid, name: media.volume }) : null,
    [],
    ready ? `${media.poolUuid}/${media.volume}` : '',
  );
  const top = details.data?.available ? details.data.chain[0] : undefined;
  return (
    <>
      <label>
        {t('newvm.format')}
        <select value={value} onChange={(e) => onChange(e.target.value as DiskFormat | '')} data-testid={testId}>
          <option value="">{t('newvm.formatChoose')}</option>
          <option value="qcow2">qcow2</option>
          <option value="raw">raw</option>
        </select>
      </label>
      {top && (
        <p className="hint" data-testid={`${testId}-guess`}>
          {t('newvm.formatGuess', { format: top.format })}
          {top.backingFilename ? ` ${t('newvm.formatBacking', { path: top.backingFilename })}` : ''}
        </p>
      )}
      {details.data && !details.data.available && <p className="hint">{t('newvm.formatNoGuess', { reason: details.data.reason })}</p>}
      {!ready && <p className="hint">{t('newvm.formatWhy')}</p>}
    </>
  );
}
