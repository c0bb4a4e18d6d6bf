import { z } from 'zod';

/** One command the backend ran, as the activity log shows it. */
export const ActivityEntry = z.object({
  seq: z.number().int(),
  at: z.number(), // epoch ms when it started
  hostId: z.string(),
  argv: z.array(z.string()),
  /** XML or other data fed on stdin, shown as a heredoc by the "equivalent command" view. */
  stdin: z.string().optional(),
  outcome: z.enum(['ok', 'error', 'running']),
  error: z.string().optional(),
  durationMs: z.number().optional(),
});
export type ActivityEntry = z.infer<typeof ActivityEntry>;
