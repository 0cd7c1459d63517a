/**
 * The browser's start-up. Zod's fast path compiles validators with `new Function`, which the
 * pages' Content-Security-Policy forbids (svelte.config.js, `kit.csp`): even its probe for it
 * shows as a policy violation. Parsing without it is what the policy allows.
 */
import { z } from 'zod';

z.config({ jitless: true });
