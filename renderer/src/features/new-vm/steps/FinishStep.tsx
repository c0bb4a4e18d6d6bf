/**
 * Step 6: name, machine and firmware (asked per machine type: pc and q35 offer different
 * firmware), autostart, the console, "customize before install" — and what will happen: the
 * generated XML, the exact virsh commands, and the equivalent virt-install line.
 */
import { useEffect } from 'react';
import type { NewVmCapabilities } from '../../../../../shared/model/newvm';
import { useT } from '../../../i18n/I18nProvider';
import type { Draft } from '../draft';
import type { OsDefaultsResult } from '../use-wizard-data';
import { updateDraft } from '../wizard-store';
import type { PlanState } from '../use-plan';
import { PlanView } from './PlanView';
import { SeedView } from './CloudInitStep';
import { useHostsStore } from '../../../stores/hosts';
import { effectiveMachine } from '../wizard-rules';

interface Props {
  draft: Draft;
  caps: NewVmCapabilities;
  os: OsDefaultsResult | null;
  plan: PlanState & { key: string };
  specReady: boolean;
}

export function FinishStep({ draft, caps, os, plan, specReady }: Props) {
  const t = useT();
  const machine = effectiveMachine(caps, draft, os);
  const efi = machine?.firmware.includes('efi') ?? false;
  const hostName = useHostsStore((s) => s.hosts.find((h) => h.config.id === draft.hostId)?.config.name);

  // UEFI only where this machine has a firmware for it.
  useEffect(() => {
    if (draft.firmware === 'efi' && machine && !efi) updateDraft({ firmware: 'bios', secureBoot: false });
  }, [draft.firmware, machine, efi]);

  return (
    <div className="form" data-testid="newvm-step-finish">
      <label>
        {t('newvm.finish.name')}
        <input value={draft.name} onChange={(e) => updateDraft({ name: e.target.value })} spellCheck={false} autoFocus data-testid="newvm-name" />
      </label>
      <p className="hint">{t('newvm.finish.nameHint')}</p>
      <div className="form-row">
        <label>
          {t('newvm.finish.machine')}
          <select value={draft.machine} onChange={(e) => updateDraft({ machine: e.target.value })} data-testid="newvm-machine">
            <option value="">{t('newvm.finish.machineAuto', { machine: effectiveMachine(caps, { ...draft, machine: '' }, os)?.name ?? '?' })}</option>
            {caps.machines.map((m) => (
              <option key={m.name} value={m.name}>
                {m.name}
                {m.canonical ? ` (${m.canonical})` : ''}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('newvm.finish.firmware')}
          <select value={draft.firmware} onChange={(e) => updateDraft({ firmware: e.target.value as 'bios' | 'efi' })} data-testid="newvm-firmware">
            <option value="bios">BIOS</option>
            <option value="efi" disabled={!efi}>
              UEFI{efi ? '' : ` — ${t('newvm.finish.noEfi')}`}
            </option>
          </select>
        </label>
        {caps.domainTypes.length > 1 && (
          <label>
            {t('newvm.finish.domainType')}
            <select value={draft.domainType} onChange={(e) => updateDraft({ domainType: e.target.value as Draft['domainType'] })} data-testid="newvm-domain-type">
              <option value="">{t('newvm.finish.domainTypeAuto', { type: caps.defaultDomainType })}</option>
              {caps.domainTypes.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {caps.domainTypes.length === 1 && caps.defaultDomainType === 'qemu' && <p className="hint">{t('newvm.finish.tcg')}</p>}
      {!efi && machine && <p className="hint">{t('newvm.finish.efiMissing', { machine: machine.name })}</p>}
      {draft.firmware === 'efi' && (
        <>
          <label className="checkbox">
            <input type="checkbox" checked={draft.secureBoot} disabled={!machine?.secureBootOn && !draft.secureBoot} onChange={(e) => updateDraft({ secureBoot: e.target.checked })} data-testid="newvm-secureboot" />
            {t('newvm.finish.secureBoot')}
          </label>
          <p className="hint">{draft.secureBoot ? t('newvm.finish.secureBootOn') : t('newvm.finish.secureBootOff')}</p>
          {!draft.secureBoot && machine && !machine.secureBootOff && <p className="warning">{t('newvm.finish.noSbOff')}</p>}
          <p className="hint">{t('newvm.finish.tpm')}</p>
        </>
      )}
      <label className="checkbox">
        <input type="checkbox" checked={draft.autostart} onChange={(e) => updateDraft({ autostart: e.target.checked })} data-testid="newvm-autostart" />
        {t('newvm.finish.autostart')}
      </label>
      <label>
        {t('newvm.finish.console')}
        <select value={draft.openConsole} onChange={(e) => updateDraft({ openConsole: e.target.value as Draft['openConsole'] })} data-testid="newvm-console">
          <option value="vnc">{t('newvm.finish.consoleVnc')}</option>
          <option value="serial">{t('newvm.finish.consoleSerial')}</option>
          <option value="none">{t('newvm.finish.consoleNone')}</option>
        </select>
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={draft.customize} onChange={(e) => updateDraft({ customize: e.target.checked })} data-testid="newvm-customize" />
        {t('newvm.finish.customize')}
      </label>
      <p className="hint">{t('newvm.finish.customizeHint')}</p>
      {plan.plan?.seed && <SeedView seed={plan.plan.seed} hostName={hostName ?? draft.hostId} />}
      <PlanView draft={draft} plan={plan} specReady={specReady} />
    </div>
  );
}
