import type { ParsedArgs, RequestName, RequestResult } from '../../../shared/contract';
import type { ActivityLog } from '../activity-log';
import type { Platform } from '../adapters';
import type { ClientTransfers } from '../client-transfers';
import type { ConnectionStore } from '../connection-store';
import type { EventBus } from '../event-bus';
import type { HostRegistry } from '../host-registry';
import type { LocalFileGrants } from '../local-files';
import type { Prompter } from '../prompter';
import type { SettingsStore } from '../settings';
import type { ViewerPresence } from '../viewers';

/** What request handlers may use; one object, passed to each area's handler factory. */
export interface HandlerContext {
  platform: Platform;
  store: ConnectionStore;
  hosts: HostRegistry;
  prompter: Prompter;
  activity: ActivityLog;
  settings: SettingsStore;
  bus: EventBus;
  /** Browser mode's upload sockets and download responses claim their transfers here. */
  clientTransfers: ClientTransfers;
  viewers: ViewerPresence;
  /** Files of this computer chosen in native dialogs, by handle (desktop only). */
  localFiles: LocalFileGrants;
}

/** Which UI client sent a request (a browser tab's socket, a desktop window). */
export interface RequestClient {
  id: string;
}

export type Handler<K extends RequestName> = (args: ParsedArgs<K>, client: RequestClient) => Promise<RequestResult<K>>;
/** The handlers of some requests; backend.ts checks that together they cover every request. */
export type HandlersFor<K extends RequestName> = { [P in K]: Handler<P> };
