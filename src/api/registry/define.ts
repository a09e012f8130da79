// Builds registry entries from the compact form the group files use, plus the pieces entries share.
import { ALL_VERBS, type ResourceDef, type ScaleDef, type Verb } from './types.ts';

/** Everything an entry states beyond its group, version, plural and kind. */
export type EntryOptions = Omit<ResourceDef, 'group' | 'version' | 'resource' | 'kind' | 'singular' | 'verbs'>
  & Partial<Pick<ResourceDef, 'singular' | 'verbs'>>;

/** OpenAPI definitions live under io.k8s.api.<first label of the group>, except the CRD API. */
function openAPIPackage(group: string): string {
  if (group === 'apiextensions.k8s.io') return 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions';
  return `io.k8s.api.${group === '' ? 'core' : group.split('.')[0]}`;
}

/**
 * An entry builder for one group/version. Defaults: singular = lower-case kind, every verb,
 * the OpenAPI definition name derived from group, version and kind.
 */
export function apiVersion(group: string, version: string) {
  return (resource: string, kind: string, options: EntryOptions): ResourceDef => ({
    group,
    version,
    resource,
    kind,
    singular: kind.toLowerCase(),
    verbs: ALL_VERBS,
    definition: `${openAPIPackage(group)}.${version}.${kind}`,
    ...options,
  });
}

export const CREATE_ONLY: Verb[] = ['create'];
export const READ_ONLY: Verb[] = ['get', 'list'];
/** Namespaces (and a few others) are deleted one by one only. */
export const NO_DELETECOLLECTION: Verb[] = ALL_VERBS.filter(v => v !== 'deletecollection');

type Subresource = NonNullable<ResourceDef['subresources']>[number];

/** Subresources other than status and scale (those are ResourceDef.hasStatus and .scale). */
export const subresource = {
  /** get/patch/update of a part of the object: ephemeralcontainers, resize, approval. */
  part: (name: string, kind: string): Subresource => ({ name, kind, verbs: ['get', 'patch', 'update'] }),
  /** Streaming connections: exec, attach, portforward. */
  connect: (name: string, kind: string): Subresource => ({ name, kind, verbs: ['create', 'get'] }),
  proxy: (kind: string): Subresource => ({ name: 'proxy', kind, verbs: ['create', 'delete', 'get', 'patch', 'update'] }),
};

/** The scale subresource of workloads: spec.replicas, status.replicas and the selector. */
export const REPLICAS_SCALE: ScaleDef = {
  specReplicasPath: 'spec.replicas',
  statusReplicasPath: 'status.replicas',
  labelSelectorPath: 'spec.selector',
};

// Field selector values as Kubernetes' fields.Set holds them: Go zero values, never absent.
export const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
export const flag = (v: unknown): string => (v === true ? 'true' : 'false');
export const count = (v: unknown): string => String(typeof v === 'number' ? v : 0);
