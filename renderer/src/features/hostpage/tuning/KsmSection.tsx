import { useState } from 'react';
import type { KsmSettings } from '../../../../../shared/api/tuning-memory';
import type { KsmState, RootRights } from '../../../../../shared/model/tuning-memory';
import { useApi } from '../../../api/ApiProvider';
import { useT } from '../../../i18n/I18nProvider';
import type { PlainMessageKey } from '../../../i18n/translate';
import { formatKiB } from '../../../lib/units';
import { ActionDialog } from '../../activity/ActionDialog';
import { KSM_FILE_HELP } from './ksm-files';
import { NeedsRootNote } from './RootRightsNote';

type Change = Omit<KsmSettings, 'hostId'>;
const RUN_LABEL: Record<number, PlainMessageKey> = { 0: 'tuning.ksm.run.0', 1: 'tuning.ksm.run.1', 2: 'tuning.ksm.run.2' };

/** KSM: its state and memory saved, on / off / unmerge, the scan settings, and every sysfs file it has. */
export function KsmSection({ hostId, ksm, rights, onChanged }: { hostId: string; ksm: KsmState; rights: RootRights; onChanged: () => void }) {
  const t = useT();
  const api = useApi();
  const [dialog, setDialog] = useState<{ title: string; change: Change; needsRoot: boolean } | null>(null);
  const value = (name: string) => ksm.files.find((f) => f.name === name)?.value ?? '';
  const [scan, setScan] = useState({ pagesToScan: value('pages_to_scan'), sleepMillisecs: value('sleep_millisecs'), mergeAcrossNodes: value('merge_across_nodes') });
  if (!ksm.available) return <section className="tuning-section" data-testid="tuning-ksm"><h3>{t('tuning.ksm.title')}</h3><p className="muted">{t('tuning.ksm.unavailable')}</p></section>;

  const runButton = (run: 0 | 1 | 2, label: PlainMessageKey, title: PlainMessageKey) => (
    <button type="button" data-testid={`ksm-run-${run}`} disabled={ksm.run === run} onClick={() => setDialog({ title: t(title), change: { run }, needsRoot: true })}>
      {t(label)}
    </button>
  );
  const scanChange = (): Change | null => {
    const n = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s) : null);
    const [p, s, m] = [n(scan.pagesToScan), n(scan.sleepMillisecs), n(scan.mergeAcrossNodes)];
    if (p === null || s === null || (m !== 0 && m !== 1 && ksm.files.some((f) => f.name === 'merge_across_nodes'))) return null;
    const c: Change = {};
    if (String(p) !== value('pages_to_scan')) c.pagesToScan = p;
    if (String(s) !== value('sleep_millisecs')) c.sleepMillisecs = s;
    if ((m === 0 || m === 1) && String(m) !== value('merge_across_nodes')) c.mergeAcrossNodes = m;
    return Object.keys(c).length ? c : null;
  };
  const pending = scanChange();

  return (
    <section className="tuning-section" data-testid="tuning-ksm">
      <h3>{t('tuning.ksm.title')}</h3>
      <dl className="host-facts">
        <dt>{t('tuning.ksm.state')}</dt>
        <dd data-testid="ksm-state" data-run={ksm.run ?? ''}>{ksm.run !== null && RUN_LABEL[ksm.run] ? t(RUN_LABEL[ksm.run]!) : value('run')}</dd>
        <dt>{t('tuning.ksm.saved')}</dt>
        <dd data-testid="ksm-saved">{ksm.savedBytes === null ? '—' : t('tuning.ksm.savedText', { saved: formatKiB(ksm.savedBytes / 1024), page: ksm.pageSizeBytes })}</dd>
      </dl>
      <div className="toolbar">
        {runButton(1, 'tuning.ksm.turnOn', 'tuning.ksm.turnOnTitle')}
        {runButton(0, 'tuning.ksm.turnOff', 'tuning.ksm.turnOffTitle')}
        {runButton(2, 'tuning.ksm.unmerge', 'tuning.ksm.unmergeTitle')}
      </div>
      <p className="muted">{t('tuning.ksm.runNote')}</p>
      <form
        className="tuning-inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (pending) setDialog({ title: t('tuning.ksm.applyTitle'), change: pending, needsRoot: false });
        }}
      >
        <strong>{t('tuning.ksm.scan')}</strong>
        <label>pages_to_scan <input data-testid="ksm-pages-to-scan" inputMode="numeric" size={7} value={scan.pagesToScan} onChange={(e) => setScan({ ...scan, pagesToScan: e.target.value })} /></label>
        <label>sleep_millisecs <input data-testid="ksm-sleep-millisecs" inputMode="numeric" size={7} value={scan.sleepMillisecs} onChange={(e) => setScan({ ...scan, sleepMillisecs: e.target.value })} /></label>
        {ksm.files.some((f) => f.name === 'merge_across_nodes') && (
          <label>merge_across_nodes{' '}
            <select data-testid="ksm-merge-across-nodes" value={scan.mergeAcrossNodes} onChange={(e) => setScan({ ...scan, mergeAcrossNodes: e.target.value })}>
              <option value="1">1</option>
              <option value="0">0</option>
            </select>
          </label>
        )}
        <button type="submit" data-testid="ksm-apply" disabled={!pending}>{t('tuning.ksm.apply')}</button>
      </form>
      <details>
        <summary>{t('tuning.ksm.files')}</summary>
        <table className="device-table" data-testid="ksm-files">
          <thead><tr><th>{t('tuning.ksm.file')}</th><th>{t('tuning.ksm.value')}</th><th>{t('tuning.ksm.meaning')}</th></tr></thead>
          <tbody>
            {ksm.files.map((f) => (
              <tr key={f.name} data-testid={`ksm-file-${f.name}`}>
                <td className="mono">{f.name}</td>
                <td className="mono">{f.value}</td>
                <td className="muted">{KSM_FILE_HELP[f.name] ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <p className="muted" data-testid="ksm-advice">{t('tuning.ksm.advice')}</p>
      {dialog && (
        <ActionDialog
          title={dialog.title}
          request="tuning.ksm.set"
          args={{ hostId, ...dialog.change }}
          confirmLabel={dialog.title}
          testId="ksm-dialog"
          previewOpen={dialog.needsRoot && !rights.root && !rights.sudo}
          onRun={async (args) => {
            await api.request('tuning.ksm.set', args);
            onChanged();
          }}
          onClose={() => setDialog(null)}
        >
          {dialog.needsRoot && <NeedsRootNote rights={rights} />}
        </ActionDialog>
      )}
    </section>
  );
}
