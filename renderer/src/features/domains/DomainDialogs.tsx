import type { DomainAction } from '../../../../shared/model/domain';
import { useApi } from '../../api/ApiProvider';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CommandPreview } from '../activity/CommandPreview';
import { useT } from '../../i18n/I18nProvider';
import type { MessageKey, PlainMessageKey } from '../../i18n/translate';
import { quotedList } from '../../lib/format-list';
import { dismiss } from '../../stores/notifications';
import { openDomainDialog, useUiStore } from '../../stores/ui';
import { runDomainAction } from './commands';
import { CommandDialog } from './CommandDialog';
import { DeleteDialog } from './DeleteDialog';
import { PathDialog } from './PathDialog';
import { CloneDialog } from '../clone/CloneDialog';
import { StartTemplateDialog, TemplateMarkDialog } from '../clone/TemplateDialogs';
import { MigrateDialog } from '../migration/MigrateDialog';
import { StartRefusedDialog } from '../guards/StartRefusedDialog';

/** Title and question of each confirmed command; the question names the VMs. */
const confirmTexts: Partial<Record<DomainAction, { title: PlainMessageKey; message: MessageKey & `confirm.${string}` }>> = {
  destroy: { title: 'action.destroy', message: 'confirm.destroy' },
  reset: { title: 'action.reset', message: 'confirm.reset' },
  'managedsave-remove': { title: 'action.managedsave-remove', message: 'confirm.managedsave-remove' },
};

/** Whichever VM dialog is open (at most one), rendered outside the virtualised list so scrolling cannot unmount it. */
export function DomainDialogs() {
  const t = useT();
  const api = useApi();
  const dialog = useUiStore((s) => s.domainDialog);
  if (!dialog) return null;

  switch (dialog.kind) {
    case 'delete':
      return <DeleteDialog key={dialog.vm.uuid} hostId={dialog.hostId} vm={dialog.vm} />;
    case 'savefile':
      return <PathDialog key={dialog.vm.uuid} kind="savefile" hostId={dialog.hostId} vm={dialog.vm} />;
    case 'restorefile':
      return <PathDialog key="restore" kind="restorefile" hostId={dialog.hostId} />;
    case 'clone':
      return <CloneDialog key={dialog.vm.uuid} hostId={dialog.hostId} vm={dialog.vm} {...(dialog.fromTemplate ? { fromTemplate: true } : {})} />;
    case 'template':
      return <TemplateMarkDialog hostId={dialog.hostId} vm={dialog.vm} template={dialog.template} />;
    case 'startTemplate':
      return <StartTemplateDialog hostId={dialog.hostId} targets={dialog.targets} />;
    case 'startRefused':
      return <StartRefusedDialog hostId={dialog.hostId} targets={dialog.targets} refused={dialog.refused} />;
    case 'migrate':
      return <MigrateDialog key={dialog.vms.map((v) => v.uuid).join()} hostId={dialog.hostId} vms={dialog.vms} running={dialog.running} destHostId={dialog.destHostId} />;
    case 'command':
      return <CommandDialog hostId={dialog.hostId} vms={dialog.vms} {...(dialog.action ? { initial: dialog.action } : {})} />;
    case 'confirm': {
      const command = dialog.command as DomainAction;
      const texts = confirmTexts[command];
      if (!texts) return null;
      const names = quotedList(t, dialog.targets.map((v) => v.name));
      return (
        <ConfirmDialog
          title={t(texts.title)}
          message={t(texts.message, { names })}
          confirmLabel={t(`action.${command}`)}
          danger
          onCancel={() => openDomainDialog(null)}
          onConfirm={() => {
            openDomainDialog(null);
            if (dialog.noticeId !== undefined) dismiss(dialog.noticeId);
            void runDomainAction(api, dialog.hostId, dialog.targets, command);
          }}
        >
          {/* The exact lines, one per VM, from the same backend planner that runs them. */}
          <CommandPreview request="domains.action" args={{ hostId: dialog.hostId, uuids: dialog.targets.map((v) => v.uuid), action: command }} />
        </ConfirmDialog>
      );
    }
  }
}
