import { z } from 'zod';

// zod's JIT probes with `new Function`, which our CSP (script-src 'self') forbids and reports as a
// violation. Imported first in main.tsx so it applies before any schema could be used.
z.config({ jitless: true });
