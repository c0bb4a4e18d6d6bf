import { useMemo, useState } from 'react';
import type { BuildFormat } from '../../../../shared/api/storage';
import { poolSpecTypes, type PoolSpecType } from '../../../../shared/model/storage';
import { useApi } from '../../api/ApiProvider';
import { useT } from '../../i18n/I18nProvider';
import { ActionDialog } from '../activity/ActionDialog';
import { BUILDABLE, DESTRUCTIVE_BUILD, emptyPoolForm, FORMATTING, poolFields, validatePoolForm, type PoolForm } from './pool-form';

const SELECTS: Partial<Record<keyof PoolForm, readonly string[]>> = {
  fsFormat: ['auto', 'ext2', 'ext3', 'ext4', 'xfs', 'btrfs', 'vfat'],
  diskFormat: ['dos', 'gpt', 'mac', 'bsd', 'pc98', 'sun', 'lvm2'],
  netfsFormat: ['auto', 'nfs', 'cifs', 'glusterfs'],
};
const MULTILINE = new Set<keyof PoolForm>(['devices', 'monitors']);

/** "New storage pool": a form per type (what pool-define-as takes), defined as validated XML. */
export function NewPoolDialog({ hostId, onClose, onCreated }: { hostId: string; onClose: () => void; onCreated: (uuid: string) => void }) {
  const t = useT();
  const api = useApi();
  const [uuid] = useState(() => crypto.randomUUID());
  const [form, setForm] = useState<PoolForm>(emptyPoolForm);
  const [build, setBuild] = useState(true);
  const [buildFormat, setBuildFormat] = useState<BuildFormat>('none');
  const [start, setStart] = useState(true);
  const [autostart, setAutostart] = useState(false);
  const [touched, setTouched] = useState(false);
  const result = useMemo(() => validatePoolForm(form), [form]);
  const buildable = BUILDABLE.has(form.type);
  const args = result.spec ? { hostId, uuid, spec: result.spec, build: buildable && build, buildFormat: FORMATTING.has(form.type) ? buildFormat : ('none' as const), start, autostart } : null;
  const set = (field: keyof PoolForm, value: string) => {
    setTouched(true);
    if (field === 'type') setBuild(!DESTRUCTIVE_BUILD.has(value as PoolSpecType));
    setForm((f) => ({ ...f, [field]: value }));
  };
  const fieldError = (field: keyof PoolForm) => (touched && result.errors?.[field] ? t(`storage.form.${result.errors[field]}`) : null);

  const input = (field: keyof PoolForm) => {
    const id = `pool-form-${field}`;
    const options = SELECTS[field];
    const err = fieldError(field);
    return (
      <div key={field} className="form">
        <label htmlFor={id}>{t(`storage.field.${field}`)}</label>
        {options ? (
          <select id={id} data-testid={id} value={form[field]} onChange={(e) => set(field, e.target.value)}>
            {options.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        ) : MULTILINE.has(field) ? (
          <textarea id={id} data-testid={id} rows={3} value={form[field]} onChange={(e) => set(field, e.target.value)} aria-invalid={err ? true : undefined} />
        ) : (
          <input id={id} data-testid={id} value={form[field]} onChange={(e) => set(field, e.target.value)} aria-invalid={err ? true : undefined} spellCheck={false} />
        )}
        {err && <span className="field-error">{err}</span>}
      </div>
    );
  };

  return (
    <ActionDialog
      title={t('storage.newPoolTitle')}
      testId="pool-dialog"
      request="storage.pools.define"
      args={args}
      confirmLabel={t('storage.create')}
      onRun={async (a) => onCreated((await api.request('storage.pools.define', a)).uuid)}
      onClose={onClose}
    >
      <label htmlFor="pool-form-type">{t('storage.field.type')}</label>
      <select id="pool-form-type" data-testid="pool-form-type" value={form.type} onChange={(e) => set('type', e.target.value)}>
        {poolSpecTypes.map((type) => (
          <option key={type} value={type}>
            {t(`storage.poolType.${type}`)}
          </option>
        ))}
      </select>
      <span className="hint">{t(`storage.poolTypeHint.${form.type}`)}</span>
      {input('name')}
      {poolFields[form.type].map(input)}
      {buildable && (
        <label className="checkbox">
          <input type="checkbox" data-testid="pool-form-build" checked={build} onChange={(e) => setBuild(e.target.checked)} />
          {t('storage.buildFirst')}
        </label>
      )}
      {buildable && build && FORMATTING.has(form.type) && (
        <select data-testid="pool-form-build-format" aria-label={t('storage.buildFormat')} value={buildFormat} onChange={(e) => setBuildFormat(e.target.value as BuildFormat)}>
          <option value="none">{t('storage.buildFormat.none')}</option>
          <option value="if-empty">{t('storage.buildFormat.if-empty')}</option>
          <option value="overwrite">{t('storage.buildFormat.overwrite')}</option>
        </select>
      )}
      <label className="checkbox">
        <input type="checkbox" data-testid="pool-form-start" checked={start} onChange={(e) => setStart(e.target.checked)} />
        {t('storage.startNow')}
      </label>
      <label className="checkbox">
        <input type="checkbox" data-testid="pool-form-autostart" checked={autostart} onChange={(e) => setAutostart(e.target.checked)} />
        {t('storage.autostartOption')}
      </label>
    </ActionDialog>
  );
}
