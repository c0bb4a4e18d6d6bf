/**
 * What the wizard reads from the host: capabilities (limits, machines and firmware, pools,
 * networks, osinfo), the OS defaults of the chosen OS, and the OS detected on the chosen ISO.
 * The results live in the components that attach here; the form (draft) gets only prefills,
 * and only for fields the user has not touched.
 */
import { useEffect, useRef, useState } from 'react';
import type { RequestResult } from '../../../../shared/contract';
import type { AppErrorShape } from '../../../../shared/errors';
import type { NewVmCapabilities } from '../../../../shared/model/newvm';
import { useApi } from '../../api/ApiProvider';
import { toErrorShape } from '../../lib/format-error';
import { useHostData } from '../storage/use-host-data';
import { mediaRef, type Draft } from './draft';
import { updateDraft } from './wizard-store';

export function useCapabilities(hostId: string) {
  return useHostData<NewVmCapabilities>(hostId, hostId ? (a) => a.request('newvm.capabilities', { hostId }) : null, ['storage.changed', 'networks.changed']);
}

/** Picks the pool, network and interfaces a new VM most likely wants, where the form has none yet. */
export function useCapsPrefill(caps: NewVmCapabilities | null, draft: Draft): void {
  useEffect(() => {
    if (!caps) return;
    const patch: Partial<Draft> = {};
    if (!draft.poolUuid) {
      const active = caps.pools.filter((p) => p.active);
      const pool = active.find((p) => p.name === 'default') ?? active[0];
      if (pool) patch.poolUuid = pool.uuid;
    }
    if (!draft.network) {
      const active = caps.networks.filter((n) => n.active);
      const net = active.find((n) => n.name === 'default') ?? active[0];
      if (net) patch.network = net.name;
      // No virtual network at all (qemu:///session, a bare host): user-mode networking works everywhere.
      else if (caps.networks.length === 0 && draft.netKind === 'network') patch.netKind = caps.bridges.length ? 'bridge' : 'user';
    }
    if (!draft.bridge && caps.bridges[0]) patch.bridge = caps.bridges[0];
    if (!draft.directDev && caps.interfaces[0]) patch.directDev = caps.interfaces[0];
    if (Object.keys(patch).length) updateDraft(patch);
    // Only a new capabilities object (host switch, refetch) is a reason to look again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [caps]);
}

export type OsDefaultsResult = RequestResult<'newvm.osDefaults'>;

/** The defaults of the chosen OS; they prefill memory, vCPUs and disk size unless the user set them. */
export function useOsDefaults(hostId: string, osId: string | null): { result: OsDefaultsResult | null; error: AppErrorShape | null } {
  const api = useApi();
  const [state, setState] = useState<{ result: OsDefaultsResult | null; error: AppErrorShape | null }>({ result: null, error: null });
  useEffect(() => {
    if (!hostId) return;
    let current = true;
    api.request('newvm.osDefaults', { hostId, osId }).then(
      (result) => {
        if (!current) return;
        setState({ result, error: null });
        const d = result.defaults;
        updateDraft((draft) => ({
          ...(draft.touched.memory ? {} : { memoryMiB: String(d.recMemoryMiB) }),
          ...(draft.touched.vcpus ? {} : { vcpus: String(d.recVcpus) }),
          ...(draft.touched.size ? {} : { sizeGiB: String(Math.round((d.recStorageBytes / 1024 ** 3) * 10) / 10) }),
        }));
      },
      (e: unknown) => current && setState({ result: null, error: toErrorShape(e) }),
    );
    return () => {
      current = false;
    };
  }, [api, hostId, osId]);
  return state;
}

export type Detection = RequestResult<'newvm.detectOs'>;

/**
 * Reads the chosen ISO's volume descriptor on the host and, unless the user picked an OS
 * themselves, takes the OS it names (or generic when unknown). Cached per ISO.
 */
export function useDetection(draft: Draft): { detection: Detection | null; detecting: boolean; error: AppErrorShape | null } {
  const api = useApi();
  const isIso = draft.sourceKind === 'iso' || draft.sourceKind === 'upload';
  const media = isIso ? mediaRef(draft.iso) : null;
  const key = media ? JSON.stringify(media) : '';
  const cache = useRef(new Map<string, Detection>());
  const [state, setState] = useState<{ key: string; detection: Detection | null; error: AppErrorShape | null; detecting: boolean }>({ key: '', detection: null, error: null, detecting: false });
  const hostId = draft.hostId;

  useEffect(() => {
    if (!media || !hostId) return;
    const cached = cache.current.get(key);
    const apply = (det: Detection) => {
      setState({ key, detection: det, error: null, detecting: false });
      updateDraft((d) => (d.osChosen ? {} : { osId: det.osId }));
    };
    if (cached) return apply(cached);
    let current = true;
    setState({ key, detection: null, error: null, detecting: true });
    const timer = setTimeout(() => {
      api.request('newvm.detectOs', { hostId, media }).then(
        (det) => {
          cache.current.set(key, det);
          if (current) apply(det);
        },
        (e: unknown) => current && setState({ key, detection: null, error: toErrorShape(e), detecting: false }),
      );
    }, 200);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // `key` stands for `media`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, hostId, key]);

  return state.key === key && key ? state : { detection: null, detecting: false, error: null };
}
