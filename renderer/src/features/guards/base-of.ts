import type { BaseOf } from '../../../../shared/model/domain';
import type { Translate } from '../../i18n/translate';

/** “VM “b” (vdb), volume “/p/o.qcow2””: who is built on a file, for the delete dialogs. */
export function baseOfUsers(t: Translate, b: BaseOf): string {
  return [...b.vms.map((v) => t('guards.baseOfVm', { name: v.name, target: v.target })), ...b.overlays.map((path) => t('guards.baseOfVolume', { path }))].join(t('list.separator'));
}
