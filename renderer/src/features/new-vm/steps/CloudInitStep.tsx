/**
 * Source "cloud image" (part of step 1): the image volume, linked overlay or full copy, and the
 * cloud-init fields — user, password, SSH keys (this computer's ~/.ssh/*.pub offered), host name,
 * packages — plus the free user-data editor the fields are merged into. The seed itself is built
 * by the backend; the Finish step shows its files (SeedView).
 */
import { useEffect, useState } from 'react';
import type { LocalSshKey, SeedPreview } from '../../../../../shared/model/cloud-init';
import type { NewVmCapabilities } from '../../../../../shared/model/newvm';
import type { Transfer } from '../../../../../shared/model/storage';
import { useApi } from '../../../api/ApiProvider';
import { CodeEditor } from '../../../components/CodeEditor';
import { useT } from '../../../i18n/I18nProvider';
import { cloudFieldErrors, type CloudDraft } from '../cloud-draft';
import type { Draft } from '../draft';
import { MediaPicker } from '../MediaPicker';
import { updateDraft } from '../wizard-store';
import { UploadIso } from './UploadIso';

const isImage = (v: { name: string; format: string | null }) => v.format === 'qcow2' || /\.(qcow2|img|raw)$/i.test(v.name);

interface Props {
  draft: Draft;
  pools: NewVmCapabilities['pools'];
  transfers: readonly Transfer[];
  onTransfer: (t: Transfer) => void;
}

export function CloudInitStep({ draft, pools, transfers, onTransfer }: Props) {
  const t = useT();
  const c = draft.cloud;
  const [uploading, setUploading] = useState(draft.uploadTransferId !== null);
  const set = (patch: Partial<CloudDraft>) => updateDraft({ cloud: { ...c, ...patch } });
  const bad = cloudFieldErrors(c);
  const keys = useLocalKeys();
  const err = (f: Parameters<typeof bad.has>[0]) => (bad.has(f) ? <p className="field-error" data-testid={`newvm-ci-${f}-error`}>{t(`newvm.cloud.invalid.${f}`)}</p> : null);
  const addKey = (k: LocalSshKey) => set({ sshKeys: [...c.sshKeys.split('\n').filter((l) => l.trim()), k.key].join('\n') });

  return (
    <>
      <MediaPicker
        hostId={draft.hostId}
        pools={pools}
        value={{ mode: 'volume', poolUuid: c.poolUuid, volume: c.volume, path: '' }}
        onChange={(m) => set({ poolUuid: m.poolUuid, volume: m.volume })}
        label={t('newvm.cloud.image')}
        testId="newvm-cloud-image"
        prefer={isImage}
      />
      <label className="checkbox">
        <input type="checkbox" checked={uploading} onChange={(e) => setUploading(e.target.checked)} data-testid="newvm-cloud-upload" />
        {t('newvm.cloud.upload')}
      </label>
      {uploading && <UploadIso draft={draft} pools={pools} transfers={transfers} onStarted={onTransfer} into="cloud" />}
      <label className="checkbox">
        <input type="checkbox" checked={c.linked} onChange={(e) => set({ linked: e.target.checked })} data-testid="newvm-cloud-linked" />
        {t('newvm.cloud.linked')}
      </label>
      <p className="hint">{t('newvm.cloud.copy')}</p>
      <fieldset data-testid="newvm-cloud-init">
        <legend>{t('newvm.cloud.setup')}</legend>
        <p className="hint">{t('newvm.cloud.seedNote')}</p>
        <div className="form-row">
          <label>
            {t('newvm.cloud.hostname')}
            <input value={c.hostname} onChange={(e) => set({ hostname: e.target.value })} spellCheck={false} placeholder="web-1" data-testid="newvm-ci-hostname" />
          </label>
          <label>
            {t('newvm.cloud.userName')}
            <input value={c.userName} onChange={(e) => set({ userName: e.target.value })} spellCheck={false} autoComplete="off" placeholder="debian" data-testid="newvm-ci-user" />
          </label>
          <label>
            {t('newvm.cloud.password')}
            <input type="password" value={c.password} onChange={(e) => set({ password: e.target.value })} autoComplete="new-password" data-testid="newvm-ci-password" />
          </label>
        </div>
        {err('hostname')}
        {err('userName')}
        {err('password')}
        <p className="hint">{t('newvm.cloud.passwordHint')}</p>
        <label>
          {t('newvm.cloud.sshKeys')}
          <textarea className="mono" rows={3} value={c.sshKeys} onChange={(e) => set({ sshKeys: e.target.value })} spellCheck={false} data-testid="newvm-ci-keys" />
        </label>
        {err('sshKeys')}
        <div className="newvm-radios" data-testid="newvm-ci-local-keys">
          {keys === null ? null : keys.length === 0 ? (
            <span className="hint">{t('newvm.cloud.noKeys')}</span>
          ) : (
            keys.map((k) => (
              <button key={`${k.file}:${k.key}`} type="button" onClick={() => addKey(k)} disabled={c.sshKeys.includes(k.key)} title={k.key} data-testid="newvm-ci-add-key">
                {t('newvm.cloud.addKey', { file: k.file.split('/').pop() ?? k.file })}
                {k.comment ? ` (${k.comment})` : ''}
              </button>
            ))
          )}
        </div>
        <label>
          {t('newvm.cloud.packages')}
          <input value={c.packages} onChange={(e) => set({ packages: e.target.value })} spellCheck={false} placeholder="nginx curl" data-testid="newvm-ci-packages" />
        </label>
        {err('packages')}
        <div className="newvm-yaml">
          <span>{t('newvm.cloud.userData')}</span>
          <CodeEditor value={c.userData} onChange={(v) => set({ userData: v })} language="plain" ariaLabel={t('newvm.cloud.userData')} testId="newvm-ci-userdata" />
        </div>
        <label>
          {t('newvm.cloud.networkConfig')}
          <textarea className="mono" rows={3} value={c.networkConfig} onChange={(e) => set({ networkConfig: e.target.value })} spellCheck={false} placeholder={'version: 2\nethernets: …'} data-testid="newvm-ci-network" />
        </label>
      </fieldset>
    </>
  );
}

/** ~/.ssh/*.pub of this computer (asked once per wizard; null while loading or when it failed). */
function useLocalKeys(): LocalSshKey[] | null {
  const api = useApi();
  const [keys, setKeys] = useState<LocalSshKey[] | null>(null);
  useEffect(() => {
    let live = true;
    api.request('newvm.localSshKeys', {}).then(
      (k) => live && setKeys(k),
      () => live && setKeys([]),
    );
    return () => {
      live = false;
    };
  }, [api]);
  return keys;
}

/** The seed as the plan shows it (Finish step): the files, the hash hidden, and whether the host's cloud-init checked it. */
export function SeedView({ seed, hostName }: { seed: SeedPreview; hostName: string }) {
  const t = useT();
  return (
    <details className="newvm-seed" data-testid="newvm-seed">
      <summary>{t('newvm.cloud.seedTitle', { bytes: String(seed.bytes), volume: seed.volume })}</summary>
      <p className="hint">{seed.schemaChecked ? t('newvm.cloud.schemaChecked', { host: hostName }) : t('newvm.cloud.schemaNotChecked')}</p>
      <pre className="mono" data-testid="newvm-seed-userdata">{seed.userData}</pre>
      <pre className="mono" data-testid="newvm-seed-metadata">{seed.metaData}</pre>
      {seed.networkConfig !== null && <pre className="mono">{seed.networkConfig}</pre>}
    </details>
  );
}
