import { randomBytes } from 'node:crypto';
import type { hostRequests } from '../../../shared/api/hosts';
import { AppError } from '../../../shared/errors';
import type { ConnectionConfig, HostView } from '../../../shared/model/host';
import { parseLibvirtUri } from '../../hosts/ssh/libvirt-uri';
import type { HandlerContext, HandlersFor } from './context';

export function hostHandlers(ctx: HandlerContext): HandlersFor<keyof typeof hostRequests> {
  const view = (c: ConnectionConfig): HostView => ({ config: c, status: ctx.hosts.status(c.id) });
  return {
    'hosts.list': async () => ctx.store.list().map(view),
    'hosts.save': async ({ connection }) => {
      try {
        parseLibvirtUri(connection.uri);
      } catch (e) {
        throw new AppError('invalid_args', (e as Error).message);
      }
      ctx.hosts.checkAllowed(connection.uri);
      if (connection.id && !ctx.store.get(connection.id)) throw new AppError('not_found', 'no such connection');
      const config: ConnectionConfig = { ...connection, id: connection.id ?? `h-${randomBytes(6).toString('hex')}` };
      await ctx.store.upsert(config);
      ctx.hosts.put(config);
      ctx.bus.emit('hosts.changed', {});
      return view(config);
    },
    'hosts.remove': async ({ hostId }) => {
      if (!ctx.store.get(hostId)) throw new AppError('not_found', 'no such connection');
      await ctx.hosts.remove(hostId);
      await ctx.store.remove(hostId);
      ctx.bus.emit('hosts.changed', {});
      return null;
    },
    'hosts.connect': async ({ hostId }) => ctx.hosts.connect(hostId),
    'hosts.disconnect': async ({ hostId }) => ctx.hosts.get(hostId).disconnect(),
  };
}
