/**
 * The backend's plan for the current form (XML, commands, virt-install line, problems), asked
 * again (debounced) whenever the spec changes. The newest answer wins; older ones are dropped.
 */
import { useEffect, useState } from 'react';
import type { NewVmPlan } from '../../../../shared/api/newvm';
import type { AppErrorShape } from '../../../../shared/errors';
import type { NewVmSpecInput } from '../../../../shared/model/newvm';
import { useApi } from '../../api/ApiProvider';
import { toErrorShape } from '../../lib/format-error';

export interface PlanState {
  plan: NewVmPlan | null;
  error: AppErrorShape | null;
  /** The spec the plan is for, as JSON: a plan of an older spec never enables Create. */
  forKey: string | null;
  loading: boolean;
}

export function usePlan(hostId: string, spec: NewVmSpecInput | null, enabled: boolean): PlanState & { key: string } {
  const api = useApi();
  const key = spec ? JSON.stringify(spec) : '';
  const [state, setState] = useState<PlanState>({ plan: null, error: null, forKey: null, loading: false });
  useEffect(() => {
    if (!enabled || !spec || !hostId) return;
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      api.request('newvm.plan', { hostId, spec }).then(
        (plan) => current && setState({ plan, error: null, forKey: key, loading: false }),
        (e: unknown) => current && setState({ plan: null, error: toErrorShape(e), forKey: key, loading: false }),
      );
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // `key` stands for `spec`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, hostId, key, enabled]);
  return { ...state, key };
}
