import { useState } from 'react';
import type { BuildFormat, PoolAction } from '../../../../shared/api/storage';
import type { Pool, PoolSpecType } from '../../../../shared/model/storage';
import { useApi } from '../../api/ApiProvider';
import { useT } from '../../i18n/I18nProvider';
import { ActionDialog } from '../activity/ActionDialog';
import { FORMATTING } from './pool-form';

/** Confirmation of one pool action with its command; a build can also format (fs, disk, logical). */
export function PoolActionDialog({ hostId, pool, action, previewOpen, onClose }: { hostId: string; pool: Pool; action: PoolAction; previewOpen: boolean; onClose: () => void }) {
  const t = useT();
  const api = useApi();
  const [buildFormat, setBuildFormat] = useState<BuildFormat>('none');
  const formats = action === 'build' && FORMATTING.has(pool.type as PoolSpecType);
  return (
    <ActionDialog
      title={t(`storage.poolAction.${action}`)}
      testId="pool-action-dialog"
      request="storage.pools.action"
      args={{ hostId, uuid: pool.uuid, action, buildFormat: formats ? buildFormat : 'none' }}
      confirmLabel={t(`storage.poolAction.${action}`)}
      danger={action === 'delete' || action === 'undefine' || (formats && buildFormat !== 'none')}
      previewOpen={previewOpen}
      onRun={(a) => api.request('storage.pools.action', a)}
      onClose={onClose}
    >
      <p className="confirm-message">{t(`storage.poolConfirm.${action}`, { name: pool.name })}</p>
      {formats && (
        <select data-testid="pool-build-format" aria-label={t('storage.buildFormat')} value={buildFormat} onChange={(e) => setBuildFormat(e.target.value as BuildFormat)}>
          <option value="none">{t('storage.buildFormat.none')}</option>
          <option value="if-empty">{t('storage.buildFormat.if-empty')}</option>
          <option value="overwrite">{t('storage.buildFormat.overwrite')}</option>
        </select>
      )}
    </ActionDialog>
  );
}
