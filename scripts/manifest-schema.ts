/** Writes docs/providers/manifest.schema.json from the manifest's zod schema: `node scripts/manifest-schema.ts`. */
import { writeFileSync } from 'node:fs';
import { manifestJsonSchema } from '../electron/core/providers/manifest/json-schema.ts';

writeFileSync(new URL('../docs/providers/manifest.schema.json', import.meta.url), manifestJsonSchema());
