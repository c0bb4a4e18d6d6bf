/**
 * Step 2: the operating system. Detected from the ISO where possible, otherwise picked from the
 * host's osinfo-db (or Virtdeck's built-in families when the host has none). Its defaults fill
 * the next steps; a db older than the OS gets the newest entry of its family, and says so.
 */
import { useState } from 'react';
import type { NewVmCapabilities, OsEntry } from '../../../../../shared/model/newvm';
import { ErrorText } from '../../../components/ErrorText';
import { useT } from '../../../i18n/I18nProvider';
import { formatError } from '../../../lib/format-error';
import { useHostData } from '../../storage/use-host-data';
import type { Draft } from '../draft';
import type { Detection, OsDefaultsResult } from '../use-wizard-data';
import { updateDraft } from '../wizard-store';
import { matchesOs } from '../wizard-rules';
import type { AppErrorShape } from '../../../../../shared/errors';

interface Props {
  draft: Draft;
  caps: NewVmCapabilities;
  detection: { detection: Detection | null; detecting: boolean; error: AppErrorShape | null };
  osDefaults: { result: OsDefaultsResult | null; error: AppErrorShape | null };
}

export function OsStep({ draft, caps, detection, osDefaults }: Props) {
  const t = useT();
  const [query, setQuery] = useState('');
  const [includeEol, setIncludeEol] = useState(false);
  const list = useHostData(draft.hostId, (a) => a.request('newvm.osList', { hostId: draft.hostId, includeEol }), [], String(includeEol));
  const shown = (list.data?.os ?? []).filter((o) => matchesOs(o, query));
  const chosen = list.data?.os.find((o) => o.id === draft.osId);
  const det = detection.detection;
  const isIso = draft.sourceKind === 'iso' || draft.sourceKind === 'upload';

  return (
    <div className="form" data-testid="newvm-step-os">
      {isIso && (
        <div className="newvm-detect" data-testid="newvm-detect">
          {detection.detecting && <p className="hint">{t('newvm.os.detecting')}</p>}
          {det && det.osId && <p>{t('newvm.os.detected', { name: det.osName ?? det.osId, volumeId: det.volumeId ?? '—' })}</p>}
          {det && !det.osId && <p>{t('newvm.os.unknown', { volumeId: det.volumeId ?? '—' })}</p>}
          {det?.note && <p className="hint">{det.note}</p>}
          {detection.error && <ErrorText>{t('newvm.os.detectFailed', { message: formatError(t, detection.error) })}</ErrorText>}
        </div>
      )}
      <p className="hint" data-testid="newvm-os-source">
        {list.data?.source === 'osinfo' || caps.osinfo.available
          ? t('newvm.os.fromOsinfo', { version: list.data?.dbVersion ?? caps.osinfo.version ?? '?', count: caps.osinfo.count })
          : t('newvm.os.builtin')}
      </p>
      <div className="form-row">
        <label className="grow">
          {t('newvm.os.search')}
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="debian, windows 11, fedora…" data-testid="newvm-os-search" />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={includeEol} onChange={(e) => setIncludeEol(e.target.checked)} data-testid="newvm-os-eol" />
          {t('newvm.os.showEol')}
        </label>
      </div>
      <select
        size={10}
        className="newvm-os-list"
        value={draft.osId ?? ''}
        onChange={(e) => updateDraft({ osId: e.target.value || null, osChosen: true })}
        aria-label={t('newvm.os.list')}
        data-testid="newvm-os-list"
      >
        <option value="">{t('newvm.os.generic')}</option>
        {chosen && !shown.includes(chosen) && <option value={chosen.id}>{label(chosen)}</option>}
        {/* Detected or chosen, but not in the list as filtered now (e.g. an end-of-life entry): still shown as the choice. */}
        {draft.osId && list.data && !chosen && <option value={draft.osId}>{osDefaults.result?.defaults.name ?? draft.osId}</option>}
        {shown.map((o) => (
          <option key={o.id} value={o.id}>
            {label(o)}
          </option>
        ))}
      </select>
      {list.error && <ErrorText>{formatError(t, list.error)}</ErrorText>}
      {list.data === null && !list.error && <p className="hint">{t('common.loading')}</p>}
      <p data-testid="newvm-os-chosen">
        {t('newvm.os.chosen', { name: osDefaults.result?.defaults.name ?? chosen?.name ?? t('newvm.os.generic') })}
        {draft.osChosen && isIso && det && (
          <button type="button" className="link" onClick={() => updateDraft({ osId: det.osId, osChosen: false })}>
            {t('newvm.os.useDetected')}
          </button>
        )}
      </p>
      {osDefaults.result?.note && <p className="warning" data-testid="newvm-os-note">{osDefaults.result.note}</p>}
      {osDefaults.error && <ErrorText>{formatError(t, osDefaults.error)}</ErrorText>}
    </div>
  );
}

const label = (o: OsEntry) => `${o.name}${o.eol ? ' (EOL)' : ''} — ${o.id} · ${o.family}`;
