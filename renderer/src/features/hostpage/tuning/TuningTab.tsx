import { AdvisorSection } from './AdvisorSection';
import { CpuMapSection } from './CpuMapSection';
import './tuning-cpu.css';

/**
 * The host page's Tuning tab (issue 17). This minimal tab renders the CPU map and the advisor
 * only; the KSM/hugepages tab of branch tune-mem is merged with it by the lead.
 */
export function TuningTab({ hostId }: { hostId: string }) {
  return (
    <div className="tuning-tab" data-testid="tuning-tab">
      <CpuMapSection hostId={hostId} />
      <AdvisorSection hostId={hostId} />
    </div>
  );
}
