/**
 * The "new pool" form: one set of text fields, the ones shown depending on the type, turned
 * into a PoolSpec (validated by the same zod schema the backend uses). Pure, so it is tested
 * without a browser.
 */
import { PoolSpec, type PoolSpecType } from '../../../../shared/model/storage';

export interface PoolForm {
  type: PoolSpecType;
  name: string;
  targetPath: string;
  device: string;
  fsFormat: string;
  diskFormat: string;
  netfsFormat: string;
  host: string;
  port: string;
  sourcePath: string;
  protocolVersion: string;
  vgName: string;
  /** One device path per line. */
  devices: string;
  iqnTarget: string;
  initiator: string;
  /** "host[:port]" per line or comma-separated. */
  monitors: string;
  cephPool: string;
  authUser: string;
  secretUuid: string;
  volume: string;
  dir: string;
}

export const emptyPoolForm: PoolForm = {
  type: 'dir',
  name: '',
  targetPath: '',
  device: '',
  fsFormat: 'auto',
  diskFormat: 'gpt',
  netfsFormat: 'nfs',
  host: '',
  port: '',
  sourcePath: '',
  protocolVersion: '',
  vgName: '',
  devices: '',
  iqnTarget: '',
  initiator: '',
  monitors: '',
  cephPool: '',
  authUser: '',
  secretUuid: '',
  volume: '',
  dir: '',
};

/** The fields each type shows, in order. */
export const poolFields: Record<PoolSpecType, readonly (keyof PoolForm)[]> = {
  dir: ['targetPath'],
  fs: ['device', 'fsFormat', 'targetPath'],
  netfs: ['host', 'sourcePath', 'netfsFormat', 'protocolVersion', 'targetPath'],
  logical: ['vgName', 'devices'],
  disk: ['device', 'diskFormat'],
  iscsi: ['host', 'port', 'iqnTarget', 'initiator'],
  rbd: ['monitors', 'cephPool', 'authUser', 'secretUuid'],
  gluster: ['host', 'volume', 'dir'],
};

/** Types whose build step can format or label a device. */
export const FORMATTING = new Set<PoolSpecType>(['fs', 'disk', 'logical']);
/** Types libvirt can build (https://libvirt.org/storage.html): the others are only used as they are. */
export const BUILDABLE = new Set<PoolSpecType>(['dir', 'fs', 'netfs', 'logical', 'disk']);
/** Building these writes to a device (a new volume group or partition table): off unless asked. */
export const DESTRUCTIVE_BUILD = new Set<PoolSpecType>(['logical', 'disk']);

/** Fields that may stay empty. */
const OPTIONAL = new Set<keyof PoolForm>(['protocolVersion', 'devices', 'port', 'initiator', 'authUser', 'secretUuid', 'dir']);

const opt = (s: string) => (s.trim() === '' ? undefined : s.trim());
const list = (s: string) => s.split(/[\n,]/).map((x) => x.trim()).filter(Boolean);

function candidate(f: PoolForm): Record<string, unknown> {
  const base = { type: f.type, name: f.name };
  switch (f.type) {
    case 'dir':
      return { ...base, targetPath: f.targetPath.trim() };
    case 'fs':
      return { ...base, device: f.device.trim(), format: f.fsFormat, targetPath: f.targetPath.trim() };
    case 'netfs':
      return { ...base, host: f.host.trim(), sourcePath: f.sourcePath.trim(), format: f.netfsFormat, protocolVersion: opt(f.protocolVersion), targetPath: f.targetPath.trim() };
    case 'logical':
      return { ...base, vgName: f.vgName.trim(), devices: list(f.devices) };
    case 'disk':
      return { ...base, device: f.device.trim(), format: f.diskFormat };
    case 'iscsi':
      return { ...base, host: f.host.trim(), port: opt(f.port) === undefined ? undefined : Number(f.port), target: f.iqnTarget.trim(), initiator: opt(f.initiator) };
    case 'rbd': {
      const monitors = list(f.monitors).map((m) => {
        const at = m.lastIndexOf(':');
        return at > 0 && /^\d+$/.test(m.slice(at + 1)) ? { host: m.slice(0, at), port: Number(m.slice(at + 1)) } : { host: m };
      });
      const auth = opt(f.authUser) ? { username: f.authUser.trim(), secretUuid: f.secretUuid.trim() } : undefined;
      return { ...base, monitors, cephPool: f.cephPool.trim(), auth };
    }
    case 'gluster':
      return { ...base, host: f.host.trim(), volume: f.volume.trim(), dir: opt(f.dir) };
  }
}

/** Form fields by the spec path zod reports. */
const FIELD_OF: Record<string, keyof PoolForm> = {
  name: 'name',
  targetPath: 'targetPath',
  device: 'device',
  host: 'host',
  port: 'port',
  sourcePath: 'sourcePath',
  protocolVersion: 'protocolVersion',
  vgName: 'vgName',
  devices: 'devices',
  target: 'iqnTarget',
  initiator: 'initiator',
  monitors: 'monitors',
  cephPool: 'cephPool',
  auth: 'authUser',
  username: 'authUser',
  secretUuid: 'secretUuid',
  volume: 'volume',
  dir: 'dir',
};

export type PoolFormErrors = Partial<Record<keyof PoolForm, 'required' | 'invalid'>>;

export function validatePoolForm(f: PoolForm): { spec: PoolSpec; errors: null } | { spec: null; errors: PoolFormErrors } {
  const errors: PoolFormErrors = {};
  for (const field of ['name', ...poolFields[f.type]] as (keyof PoolForm)[]) {
    if (!OPTIONAL.has(field) && String(f[field]).trim() === '') errors[field] = 'required';
  }
  if (f.type === 'rbd' && opt(f.authUser) && !opt(f.secretUuid)) errors.secretUuid = 'required';
  const parsed = PoolSpec.safeParse(candidate(f));
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      // The innermost path part that is a form field: ['auth', 'secretUuid'] → secretUuid.
      const part = issue.path.map(String).reverse().find((p) => Object.hasOwn(FIELD_OF, p));
      const field = part === undefined ? undefined : FIELD_OF[part];
      if (field && !errors[field]) errors[field] = 'invalid';
    }
  if (Object.keys(errors).length > 0 || !parsed.success) return { spec: null, errors: Object.keys(errors).length > 0 ? errors : { name: 'invalid' } };
  return { spec: parsed.data, errors: null };
}
