import { useId, useState, type FormEvent } from 'react';
import type { SshAuth } from '../../../../shared/model/host';
import { useApi } from '../../api/ApiProvider';
import { ErrorText } from '../../components/ErrorText';
import { Modal } from '../../components/Modal';
import { useT } from '../../i18n/I18nProvider';
import { formatError, toErrorShape } from '../../lib/format-error';
import { useBackendStore } from '../../stores/backend';
import { upsertHost, useHostsStore } from '../../stores/hosts';
import { openConnectionDialog, selectHostId, type ConnectionDialog as DialogState } from '../../stores/ui';
import type { AppErrorShape } from '../../../../shared/errors';
import {
  emptyForm,
  formFromConfig,
  hasErrors,
  isLocalUri,
  isSshUri,
  toConnectionInput,
  uriExamples,
  validateForm,
  type ConnectionForm,
  type FormField,
} from './connection-form';

const authMethods: readonly SshAuth[] = ['agent', 'key', 'password'];

export function ConnectionDialog({ dialog }: { dialog: DialogState }) {
  const t = useT();
  const api = useApi();
  const editing = useHostsStore((s) =>
    dialog.kind === 'edit' ? s.hosts.find((h) => h.config.id === dialog.hostId) : undefined,
  );
  const localVirsh = useBackendStore((s) => s.info?.localVirsh ?? true);
  const [form, setForm] = useState<ConnectionForm>(() => (editing ? formFromConfig(editing.config) : emptyForm));
  // Errors appear per field once it was left or a save was attempted, not while typing the first time.
  const [touched, setTouched] = useState<Partial<Record<FormField, true>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<AppErrorShape | null>(null);
  const ids = useId();

  const errors = validateForm(form);
  const ssh = isSshUri(form.uri);
  const close = () => openConnectionDialog(null);
  const set = <K extends keyof ConnectionForm>(key: K, value: ConnectionForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const shownError = (field: FormField) => ((submitted || touched[field]) && errors[field] ? errors[field] : undefined);
  const touch = (field: FormField) => () => setTouched((s) => ({ ...s, [field]: true }));

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    if (hasErrors(errors) || saving) return;
    setSaving(true);
    setSaveError(null);
    try {
      const saved = await api.request('hosts.save', { connection: toConnectionInput(form) });
      upsertHost(saved);
      selectHostId(saved.config.id);
      close();
    } catch (err) {
      setSaveError(toErrorShape(err));
      setSaving(false);
    }
  }

  const field = (name: FormField) => ({
    id: `${ids}-${name}`,
    'aria-invalid': shownError(name) ? true : undefined,
    'aria-describedby': shownError(name) ? `${ids}-${name}-error` : undefined,
    onBlur: touch(name),
  });
  const fieldError = (name: FormField) => {
    const key = shownError(name);
    return key ? (
      <div className="field-error" id={`${ids}-${name}-error`} data-testid={`conn-${name}-error`}>
        {t(key)}
      </div>
    ) : null;
  };

  return (
    <Modal title={t(dialog.kind === 'add' ? 'conn.addTitle' : 'conn.editTitle')} onCancel={close} testId="connection-dialog">
      <form className="form" onSubmit={onSubmit} noValidate>
        <label htmlFor={`${ids}-name`}>{t('conn.name')}</label>
        <input
          {...field('name')}
          data-testid="conn-name"
          data-autofocus
          value={form.name}
          maxLength={200}
          onChange={(e) => set('name', e.target.value)}
        />
        {fieldError('name')}

        <label htmlFor={`${ids}-uri`}>{t('conn.uri')}</label>
        <input
          {...field('uri')}
          data-testid="conn-uri"
          className="mono"
          value={form.uri}
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          placeholder="qemu:///system"
          onChange={(e) => set('uri', e.target.value)}
        />
        {fieldError('uri')}
        <div className="hint">
          {t('conn.uriExamples')}{' '}
          {uriExamples.map((ex) => (
            <button type="button" key={ex} className="link mono" onClick={() => set('uri', ex)}>
              {ex}
            </button>
          ))}
        </div>
        {!localVirsh && isLocalUri(form.uri) && <div className="warning">{t('conn.localVirshMissing')}</div>}

        {ssh && (
          <fieldset className="ssh-fields">
            <legend>{t('conn.sshSection')}</legend>
            <label htmlFor={`${ids}-auth`}>{t('conn.auth')}</label>
            <select
              id={`${ids}-auth`}
              data-testid="conn-auth"
              value={form.auth}
              onChange={(e) => set('auth', e.target.value as SshAuth)}
            >
              {authMethods.map((m) => (
                <option key={m} value={m}>
                  {t(`conn.auth.${m}`)}
                </option>
              ))}
            </select>

            {form.auth === 'key' && (
              <>
                <label htmlFor={`${ids}-keyFile`}>{t('conn.keyFile')}</label>
                <input
                  {...field('keyFile')}
                  data-testid="conn-keyfile"
                  className="mono"
                  value={form.keyFile}
                  spellCheck={false}
                  placeholder="~/.ssh/id_ed25519"
                  onChange={(e) => set('keyFile', e.target.value)}
                />
                {fieldError('keyFile')}
              </>
            )}

            <label htmlFor={`${ids}-proxyJump`}>{t('conn.proxyJump')}</label>
            <input
              {...field('proxyJump')}
              data-testid="conn-proxyjump"
              className="mono"
              value={form.proxyJump}
              spellCheck={false}
              placeholder="user@bastion:22"
              onChange={(e) => set('proxyJump', e.target.value)}
            />
            <div className="hint">{t('conn.proxyJumpHint')}</div>
            {fieldError('proxyJump')}
          </fieldset>
        )}

        <label className="checkbox">
          <input
            type="checkbox"
            data-testid="conn-autoconnect"
            checked={form.autoconnect}
            onChange={(e) => set('autoconnect', e.target.checked)}
          />
          {t('conn.autoconnect')}
        </label>

        <label className="checkbox">
          <input type="checkbox" data-testid="conn-sudo" checked={form.sudo} onChange={(e) => set('sudo', e.target.checked)} />
          {t('conn.sudo')}
        </label>
        <div className="hint">{t('conn.sudoHint')}</div>

        {saveError && (
          <ErrorText testId="conn-save-error">{t('conn.saveFailed', { message: formatError(t, saveError) })}</ErrorText>
        )}

        <div className="modal-buttons">
          <button type="button" data-testid="conn-cancel" onClick={close}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" data-testid="conn-save" disabled={saving}>
            {saving ? t('common.saving') : t('common.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
