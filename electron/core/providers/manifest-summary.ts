import type { ManifestSummary } from '../../../shared/api/accounts.ts';
import type { z } from 'zod';
import { manifestCapabilities, resourceNames, type Manifest } from './manifest/index.ts';

type Paging = NonNullable<Manifest['resources'][keyof Manifest['resources']]>['paging'];
type Placement = Extract<Manifest['auth'], { type: 'token' }>['placement'];

function pagingInWords(paging: Paging): string {
  switch (paging.style) {
    case 'none':
      return 'one reply';
    case 'page':
      return `pages: ${paging.pageParam}=${paging.firstPage},${paging.firstPage + 1},… with ${paging.sizeParam}=${paging.size}`;
    case 'offset':
      return `offsets: ${paging.offsetParam}=0,${paging.limit},… with ${paging.limitParam}=${paging.limit}`;
    case 'cursor':
      return `cursor: ${paging.cursorParam}=${paging.next}`;
    case 'link':
      return 'Link header rel="next"';
  }
}

function placementInWords(placement: Placement): string {
  switch (placement.in) {
    case 'header':
      return `header ${placement.name}: ${placement.prefix}…`;
    case 'query':
      return `query parameter ${placement.name}`;
    case 'basic-username':
      return 'HTTP Basic, the token as the user name';
  }
}

/** What a checked manifest describes, in the words `manifests.check` and `dossier manifest check` show. */
export function summarizeManifest(manifest: Manifest, fileName: string): z.output<typeof ManifestSummary> {
  const { auth } = manifest;
  return {
    name: manifest.name,
    fileName,
    documentation: manifest.documentation ?? null,
    baseUrl: manifest.api.baseUrl,
    auth:
      auth.type === 'token'
        ? { type: 'token', grant: 'token', issuer: null, tokenUrl: null, authorizeUrl: null, scope: null, redirect: 'any-loopback-port', placement: placementInWords(auth.placement) }
        : {
            type: 'oauth2',
            grant: auth.grant,
            issuer: auth.issuer ?? null,
            tokenUrl: auth.tokenUrl ?? null,
            authorizeUrl: auth.authorizeUrl ?? null,
            scope: auth.scopes.length === 0 ? null : auth.scopes.join(' '),
            redirect: auth.redirect,
            placement: placementInWords(auth.placement),
          },
    resources: resourceNames.flatMap((name) => {
      const resource = manifest.resources[name];
      if (resource === undefined) return [];
      const source = resource.within !== undefined ? `within ${resource.within}` : `${resource.endpoint ?? ''}${resource.forEach === undefined ? '' : ` for each of ${resource.forEach}`}`;
      return [{ name, source, paging: pagingInWords(resource.paging), incremental: resource.incremental !== undefined, fields: Object.keys(resource.map) }];
    }),
    capabilities: manifestCapabilities(manifest),
  };
}
