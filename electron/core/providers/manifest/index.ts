/**
 * The manifest engine: a provider manifest (docs/providers/manifests.md) loaded, checked and
 * compiled, and turned into what the generic provider needs to sign in and sync.
 */
export { loadManifest } from './load.ts';
export { manifestConnector } from './connector.ts';
export { manifestAuthProfile, manifestCapabilities } from './auth.ts';
export { Manifest, manifestFormat, resourceNames, type ResourceName } from './schema.ts';
