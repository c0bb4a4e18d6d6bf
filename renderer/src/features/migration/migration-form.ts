/** The Migrate dialog's form state → the request's options (pure; unit-tested). */
import type { MigrationOptionsInput, MigrationPath } from '../../../../shared/model/migration';

export interface MigrateForm {
  path: MigrationPath;
  persistent: boolean;
  copyStorage: 'none' | 'all' | 'inc';
  bandwidth: string;
  autoConverge: boolean;
  maxDowntime: string;
  unsafe: boolean;
  destAddress: string;
  deleteSourceDisks: boolean;
  directKeyFile: string;
}

export const initialForm = (running: boolean): MigrateForm => ({
  path: running ? 'relay' : 'offline',
  persistent: true,
  copyStorage: 'none',
  bandwidth: '',
  autoConverge: false,
  maxDowntime: '',
  unsafe: false,
  destAddress: '',
  deleteSourceDisks: false,
  directKeyFile: '',
});

const int = (s: string): number | undefined => (/^\s*\d+\s*$/.test(s) && Number(s) > 0 ? Number(s) : undefined);

/** Options as the contract takes them; fields that do not apply to the path are left out. */
export function formOptions(f: MigrateForm): MigrationOptionsInput {
  if (f.path === 'offline') return { path: 'offline', deleteSourceDisks: f.deleteSourceDisks };
  const o: MigrationOptionsInput = { path: f.path, persistent: f.persistent, copyStorage: f.copyStorage, autoConverge: f.autoConverge, unsafe: f.unsafe };
  const bw = int(f.bandwidth);
  const dt = int(f.maxDowntime);
  if (bw !== undefined) o.bandwidthMiBps = bw;
  if (dt !== undefined) o.maxDowntimeMs = dt;
  if (f.destAddress.trim() && (f.path === 'relay' || f.path === 'direct')) o.destAddress = f.destAddress.trim();
  if (f.path === 'direct' && f.directKeyFile.trim()) o.directKeyFile = f.directKeyFile.trim();
  return o;
}
