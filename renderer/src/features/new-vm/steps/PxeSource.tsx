/**
 * Source "Network boot (PXE)": the VM's install phase boots from the network chosen on the
 * Network step. Says when that libvirt network has no <tftp>/<bootp> (newvm.networkBoot), and can
 * make an isolated network with TFTP from a folder of the host (newvm.createPxeNetwork, with its
 * virsh commands shown first), which then becomes the VM's network.
 */
import { useEffect, useState } from 'react';
import type { AppErrorShape } from '../../../../../shared/errors';
import { useApi } from '../../../api/ApiProvider';
import { ErrorText } from '../../../components/ErrorText';
import { useT } from '../../../i18n/I18nProvider';
import { formatError, toErrorShape } from '../../../lib/format-error';
import { CommandPreview } from '../../activity/CommandPreview';
import type { Draft } from '../draft';
import { updateDraft } from '../wizard-store';

export function PxeSource({ draft }: { draft: Draft }) {
  const t = useT();
  const api = useApi();
  const [note, setNote] = useState<string | null>(null);
  const [name, setName] = useState('pxe');
  const [root, setRoot] = useState('/srv/tftp');
  const [bootFile, setBootFile] = useState('pxelinux.0');
  const [address, setAddress] = useState('192.168.213.1');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const network = draft.netKind === 'network' ? draft.network : '';

  useEffect(() => {
    setNote(null);
    if (!network) return;
    let current = true;
    api.request('newvm.networkBoot', { hostId: draft.hostId, network }).then(
      (r) => current && setNote(r.note),
      () => undefined, // a network that vanished is the plan's problem to report
    );
    return () => {
      current = false;
    };
  }, [api, draft.hostId, network]);

  const args = { hostId: draft.hostId, name: name.trim(), tftpRoot: root.trim(), bootFile: bootFile.trim(), address: address.trim() };
  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.request('newvm.createPxeNetwork', args);
      updateDraft({ netKind: 'network', network: r.name });
      setCreated(r.name); // the backend's networks.changed refetches the capabilities (network list)
    } catch (e) {
      setError(toErrorShape(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <fieldset className="newvm-media" data-testid="newvm-pxe">
      <p className="hint">{t('newvm.pxe.note')}</p>
      {note && <p className="warning" data-testid="newvm-pxe-note">{t('newvm.pxe.networkNote', { network, note })}</p>}
      <details>
        <summary>{t('newvm.pxe.make')}</summary>
        <div className="form-row">
          <label>
            {t('newvm.pxe.name')}
            <input value={name} onChange={(e) => setName(e.target.value)} spellCheck={false} data-testid="newvm-pxe-name" />
          </label>
          <label className="grow">
            {t('newvm.pxe.root')}
            <input className="mono" value={root} onChange={(e) => setRoot(e.target.value)} spellCheck={false} data-testid="newvm-pxe-root" />
          </label>
        </div>
        <div className="form-row">
          <label>
            {t('newvm.pxe.bootFile')}
            <input className="mono" value={bootFile} onChange={(e) => setBootFile(e.target.value)} spellCheck={false} data-testid="newvm-pxe-bootfile" />
          </label>
          <label>
            {t('newvm.pxe.address')}
            <input className="mono" value={address} onChange={(e) => setAddress(e.target.value)} spellCheck={false} data-testid="newvm-pxe-address" />
          </label>
        </div>
        <CommandPreview request="newvm.createPxeNetwork" args={args.name && args.tftpRoot ? args : null} />
        <div className="form-buttons">
          <button type="button" onClick={() => void create()} disabled={busy || !args.name || !args.tftpRoot} data-testid="newvm-pxe-create">
            {t('newvm.pxe.create')}
          </button>
        </div>
        {created && <p className="hint">{t('newvm.pxe.created', { network: created })}</p>}
        {error && <ErrorText testId="newvm-pxe-error">{formatError(t, error)}</ErrorText>}
      </details>
    </fieldset>
  );
}
