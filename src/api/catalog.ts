// Lookups over the resource registry: by group/version/resource, by kind, and the storage key.
import type { ResourceDef, KubeObject } from './registry/types.ts';
import { resources as builtIn } from './registry/index.ts';
import { columnsByResource, defaultColumns } from './tables/index.ts';
import { qualified } from './errors.ts';

export interface GroupVersions { group: string; versions: string[] }

export class Catalog {
  private readonly byGvr = new Map<string, ResourceDef>();
  private readonly byGvk = new Map<string, ResourceDef>();
  readonly groups: GroupVersions[] = [];

  constructor(readonly resources: ResourceDef[]) {
    for (const def of resources) {
      this.byGvr.set(`${def.group}/${def.version}/${def.resource}`, def);
      this.byGvk.set(`${def.group}/${def.version}/${def.kind}`, def);
      let g = this.groups.find(x => x.group === def.group);
      if (!g) this.groups.push(g = { group: def.group, versions: [] });
      if (!g.versions.includes(def.version)) g.versions.push(def.version);
    }
  }

  find(group: string, version: string, resource: string): ResourceDef | undefined {
    return this.byGvr.get(`${group}/${version}/${resource}`);
  }

  findKind(group: string, version: string, kind: string): ResourceDef | undefined {
    return this.byGvk.get(`${group}/${version}/${kind}`);
  }

  /** The entry of a group/resource in the group's preferred (first listed) version. */
  preferred(group: string, resource: string): ResourceDef | undefined {
    const g = this.groups.find(x => x.group === group);
    return g && g.versions.map(v => this.find(group, v, resource)).find(Boolean);
  }

  versionsOf(group: string): string[] {
    return this.groups.find(g => g.group === group)?.versions ?? [];
  }

  resourcesOf(group: string, version: string): ResourceDef[] {
    return this.resources.filter(r => r.group === group && r.version === version);
  }
}

export function apiVersionOf(def: { group: string; version: string }): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

export function storageOf(def: ResourceDef): { group: string; resource: string } {
  return def.storage ?? { group: def.group, resource: def.resource };
}

export function groupResource(def: ResourceDef) {
  return { group: def.group, resource: def.resource };
}

export function columnsOf(def: ResourceDef) {
  return def.columns ?? columnsByResource[qualified(def)] ?? defaultColumns;
}

/** The stored form of an object given in `def`'s version. */
export function toStorage(def: ResourceDef, object: KubeObject): KubeObject {
  return def.conversion ? def.conversion.toStorage(object) : object;
}

/** An object of the stored form, as `def`'s version shows it, with apiVersion and kind set. */
export function fromStorage(def: ResourceDef, object: KubeObject): KubeObject {
  const converted = def.conversion ? def.conversion.fromStorage(object) : object;
  const { apiVersion: _a, kind: _k, ...rest } = converted;
  return { apiVersion: apiVersionOf(def), kind: def.kind, ...rest };
}

let shared: Catalog | undefined;
/** The catalog of built-in resources. */
export function builtInCatalog(): Catalog {
  return (shared ??= new Catalog(builtIn));
}
