import { z } from 'zod';

/**
 * zod as every contract schema uses it. Jitless: zod would otherwise compile
 * object parsers with `new Function`, which a strict sandbox or CSP refuses and
 * which makes the validator's code path depend on the host; the interpreted
 * path gives the same answers everywhere, including Temporal's workflow sandbox.
 */
z.config({ jitless: true });

export { z };
