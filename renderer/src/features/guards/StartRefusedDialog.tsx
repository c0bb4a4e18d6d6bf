import type { HostId } from '../../../../shared/model/host';
import { useApi } from '../../api/ApiProvider';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useT } from '../../i18n/I18nProvider';
import { openDomainDialog, type VmRef } from '../../stores/ui';
import { runDomainAction } from '../domains/commands';

/**
 * Start was asked for VMs that would not start: each one's reason (hugepages). When others were
 * selected too, the button starts only those; otherwise it lets the user try anyway, and
 * libvirt's own error is reported as for any failed Start.
 */
export function StartRefusedDialog({ hostId, targets, refused }: { hostId: HostId; targets: VmRef[]; refused: { uuid: string; name: string; reason: string }[] }) {
  const t = useT();
  const api = useApi();
  const others = targets.filter((v) => !refused.some((r) => r.uuid === v.uuid));
  return (
    <ConfirmDialog
      title={t('guards.hugepages.title')}
      message={t('guards.hugepages.message')}
      confirmLabel={others.length > 0 ? t('guards.hugepages.startOthers') : t('guards.hugepages.startAnyway')}
      danger={others.length === 0}
      onCancel={() => openDomainDialog(null)}
      onConfirm={() => {
        openDomainDialog(null);
        void runDomainAction(api, hostId, others.length > 0 ? others : targets, 'start');
      }}
    >
      <ul className="warning" data-testid="start-refused">
        {refused.map((r) => (
          <li key={r.uuid}>{t('guards.hugepages.line', { name: r.name, reason: r.reason })}</li>
        ))}
      </ul>
      <p className="hint">{t('guards.hugepages.hint')}</p>
    </ConfirmDialog>
  );
}
