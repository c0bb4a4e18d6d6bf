import type { Api } from '../../../../shared/contract';
import type { HostId } from '../../../../shared/model/host';
import { toErrorShape } from '../../lib/format-error';
import { setHostBusy, setHostRequestError, setHostStatus, type HostCommand } from '../../stores/hosts';

/**
 * Runs one host command, tracking busy state and keeping a failure next to the host.
 * Status changes also arrive as hosts.status events; applying the returned status as well
 * just means the row doesn't wait for the event.
 */
export async function runHostCommand(api: Api, hostId: HostId, command: HostCommand): Promise<void> {
  setHostBusy(hostId, true);
  setHostRequestError(hostId, null);
  try {
    if (command === 'remove') {
      await api.request('hosts.remove', { hostId });
    } else {
      const status = await api.request(command === 'connect' ? 'hosts.connect' : 'hosts.disconnect', { hostId });
      setHostStatus(hostId, status);
    }
  } catch (e) {
    setHostRequestError(hostId, { command, error: toErrorShape(e) });
  } finally {
    setHostBusy(hostId, false);
  }
}
