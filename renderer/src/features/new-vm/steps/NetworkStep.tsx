/**
 * Step 5: a virtual network ('default' when it exists), a host bridge, macvtap on an interface,
 * user-mode networking (what qemu:///session and hosts without networks need), or none.
 */
import type { NewVmCapabilities } from '../../../../../shared/model/newvm';
import { useT } from '../../../i18n/I18nProvider';
import { randomMac, type Draft } from '../draft';
import { updateDraft } from '../wizard-store';

const KINDS = ['network', 'bridge', 'direct', 'user', 'none'] as const;

export function NetworkStep({ draft, caps }: { draft: Draft; caps: NewVmCapabilities }) {
  const t = useT();
  const net = caps.networks.find((n) => n.name === draft.network);
  return (
    <div className="form" data-testid="newvm-step-network">
      <fieldset className="newvm-choice">
        <legend>{t('newvm.net.how')}</legend>
        {KINDS.map((k) => (
          <label key={k} className="checkbox">
            <input type="radio" name="newvm-net" checked={draft.netKind === k} onChange={() => updateDraft({ netKind: k })} data-testid={`newvm-net-${k}`} />
            <span>
              {t(`newvm.net.${k}`)} <span className="hint">{t(`newvm.net.${k}Hint`)}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {draft.netKind === 'network' && (
        <label>
          {t('newvm.net.network')}
          <select value={draft.network} onChange={(e) => updateDraft({ network: e.target.value })} data-testid="newvm-network">
            {!net && <option value="">{caps.networks.length ? t('newvm.media.choose') : t('newvm.net.noNetworks')}</option>}
            {caps.networks.map((n) => (
              <option key={n.uuid} value={n.name}>
                {n.name}
                {n.bridge ? ` (${n.bridge})` : ''}
                {n.active ? '' : ` — ${t('newvm.net.inactive')}`}
              </option>
            ))}
          </select>
        </label>
      )}
      {draft.netKind === 'network' && net && !net.active && <p className="warning">{t('newvm.net.inactiveWarning', { name: net.name })}</p>}
      {draft.netKind === 'bridge' && (
        <label>
          {t('newvm.net.bridge')}
          <input list="newvm-bridges" className="mono" value={draft.bridge} onChange={(e) => updateDraft({ bridge: e.target.value })} placeholder="br0" data-testid="newvm-bridge" />
          <datalist id="newvm-bridges">
            {caps.bridges.map((b) => (
              <option key={b} value={b} />
            ))}
          </datalist>
        </label>
      )}
      {draft.netKind === 'bridge' && caps.bridges.length === 0 && <p className="hint">{t('newvm.net.noBridges')}</p>}
      {draft.netKind === 'direct' && (
        <div className="form-row">
          <label>
            {t('newvm.net.dev')}
            <select value={draft.directDev} onChange={(e) => updateDraft({ directDev: e.target.value })} data-testid="newvm-direct-dev">
              {!caps.interfaces.includes(draft.directDev) && <option value={draft.directDev}>{draft.directDev || t('newvm.media.choose')}</option>}
              {caps.interfaces.map((i) => (
                <option key={i} value={i}>
                  {i}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('newvm.net.mode')}
            <select value={draft.directMode} onChange={(e) => updateDraft({ directMode: e.target.value as Draft['directMode'] })} data-testid="newvm-direct-mode">
              {(['bridge', 'vepa', 'private', 'passthrough'] as const).map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      {draft.netKind === 'direct' && <p className="hint">{t('newvm.net.directHint')}</p>}
      {draft.netKind !== 'none' && (
        <fieldset className="newvm-choice">
          <legend>{t('newvm.net.mac')}</legend>
          <label className="checkbox">
            <input type="radio" name="newvm-mac" checked={draft.macMode === 'generated'} onChange={() => updateDraft({ macMode: 'generated' })} data-testid="newvm-mac-generated" />
            {t('newvm.net.macGenerated')} <code data-testid="newvm-mac-value">{draft.generatedMac}</code>
            <button type="button" className="link" onClick={() => updateDraft({ generatedMac: randomMac(), macMode: 'generated' })}>
              {t('newvm.net.macAnother')}
            </button>
          </label>
          <label className="checkbox">
            <input type="radio" name="newvm-mac" checked={draft.macMode === 'typed'} onChange={() => updateDraft({ macMode: 'typed' })} data-testid="newvm-mac-typed" />
            {t('newvm.net.macTyped')}
            <input className="mono" value={draft.typedMac} onFocus={() => updateDraft({ macMode: 'typed' })} onChange={(e) => updateDraft({ typedMac: e.target.value })} placeholder="52:54:00:12:34:56" data-testid="newvm-mac" />
          </label>
        </fieldset>
      )}
    </div>
  );
}
