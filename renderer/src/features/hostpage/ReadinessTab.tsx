import type { CheckVerdict, ReadinessId } from '../../../../shared/model/hostinfo';
import { ErrorText } from '../../components/ErrorText';
import { useT } from '../../i18n/I18nProvider';
import type { PlainMessageKey } from '../../i18n/translate';
import { formatError } from '../../lib/format-error';
import { useHostData } from '../storage/use-host-data';

const TITLES: Record<ReadinessId, PlainMessageKey> = {
  'cpu-virt': 'hostpage.check.cpuVirt',
  'cpu-64bit': 'hostpage.check.cpu64',
  kvm: 'hostpage.check.kvm',
  nested: 'hostpage.check.nested',
  iommu: 'hostpage.check.iommu',
  'vhost-net': 'hostpage.check.vhostNet',
  tun: 'hostpage.check.tun',
  cgroups: 'hostpage.check.cgroups',
  uefi: 'hostpage.check.uefi',
  'secure-boot': 'hostpage.check.secureBoot',
  tpm: 'hostpage.check.tpm',
  hugepages: 'hostpage.check.hugepages',
  ksm: 'hostpage.check.ksm',
};

/** What to do, per reason the backend gives (readiness.ts). */
const ADVICE: Readonly<Record<string, PlainMessageKey>> = {
  noHwVirt: 'hostpage.advice.noHwVirt',
  no64bit: 'hostpage.advice.no64bit',
  noDevKvm: 'hostpage.advice.noDevKvm',
  kvmNotForLibvirt: 'hostpage.advice.kvmNotForLibvirt',
  kvmNoAccess: 'hostpage.advice.kvmNoAccess',
  kvmWithoutHw: 'hostpage.advice.kvmWithoutHw',
  nestedNoModule: 'hostpage.advice.nestedNoModule',
  nestedOff: 'hostpage.advice.nestedOff',
  iommuCmdline: 'hostpage.advice.iommuCmdline',
  iommuFirmware: 'hostpage.advice.iommuFirmware',
  vhostNet: 'hostpage.advice.vhostNet',
  tun: 'hostpage.advice.tun',
  cgroups: 'hostpage.advice.cgroups',
  uefi: 'hostpage.advice.uefi',
  secureBoot: 'hostpage.advice.secureBoot',
  tpm: 'hostpage.advice.tpm',
  hugepages: 'hostpage.advice.hugepages',
  ksm: 'hostpage.advice.ksm',
};

const VERDICT: Record<CheckVerdict, PlainMessageKey> = { pass: 'hostpage.verdict.pass', warn: 'hostpage.verdict.warn', fail: 'hostpage.verdict.fail' };

function Verdict({ v }: { v: CheckVerdict }) {
  const t = useT();
  return <span className={`verdict verdict-${v}`}>{t(VERDICT[v])}</span>;
}

/** Can this host run VMs well? Virtdeck's checks, and virt-host-validate's beside them. */
export function ReadinessTab({ hostId }: { hostId: string }) {
  const t = useT();
  const r = useHostData(hostId, (a) => a.request('hostpage.readiness', { hostId }), []);
  return (
    <div className="host-readiness" data-testid="host-readiness">
      <div className="toolbar">
        <button type="button" onClick={r.reload} disabled={r.loading} data-testid="readiness-recheck">
          {t('hostpage.recheck')}
        </button>
        {r.data && <span className="muted">{t('hostpage.checkedIn', { ms: r.data.tookMs })}</span>}
      </div>
      {r.error && <ErrorText>{formatError(t, r.error)}</ErrorText>}
      {r.data && (
        <div className="readiness-columns">
          <table className="readiness-list" data-testid="readiness-list">
            <tbody>
              {r.data.checks.map((c) => {
                const advice = c.reason ? ADVICE[c.reason] : undefined;
                return (
                  <tr key={c.id} data-testid={`readiness-${c.id}`} data-verdict={c.verdict}>
                    <td><Verdict v={c.verdict} /></td>
                    <th scope="row">{t(TITLES[c.id])}</th>
                    <td>
                      <div className="mono">{c.detail}</div>
                      {c.verdict !== 'pass' && advice && <div className="readiness-advice">{t(advice)}</div>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <section className="readiness-validate" data-testid="readiness-validate">
            <h3>{t('hostpage.validateTitle')}</h3>
            {r.data.validate === null ? (
              <p className="muted">{t('hostpage.validateMissing')}</p>
            ) : (
              <ul>
                {r.data.validate.map((l) => (
                  <li key={l.check} data-verdict={l.verdict}>
                    <Verdict v={l.verdict} /> {l.check}
                    {l.note && <div className="muted">{l.note}</div>}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      )}
    </div>
  );
}
