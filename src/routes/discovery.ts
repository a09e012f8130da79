// Discovery documents built from the registry: aggregated (apidiscovery.k8s.io/v2) and legacy.
import type { Context } from 'hono';
import type { Catalog } from '../api/catalog.ts';
import type { ResourceDef } from '../api/registry/types.ts';
import { wantsAggregatedDiscovery } from './negotiate.ts';
import { StatusError } from '../api/errors.ts';
export { VERSION as VERSION_INFO } from '../api/version.ts';

export const AGGREGATED_DISCOVERY_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';


interface SubresourceInfo { name: string; group: string; version: string; kind: string; verbs: string[] }

function subresourcesOf(def: ResourceDef): SubresourceInfo[] {
  const out: SubresourceInfo[] = [];
  if (def.hasStatus) out.push({ name: 'status', group: def.group, version: def.version, kind: def.kind, verbs: ['get', 'patch', 'update'] });
  if (def.scale) out.push({ name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
  for (const s of def.subresources ?? []) {
    if (out.some(o => o.name === s.name)) continue;
    out.push({ name: s.name, group: s.group ?? def.group, version: s.version ?? def.version, kind: s.kind, verbs: s.verbs });
  }
  return out;
}

function discoveryResource(def: ResourceDef) {
  const subs = subresourcesOf(def);
  return {
    resource: def.resource,
    responseKind: { group: def.group, version: def.version, kind: def.kind },
    scope: def.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: def.singular,
    verbs: def.verbs,
    ...(def.shortNames?.length ? { shortNames: def.shortNames } : {}),
    ...(def.categories?.length ? { categories: def.categories } : {}),
    ...(subs.length ? {
      subresources: subs.map(s => ({ subresource: s.name, responseKind: { group: s.group, version: s.version, kind: s.kind }, verbs: s.verbs })),
    } : {}),
  };
}

function aggregatedGroup(catalog: Catalog, group: string) {
  return {
    metadata: { name: group, creationTimestamp: null },
    versions: catalog.versionsOf(group).map(version => ({
      version,
      resources: catalog.resourcesOf(group, version).map(discoveryResource),
      freshness: 'Current',
    })),
  };
}

function aggregated(catalog: Catalog, core: boolean) {
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: catalog.groups.filter(g => (g.group === '') === core).map(g => aggregatedGroup(catalog, g.group)),
  };
}

function groupDocument(catalog: Catalog, group: string) {
  const versions = catalog.versionsOf(group).map(v => ({ groupVersion: `${group}/${v}`, version: v }));
  return { name: group, versions, preferredVersion: versions[0] };
}

function resourceList(catalog: Catalog, group: string, version: string) {
  const resources = [];
  for (const def of catalog.resourcesOf(group, version)) {
    resources.push({
      name: def.resource, singularName: def.singular, namespaced: def.namespaced, kind: def.kind, verbs: def.verbs,
      ...(def.shortNames?.length ? { shortNames: def.shortNames } : {}),
      ...(def.categories?.length ? { categories: def.categories } : {}),
    });
    for (const s of subresourcesOf(def)) {
      resources.push({
        name: `${def.resource}/${s.name}`, singularName: '', namespaced: def.namespaced,
        ...(s.group !== group || s.version !== version ? { group: s.group, version: s.version } : {}),
        kind: s.kind, verbs: s.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

const notFound = () => new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});

/** Answers discovery paths (`/api`, `/apis`, `/api/v1`, `/apis/{group}[/{version}]`), or returns undefined. */
export function serveDiscovery(c: Context, catalog: Catalog, path: string): Response | undefined {
  const parts = path.split('/').filter(Boolean);
  const json = (body: unknown, type = 'application/json') => c.body(JSON.stringify(body), 200, { 'Content-Type': type, Vary: 'Accept' });
  const accept = c.req.header('accept');
  if (parts.length === 1 && (parts[0] === 'api' || parts[0] === 'apis')) {
    const core = parts[0] === 'api';
    if (wantsAggregatedDiscovery(accept)) return json(aggregated(catalog, core), AGGREGATED_DISCOVERY_TYPE);
    if (core) {
      const host = c.req.header('host') ?? '';
      return json({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }] });
    }
    return json({
      kind: 'APIGroupList', apiVersion: 'v1',
      groups: catalog.groups.filter(g => g.group !== '').map(g => groupDocument(catalog, g.group)),
    });
  }
  if (parts[0] === 'api' && parts.length === 2) {
    if (!catalog.versionsOf('').includes(parts[1])) throw notFound();
    return json(resourceList(catalog, '', parts[1]));
  }
  if (parts[0] === 'apis' && parts.length === 2) {
    if (!catalog.versionsOf(parts[1]).length) throw notFound();
    return json({ kind: 'APIGroup', apiVersion: 'v1', ...groupDocument(catalog, parts[1]) });
  }
  if (parts[0] === 'apis' && parts.length === 3) {
    if (!catalog.versionsOf(parts[1]).includes(parts[2])) throw notFound();
    return json(resourceList(catalog, parts[1], parts[2]));
  }
  return undefined;
}
