// The Content-Security-Policy (ADR 0012) has no 'unsafe-eval'. zod 4 compiles object parsers with
// `new Function` unless it is jitless, and even its probe for eval is reported as a CSP violation. root.tsx
// imports this first, so it runs before any route module builds a schema. Browser only: the server keeps
// zod's compiled fast path.
import { z } from "zod";

if (typeof document !== "undefined") z.config({ jitless: true });
