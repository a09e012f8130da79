// Parses a Kubernetes API path (below /clusters/{cluster}) into what the request is about.
import type { Verb } from './registry/types.ts';

export interface ResourceRequest {
  kind: 'resource';
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
  verb: Verb;
}

export interface OtherRequest { kind: 'other'; path: string }

export type RequestInfo = ResourceRequest | OtherRequest;

// `namespaces/{name}/{x}` names a subresource of the namespace for these, a namespaced resource otherwise.
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/** `path` is relative to the cluster root, e.g. `/apis/apps/v1/namespaces/default/deployments/web`. */
export function parseRequestInfo(method: string, path: string, watchParam: boolean): RequestInfo {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  let rest: string[];
  let group: string;
  let version: string;
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return { kind: 'other', path };
  }

  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1];
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2])) rest = rest.slice(2);
  }
  // `/api/v1/namespaces/{name}` addresses the namespace object itself.
  if (rest[0] === 'namespaces' && namespace !== undefined) {
    return { kind: 'resource', group, version, resource: 'namespaces', name: namespace, subresource: rest[2], verb: verbOf(method, true, watchParam) };
  }
  const [resource, name, subresource, ...extra] = rest;
  if (extra.length && subresource !== 'proxy') return { kind: 'other', path };
  return { kind: 'resource', group, version, namespace, resource, name, subresource, verb: verbOf(method, name !== undefined, watchParam) };
}

function verbOf(method: string, hasName: boolean, watch: boolean): Verb {
  switch (method) {
    case 'GET': case 'HEAD': return hasName ? 'get' : watch ? 'watch' : 'list';
    case 'POST': return 'create';
    case 'PUT': return 'update';
    case 'PATCH': return 'patch';
    case 'DELETE': return hasName ? 'delete' : 'deletecollection';
    default: return 'get';
  }
}
