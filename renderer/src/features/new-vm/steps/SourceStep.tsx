/**
 * Step 1: the host (when several are connected) and where the VM starts from: an ISO on the
 * host, an ISO of this computer (uploaded first), an existing disk image, a kernel, or nothing.
 */
import type { NewVmCapabilities } from '../../../../../shared/model/newvm';
import type { Transfer } from '../../../../../shared/model/storage';
import { useT } from '../../../i18n/I18nProvider';
import { useHostsStore } from '../../../stores/hosts';
import type { Draft, SourceKind } from '../draft';
import { MediaPicker } from '../MediaPicker';
import { switchHost, updateDraft } from '../wizard-store';
import { ImportFormat } from './ImportFormat';
import { NetInstallSource } from './NetInstallSource';
import { PxeSource } from './PxeSource';
import { UploadIso } from './UploadIso';
import { CloudInitStep } from './CloudInitStep';

const KINDS: readonly SourceKind[] = ['iso', 'upload', 'import', 'kernel', 'tree', 'pxe', 'cloud', 'manual'];
const isIso = (v: { name: string; format: string | null }) => v.format === 'iso' || /\.iso$/i.test(v.name);

interface Props {
  draft: Draft;
  caps: NewVmCapabilities;
  transfers: readonly Transfer[];
  onTransfer: (t: Transfer) => void;
}

export function HostPicker({ draft }: { draft: Draft }) {
  const t = useT();
  const all = useHostsStore((s) => s.hosts);
  const hosts = all.filter((h) => h.status.state === 'connected').map((h) => ({ id: h.config.id, name: h.config.name, uri: h.config.uri }));
  if (hosts.length < 2 && hosts.some((h) => h.id === draft.hostId)) return null;
  return (
    <label>
      {t('newvm.host')}
      <select value={draft.hostId} onChange={(e) => switchHost(e.target.value)} data-testid="newvm-host">
        {!hosts.some((h) => h.id === draft.hostId) && <option value={draft.hostId}>{t('newvm.hostNone')}</option>}
        {hosts.map((h) => (
          <option key={h.id} value={h.id}>
            {h.name} — {h.uri}
          </option>
        ))}
      </select>
    </label>
  );
}

export function SourceStep({ draft, caps, transfers, onTransfer }: Props) {
  const t = useT();
  const pools = caps.pools;
  const pick = (key: 'iso' | 'importDisk' | 'kernel' | 'initrd' | 'dtb') => ({
    hostId: draft.hostId,
    pools,
    value: draft[key],
    onChange: (m: Draft[typeof key]) => updateDraft({ [key]: m }),
  });
  return (
    <div className="form" data-testid="newvm-step-source">
      <fieldset className="newvm-choice">
        <legend>{t('newvm.source.how')}</legend>
        {KINDS.map((k) => (
          <label key={k} className="checkbox">
            <input type="radio" name="newvm-source" checked={draft.sourceKind === k} onChange={() => updateDraft(sourceDefaults(draft, k))} data-testid={`newvm-source-${k}`} />
            <span>
              {t(`newvm.source.${k}`)} <span className="hint">{t(`newvm.source.${k}Hint`)}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {draft.sourceKind === 'iso' && <MediaPicker {...pick('iso')} label={t('newvm.source.isoFile')} testId="newvm-iso" prefer={isIso} placeholder="/var/lib/libvirt/images/installer.iso" />}
      {draft.sourceKind === 'upload' && <UploadIso draft={draft} pools={pools} transfers={transfers} onStarted={onTransfer} />}
      {draft.sourceKind === 'import' && (
        <>
          <MediaPicker {...pick('importDisk')} label={t('newvm.source.diskImage')} testId="newvm-import" prefer={(v) => !isIso(v)} />
          <ImportFormat draft={draft} value={draft.importFormat} onChange={(f) => updateDraft({ importFormat: f })} media={draft.importDisk} testId="newvm-import-format" />
        </>
      )}
      {draft.sourceKind === 'kernel' && (
        <>
          <MediaPicker {...pick('kernel')} label={t('newvm.source.kernel')} testId="newvm-kernel" placeholder="/var/lib/libvirt/boot/vmlinuz" />
          <MediaPicker {...pick('initrd')} label={t('newvm.source.initrd')} testId="newvm-initrd" optional placeholder="/var/lib/libvirt/boot/initrd.img" />
          <label>
            {t('newvm.source.cmdline')}
            <input className="mono" value={draft.cmdline} onChange={(e) => updateDraft({ cmdline: e.target.value })} placeholder="console=ttyS0 root=/dev/vda1" spellCheck={false} data-testid="newvm-cmdline" />
          </label>
          <MediaPicker {...pick('dtb')} label={t('newvm.source.dtb')} testId="newvm-dtb" optional />
        </>
      )}
      {draft.sourceKind === 'tree' && <NetInstallSource draft={draft} caps={caps} />}
      {draft.sourceKind === 'pxe' && <PxeSource draft={draft} />}
      {draft.sourceKind === 'manual' && <p className="hint">{t('newvm.source.manualNote')}</p>}
      {draft.sourceKind === 'cloud' && <CloudInitStep draft={draft} pools={pools} transfers={transfers} onTransfer={onTransfer} />}
    </div>
  );
}

/** An imported disk is the VM's disk, so by default no other is created; the others create one. */
function sourceDefaults(draft: Draft, kind: SourceKind): Partial<Draft> {
  const storageKind = kind === 'import' ? 'none' : draft.sourceKind === 'import' && draft.storageKind === 'none' ? 'new' : draft.storageKind;
  // A cloud image's disk is a new qcow2 made from the image (an overlay or a copy).
  if (kind === 'cloud') return { sourceKind: kind, storageKind: 'new', diskFormat: 'qcow2' };
  return { sourceKind: kind, storageKind };
}
