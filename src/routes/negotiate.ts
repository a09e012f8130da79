// Accept-header negotiation: which rendering of the answer the client asked for.
import { notAcceptable } from '../api/errors.ts';

export type Rendering =
  | { as: 'object'; yaml: boolean }
  | { as: 'Table'; version: string }
  | { as: 'PartialObjectMetadata'; version: string };

interface MediaRange { type: string; params: Record<string, string> }

function parseAccept(accept: string): MediaRange[] {
  return accept.split(',').map(part => {
    const [type, ...params] = part.split(';').map(s => s.trim());
    const p: Record<string, string> = {};
    for (const kv of params) {
      const i = kv.indexOf('=');
      if (i > 0) p[kv.slice(0, i).trim()] = kv.slice(i + 1).trim();
    }
    return { type: type.toLowerCase(), params: p };
  }).filter(r => r.type);
}

/** The first range of the Accept header this server can produce (JSON always; YAML when asked). */
export function negotiate(accept: string | undefined | null): Rendering {
  if (!accept) return { as: 'object', yaml: false };
  for (const r of parseAccept(accept)) {
    const json = r.type === 'application/json' || r.type === '*/*' || r.type === 'application/*';
    const yaml = r.type === 'application/yaml';
    if (!json && !yaml) continue;
    const as = r.params.as;
    if (!as) return { as: 'object', yaml };
    if (r.params.g !== 'meta.k8s.io' || !['v1', 'v1beta1'].includes(r.params.v ?? '')) continue;
    if (as === 'Table') return { as: 'Table', version: r.params.v };
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return { as: 'PartialObjectMetadata', version: r.params.v };
  }
  // Protobuf-first clients always list JSON too; one that does not cannot be served.
  throw notAcceptable();
}

/** Whether the client asked for aggregated discovery (apidiscovery.k8s.io/v2). */
export function wantsAggregatedDiscovery(accept: string | undefined | null): boolean {
  for (const r of parseAccept(accept ?? '')) {
    if (r.type === 'application/json' && r.params.g === 'apidiscovery.k8s.io' && r.params.as === 'APIGroupDiscoveryList') {
      return r.params.v === 'v2';
    }
    if (r.type === 'application/json' && !r.params.as) return false;
  }
  return false;
}
