import { z } from 'zod';
import { HostId } from '../model/host';

/** Shape every request table follows: a zod schema for the arguments and one for the result. */
export type RequestTable = Record<string, { args: z.ZodType; result: z.ZodType }>;
export type EventTable = Record<string, z.ZodType>;

export const none = z.object({}).strict();
export const onHost = z.object({ hostId: HostId }).strict();
/** A path on the host (never interpreted by a shell; virsh gets it as one quoted argument). */
export const HostPath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'a path cannot contain NUL');
