import type { DomainState } from '../../../../shared/model/domain';

/**
 * A shape per state as well as a colour, so the state reads without colour vision:
 * ▶ running, ❚❚ paused, ■ off, ✕ crashed, ◐ transitional.
 */
const glyphs: Record<DomainState, string> = {
  running: '▶',
  blocked: '▶',
  paused: '❚❚',
  pmsuspended: '☾',
  shutdown: '◐',
  shutoff: '■',
  crashed: '✕',
  nostate: '?',
};

export function StateIcon({ state }: { state: DomainState }) {
  return (
    <span className={`state-icon vm-${state}`} aria-hidden="true">
      {glyphs[state]}
    </span>
  );
}
