import { z } from 'zod';

/** Questions the backend needs a person to answer while connecting. */
export const Prompt = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('hostKey'),
    promptId: z.string(),
    hostId: z.string(),
    host: z.string(),
    port: z.number().int(),
    keyType: z.string(),
    /** SHA256:… exactly as `ssh-keygen -lf` prints it. */
    fingerprint: z.string(),
  }),
  z.object({
    kind: z.literal('secret'),
    promptId: z.string(),
    hostId: z.string(),
    /** password, key passphrase or a keyboard-interactive question. */
    purpose: z.enum(['password', 'passphrase', 'keyboard-interactive']),
    message: z.string(),
    echo: z.boolean().default(false),
    /** Whether the backend can keep the answer encrypted (desktop safeStorage). */
    canRemember: z.boolean(),
  }),
]);
export type Prompt = z.infer<typeof Prompt>;

export const PromptAnswer = z.object({
  promptId: z.string(),
  accept: z.boolean(),
  value: z.string().max(4096).optional(),
  remember: z.boolean().optional(),
});
export type PromptAnswer = z.infer<typeof PromptAnswer>;
