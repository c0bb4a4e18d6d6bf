/** The context menu's clone and template entries for one selected VM. */
import type { Domain } from '../../../../shared/model/domain';
import type { HostId } from '../../../../shared/model/host';
import { useT } from '../../i18n/I18nProvider';
import { openDomainDialog } from '../../stores/ui';
import { selectTemplates, useTemplateStore } from './template-store';

export function CloneMenuItems({ hostId, selected, ready }: { hostId: HostId; selected: readonly Domain[]; ready: boolean }) {
  const t = useT();
  const templates = useTemplateStore(selectTemplates(hostId));
  const vm = selected.length === 1 ? selected[0]! : null;
  const template = vm !== null && templates.includes(vm.uuid);
  const item = (id: string, label: string, onClick: () => void, enabled = true) => (
    <button type="button" role="menuitem" tabIndex={-1} data-testid={`vm-menu-${id}`} disabled={!ready || vm === null || !enabled} onClick={onClick}>
      <span>{label}</span>
    </button>
  );
  const ref = vm ? { uuid: vm.uuid, name: vm.name } : null;
  return (
    <>
      <div className="menu-sep" role="separator" />
      {template
        ? item('fromtemplate', t('clone.menu.fromTemplate'), () => ref && openDomainDialog({ kind: 'clone', hostId, vm: ref, fromTemplate: true }))
        : item('clone', t('clone.menu.clone'), () => ref && openDomainDialog({ kind: 'clone', hostId, vm: ref }), vm !== null && vm.persistent)}
      {item(template ? 'unmarktemplate' : 'marktemplate', t(template ? 'clone.menu.unmarkTemplate' : 'clone.menu.markTemplate'), () => ref && openDomainDialog({ kind: 'template', hostId, vm: ref, template: !template }), vm !== null && vm.persistent)}
    </>
  );
}
