import { z } from 'zod';

export const DomainUuid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/);
export type DomainUuid = z.infer<typeof DomainUuid>;

/** libvirt's virDomainState, by name (https://libvirt.org/html/libvirt-libvirt-domain.html#virDomainState). */
export const DomainState = z.enum([
  'nostate',
  'running',
  'blocked',
  'paused',
  'shutdown',
  'shutoff',
  'crashed',
  'pmsuspended',
]);
export type DomainState = z.infer<typeof DomainState>;

export const Domain = z.object({
  uuid: DomainUuid,
  name: z.string(),
  state: DomainState,
  /** libvirt's numeric state reason (meaning depends on the state). */
  reason: z.number().int(),
  persistent: z.boolean(),
  autostart: z.boolean(),
  /** A managed-save image exists: Start restores it. */
  managedSave: z.boolean(),
});
export type Domain = z.infer<typeof Domain>;

export const DomainAction = z.enum(['start', 'shutdown', 'reboot', 'reset', 'destroy', 'suspend', 'resume']);
export type DomainAction = z.infer<typeof DomainAction>;

export const ActionResult = z.object({
  uuid: DomainUuid,
  ok: z.boolean(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type ActionResult = z.infer<typeof ActionResult>;
