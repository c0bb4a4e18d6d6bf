/**
 * What Create will do, from the backend's plan: problems that block it, the generated XML (the
 * install configuration and the one kept after installation), the exact virsh commands, and the
 * equivalent virt-install line to learn and script from.
 */
import { useState } from 'react';
import { CodeEditor } from '../../../components/CodeEditor';
import { ErrorText } from '../../../components/ErrorText';
import { useT } from '../../../i18n/I18nProvider';
import { formatError } from '../../../lib/format-error';
import { CommandPreview } from '../../activity/CommandPreview';
import { toSpec, type Draft } from '../draft';
import { stepOfField } from '../wizard-rules';
import type { PlanState } from '../use-plan';
import { updateDraft } from '../wizard-store';

export function PlanView({ draft, plan, specReady }: { draft: Draft; plan: PlanState & { key: string }; specReady: boolean }) {
  const t = useT();
  const [xmlTab, setXmlTab] = useState<'install' | 'final'>('install');
  const spec = toSpec(draft);
  const p = plan.forKey === plan.key ? plan.plan : null;
  if (!specReady) return <p className="hint">{t('newvm.plan.incomplete')}</p>;
  return (
    <section className="newvm-plan" data-testid="newvm-plan" aria-busy={plan.loading}>
      {plan.error && plan.forKey === plan.key && <ErrorText testId="newvm-plan-error">{formatError(t, plan.error)}</ErrorText>}
      {!p && !plan.error && <p className="hint">{t('newvm.plan.loading')}</p>}
      {p && p.problems.length > 0 && (
        <ul className="newvm-problems" data-testid="newvm-problems" role="alert">
          {p.problems.map((x, i) => (
            <li key={i}>
              <span className="field-error">{x.message}</span>{' '}
              {stepOfField(x.field) !== 'finish' && (
                <button type="button" className="link" onClick={() => updateDraft({ step: stepOfField(x.field) })}>
                  {t('newvm.plan.goTo', { step: t(`newvm.step.${stepOfField(x.field)}`) })}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {p?.osNote && <p className="warning">{p.osNote}</p>}
      {p?.sourceNotes.map((n) => (
        <p key={n} className="hint" data-testid="newvm-source-note">
          {n}
        </p>
      ))}
      {p && (
        <>
          <h3>{t('newvm.plan.xml')}</h3>
          {p.finalXml !== null && (
            <div className="newvm-xml-tabs" role="tablist">
              {(['install', 'final'] as const).map((k) => (
                <button key={k} type="button" role="tab" aria-selected={xmlTab === k} className={xmlTab === k ? 'tab selected' : 'tab'} onClick={() => setXmlTab(k)} data-testid={`newvm-xml-tab-${k}`}>
                  {t(`newvm.plan.xml.${k}`)}
                </button>
              ))}
            </div>
          )}
          <p className="hint">{p.finalXml === null ? t('newvm.plan.noPhase') : xmlTab === 'install' ? t('newvm.plan.installHint') : t('newvm.plan.finalHint')}</p>
          <CodeEditor value={xmlTab === 'final' && p.finalXml !== null ? p.finalXml : p.xml} readOnly ariaLabel={t('newvm.plan.xml')} testId="newvm-xml" />
          <h3>{t('newvm.plan.virtInstall')}</h3>
          <pre className="command-text newvm-virt-install" data-testid="newvm-virt-install">
            {p.virtInstall}
          </pre>
          <button type="button" className="link" onClick={() => void navigator.clipboard?.writeText(p.virtInstall)}>
            {t('commands.copy')}
          </button>
        </>
      )}
      <CommandPreview request="newvm.create" args={spec ? { hostId: draft.hostId, spec } : null} open />
    </section>
  );
}
