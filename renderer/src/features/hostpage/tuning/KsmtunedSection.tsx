import { useState } from 'react';
import type { KsmtunedKey, KsmtunedState, RootRights } from '../../../../../shared/model/tuning-memory';
import { useApi } from '../../../api/ApiProvider';
import { useT } from '../../../i18n/I18nProvider';
import { formatKiB } from '../../../lib/units';
import { ActionDialog } from '../../activity/ActionDialog';
import { NeedsRootNote } from './RootRightsNote';

/** ksmtuned: installed and running, its settings explained and editable, and its formula computed on live figures. */
export function KsmtunedSection({ hostId, tuned, rights, onChanged }: { hostId: string; tuned: KsmtunedState; rights: RootRights; onChanged: () => void }) {
  const t = useT();
  const api = useApi();
  const [edit, setEdit] = useState<Partial<Record<KsmtunedKey, string>>>({});
  const [open, setOpen] = useState(false);
  const f = tuned.formula;
  // Empty → commented out (ksmtuned's default); a number → set; anything else → not valid yet.
  const values: Partial<Record<KsmtunedKey, number | null>> = {};
  let valid = true;
  for (const s of tuned.settings) {
    const v = edit[s.key];
    if (v === undefined) continue;
    if (v.trim() === '') {
      if (s.value !== null) values[s.key] = null;
    } else if (/^-?\d+$/.test(v.trim())) {
      if (Number(v) !== s.value) values[s.key] = Number(v);
    } else valid = false;
  }
  const changed = valid && Object.keys(values).length > 0;

  return (
    <section className="tuning-section" data-testid="tuning-ksmtuned">
      <h3>{t('tuning.ksmtuned.title')}</h3>
      {!tuned.installed ? (
        <p className="muted">{t('tuning.ksmtuned.notInstalled')}</p>
      ) : (
        <>
          <p data-testid="ksmtuned-status" data-running={tuned.running}>
            {t('tuning.ksmtuned.status', { running: t(tuned.running ? 'tuning.ksmtuned.running' : 'tuning.ksmtuned.stopped'), path: tuned.configPath })}
          </p>
          {!tuned.running && <p className="muted">{t('tuning.ksmtuned.startHint', { command: 'systemctl enable --now ksmtuned' })}</p>}
          <table className="device-table" data-testid="ksmtuned-settings">
            <thead><tr><th>{t('tuning.ksmtuned.setting')}</th><th>{t('tuning.ksmtuned.current')}</th><th /></tr></thead>
            <tbody>
              {tuned.settings.map((s) => (
                <tr key={s.key}>
                  <td className="mono">{s.key}</td>
                  <td>
                    <input
                      data-testid={`ksmtuned-${s.key}`}
                      size={9}
                      inputMode="numeric"
                      placeholder={t('tuning.ksmtuned.default', { value: s.defaultValue })}
                      value={edit[s.key] ?? (s.value === null ? '' : String(s.value))}
                      onChange={(e) => setEdit({ ...edit, [s.key]: e.target.value })}
                    />
                  </td>
                  <td className="muted">{t(`tuning.ksmtuned.help.${s.key}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="toolbar">
            <button type="button" data-testid="ksmtuned-save" disabled={!changed} onClick={() => setOpen(true)}>{t('tuning.ksmtuned.save')}</button>
          </div>
        </>
      )}
      <div className="tuning-formula" data-testid="ksmtuned-formula" data-would-merge={f.wouldMerge}>
        <strong>{t('tuning.formula.title')}</strong>
        <div className="mono">{t('tuning.formula.thres', { total: formatKiB(f.totalKiB), coef: f.coef, const: formatKiB(f.constKiB), thres: formatKiB(f.thresKiB) })}</div>
        <div className="mono">{t('tuning.formula.committed', { committed: formatKiB(f.committedKiB), counted: f.countedProcesses, qemu: f.qemuProcesses, qemuRss: formatKiB(f.qemuRssKiB) })}</div>
        <div className="mono">{t('tuning.formula.compare', { sum: formatKiB(f.committedKiB + f.thresKiB), total: formatKiB(f.totalKiB), free: formatKiB(f.freeKiB) })}</div>
        <div>{f.wouldMerge ? `${t('tuning.formula.merge')}${f.wouldBoost ? ` ${t('tuning.formula.boost')}` : ''}` : t('tuning.formula.idle')}</div>
        {f.qemuProcesses > f.countedProcesses && <div className="warn-text">{t('tuning.formula.pattern', { n: f.qemuProcesses - f.countedProcesses })}</div>}
      </div>
      {open && (
        <ActionDialog
          title={t('tuning.ksmtuned.saveTitle')}
          request="tuning.ksmtuned.config"
          args={{ hostId, values }}
          confirmLabel={t('tuning.ksmtuned.save')}
          testId="ksmtuned-dialog"
          previewOpen
          onRun={async (args) => {
            await api.request('tuning.ksmtuned.config', args);
            setEdit({});
            onChanged();
          }}
          onClose={() => setOpen(false)}
        >
          <NeedsRootNote rights={rights} />
          {tuned.running && <p className="muted">{t('tuning.ksmtuned.restartNote')}</p>}
        </ActionDialog>
      )}
    </section>
  );
}
