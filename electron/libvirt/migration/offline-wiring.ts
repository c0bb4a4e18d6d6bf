/**
 * The seam to the offline move (path 3), built on branch `migrate-offline` as
 * ./offline-move.ts with a fixed interface (briefs/migration-shared.md). This branch does not
 * have that file, so `offlineMove` is undefined here and the pre-flight says the offline move
 * is not in this build. At merge this file becomes:
 *
 *   import { offlineMoveCommands, preflightOffline, runOfflineMove } from './offline-move';
 *   export const offlineMove: OfflineMoveApi | undefined = { preflight: preflightOffline, commands: offlineMoveCommands, run: runOfflineMove };
 *
 * (and the interfaces below are imported from there instead).
 */
import type { MigrationProgress, PreflightCheck } from '../../../shared/model/migration';
import type { HostConnection } from '../../hosts/host-connection';

export interface OfflineMoveInput {
  source: HostConnection;
  dest: HostConnection;
  uuid: string;
  deleteSourceDisks: boolean;
  signal?: AbortSignal;
  onProgress?: (p: Omit<MigrationProgress, 'jobId'>) => void;
}
export interface HostCommand { host: 'source' | 'dest'; argv: string[] }
export interface OfflineMoveResult { disks: Array<{ source: string; dest: string; bytes: number }>; deletedSourceDisks: string[]; seconds: number; log: string[] }

export interface OfflineMoveApi {
  preflight(input: OfflineMoveInput): Promise<PreflightCheck[]>;
  commands(input: OfflineMoveInput): Promise<HostCommand[]>;
  run(input: OfflineMoveInput): Promise<OfflineMoveResult>;
}

export const offlineMove: OfflineMoveApi | undefined = undefined;
