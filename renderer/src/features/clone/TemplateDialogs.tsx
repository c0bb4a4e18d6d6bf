/** Marking a template (a redefine, shown first) and the question before a template starts. */
import { useState } from 'react';
import type { HostId } from '../../../../shared/model/host';
import { useApi } from '../../api/ApiProvider';
import { startWithChecks } from '../guards/start-check';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useT } from '../../i18n/I18nProvider';
import { quotedList } from '../../lib/format-list';
import { openDomainDialog, type VmRef } from '../../stores/ui';
import { ActionDialog } from '../activity/ActionDialog';
import { CommandPreview } from '../activity/CommandPreview';
import { CheckField } from '../details/hardware/fields';
import { runDomainAction } from '../domains/commands';
import { refreshTemplates } from './template-store';

export function TemplateMarkDialog({ hostId, vm, template }: { hostId: HostId; vm: VmRef; template: boolean }) {
  const t = useT();
  const api = useApi();
  const [force, setForce] = useState(false);
  const label = t(template ? 'clone.menu.markTemplate' : 'clone.menu.unmarkTemplate');
  return (
    <ActionDialog
      title={`${label}: ${vm.name}`}
      request="templates.set"
      args={{ hostId, uuid: vm.uuid, template, force }}
      confirmLabel={label}
      testId="template-dialog"
      onRun={async (a) => {
        await api.request('templates.set', a);
        await refreshTemplates(api, hostId);
      }}
      onClose={() => openDomainDialog(null)}
    >
      {!template && <CheckField label={t('clone.unmarkForce')} checked={force} onChange={setForce} testId="template-force" />}
    </ActionDialog>
  );
}

export function StartTemplateDialog({ hostId, targets }: { hostId: HostId; targets: VmRef[] }) {
  const t = useT();
  const api = useApi();
  return (
    <ConfirmDialog
      title={t('clone.startTemplate.title')}
      message={t('clone.startTemplate.message', { names: quotedList(t, targets.map((v) => v.name)) })}
      confirmLabel={t('clone.startTemplate.run')}
      danger
      onCancel={() => openDomainDialog(null)}
      onConfirm={() => {
        openDomainDialog(null);
        void startWithChecks(api, hostId, targets, (vms) => void runDomainAction(api, hostId, vms, 'start'));
      }}
    >
      <CommandPreview request="domains.action" args={{ hostId, uuids: targets.map((v) => v.uuid), action: 'start' }} />
    </ConfirmDialog>
  );
}
