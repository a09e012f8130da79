// The shape of a registry entry: everything a resource adds is data plus a strategy (DESIGN §2).
import type { FieldError } from '../errors.ts';

/** Any Kubernetes object as JSON. Strategies narrow it with kubernetes-types where they need to. */
export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, any>;
  [key: string]: any;
};

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export const ALL_VERBS: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** A Table column (meta.k8s.io/v1 TableColumnDefinition) plus how to compute its cell. */
export interface Column {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;          // 'name' for the Name column
  priority: number;         // 0: always shown, 1: only with -o wide
  description: string;
  cell: (obj: KubeObject, now: number) => string | number | boolean | null;
}

/** What strategies see besides the object. */
export interface StrategyContext {
  now: Date;
  /** The cluster the request is for. */
  cluster: string;
  /** The subresource written (status, scale, binding, finalize...), absent for the object itself. */
  subresource?: string;
  /** Who is asking. */
  user?: { username: string; uid?: string; groups: string[]; extra?: Record<string, string[]> };
}

export interface Strategy {
  /** Scheme defaults (SetDefaults_*), applied to every object decoded for a write. */
  defaults?(obj: KubeObject): void;
  /** Create-time normalisation: reset status, set initial fields (after defaults, before validation). */
  prepareForCreate?(obj: KubeObject, ctx: StrategyContext): void;
  /** Update-time normalisation: keep what the update may not change (after defaults, before validation). */
  prepareForUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): void;
  /** Object validation (everything except metadata.name/labels/annotations, which is generic). */
  validate?(obj: KubeObject, ctx: StrategyContext): FieldError[];
  /** Extra validation of an update: immutable fields and the like. */
  validateUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): FieldError[];
  /** How deletion goes for kinds that do not simply disappear (graceful pods, finalizing namespaces). */
  deletion?: DeletionStrategy;
}

export interface DeletionStrategy {
  /** Seconds the object lingers after a delete, given what the client asked for (0: at once). */
  gracePeriodSeconds?(obj: KubeObject, requested: number | undefined): number;
  /** Finalizers held outside metadata.finalizers (a namespace's spec.finalizers). */
  pendingFinalizers?(obj: KubeObject): string[];
  /** Changes when graceful deletion begins (a namespace turns Terminating). */
  begin?(obj: KubeObject): void;
}

/** Scale subresource, as in a CRD's `subresources.scale`: paths in the object, dotted. */
export interface ScaleDef {
  specReplicasPath: string;    // e.g. 'spec.replicas'
  statusReplicasPath: string;  // e.g. 'status.replicas'
  labelSelectorPath?: string;  // e.g. 'spec.selector' (a LabelSelector) rendered as a string
}

/** A served version other than the storage one converts to and from the storage form. */
export interface VersionConversion {
  toStorage(obj: KubeObject): KubeObject;
  fromStorage(obj: KubeObject): KubeObject;
}

export interface ResourceDef {
  group: string;                 // '' for the core group
  version: string;               // the version this entry serves
  resource: string;              // plural, lower case
  singular: string;
  kind: string;
  listKind?: string;             // default `${kind}List`
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs: Verb[];
  /** The stored form's key; entries of several groups/versions may share it (core/v1 and events.k8s.io/v1 events). */
  storage?: { group: string; resource: string };
  /** Present when this version is not the storage version of `storage`. */
  conversion?: VersionConversion;
  /** Whether the object has a status stanza that only the status subresource writes. */
  hasStatus?: boolean;
  /** Whether a create keeps the status it is given (nodes register with theirs); other kinds start empty. */
  statusOnCreate?: boolean;
  /** Whether metadata.generation is maintained (bumped on spec changes). */
  generation?: boolean;
  scale?: ScaleDef;
  /** Other subresources served (names as in discovery: 'log', 'exec', 'binding', 'token', ...). */
  subresources?: { name: string; kind: string; group?: string; version?: string; verbs: Verb[] }[];
  /** Field selectors beyond metadata.name and metadata.namespace: field path → value of the object. */
  fieldSelectors?: Record<string, (obj: KubeObject) => string | undefined>;
  strategy?: Strategy;
  /** Table columns; the generic Name + Created At columns when absent. */
  columns?: Column[];
  /** Sent as a Warning header on every request, as Kubernetes does for deprecated APIs. */
  deprecationWarning?: string;
  /** How metadata.name is validated: DNS-1123 subdomain (default), DNS-1123 label, or a path segment. */
  nameRule?: 'subdomain' | 'label' | 'path-segment';
  /** OpenAPI definition name of the kind, e.g. io.k8s.api.apps.v1.Deployment. */
  definition?: string;
}
