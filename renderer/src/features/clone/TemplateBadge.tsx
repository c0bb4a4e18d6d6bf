import type { HostId } from '../../../../shared/model/host';
import { useT } from '../../i18n/I18nProvider';
import { useTemplateStore } from './template-store';

/** "template" next to a VM's name in the list (subscribes to its own flag only). */
export function TemplateBadge({ hostId, uuid, name }: { hostId: HostId; uuid: string; name: string }) {
  const t = useT();
  const on = useTemplateStore((s) => (s.byHost[hostId] ?? []).includes(uuid));
  return on ? (
    <span className="badge" data-testid={`vm-template-${name}`}>
      {t('clone.template')}
    </span>
  ) : null;
}
