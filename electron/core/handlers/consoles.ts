import type { consoleRequests } from '../../../shared/api/consoles';
import { AppError } from '../../../shared/errors';
import { ConsoleManager, vncSecretKey } from '../../consoles/console-manager';
import { switchToVnc, undoSwitchToVnc } from '../../consoles/graphics-switch';
import type { HandlerContext, HandlersFor } from './context';

export function consoleHandlers(ctx: HandlerContext, consoles: ConsoleManager): HandlersFor<keyof typeof consoleRequests> {
  const { history } = consoles;
  return {
    'consoles.vncInfo': ({ hostId, uuid }) => consoles.info(hostId, uuid),
    'consoles.openVnc': ({ hostId, uuid, consoleId }) => consoles.openVnc(hostId, uuid, consoleId),
    'consoles.openSerial': ({ hostId, uuid, devname, rows, cols }) =>
      consoles.openSerial(hostId, { uuid, rows, cols, ...(devname !== undefined ? { devname } : {}) }),
    'consoles.serialResize': async ({ consoleId, rows, cols }) => (consoles.resize(consoleId, rows, cols), null),
    'consoles.close': async ({ consoleId }) => (consoles.close(consoleId), null),
    'consoles.switchToVnc': async ({ hostId, uuid }) => {
      await switchToVnc(ctx.hosts.get(hostId), history, uuid);
      return consoles.info(hostId, uuid);
    },
    'consoles.undoSwitchToVnc': async ({ hostId, uuid }) => {
      await undoSwitchToVnc(ctx.hosts.get(hostId), history, uuid);
      return consoles.info(hostId, uuid);
    },
    'consoles.rememberVncPassword': async ({ hostId, uuid, password }) => {
      const key = vncSecretKey(hostId, uuid);
      if (password === null) await ctx.platform.secrets.delete(key);
      else if (!ctx.platform.secrets.persistent) throw new AppError('unsupported', 'Passwords are never stored in browser mode.');
      else await ctx.platform.secrets.set(key, password);
      return null;
    },
  };
}
