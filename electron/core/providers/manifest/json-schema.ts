import { z } from 'zod';
import { Manifest } from './schema.ts';

/**
 * The JSON Schema that ships as docs/providers/manifest.schema.json, generated from the zod schema
 * so the two cannot drift (test/sync/manifest-engine.test.ts compares them). It describes what a
 * user writes (defaults make fields optional); checks that JSON Schema cannot say (a path without
 * `..`, `{id}` with forEach) are made by `loadManifest`.
 */
export function manifestJsonSchema(): string {
  const schema = z.toJSONSchema(Manifest, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, $id: 'https://dossier.app/schemas/provider-manifest-1.json', title: 'Dossier provider manifest' }, null, 2)}\n`;
}
