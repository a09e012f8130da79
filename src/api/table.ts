// meta.k8s.io Table and PartialObjectMetadata renderings, what `kubectl get` asks for.
import type { KubeObject, ResourceDef } from './registry/types.ts';
import { columnsOf } from './catalog.ts';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function partialObjectMetadata(obj: KubeObject, version = 'v1'): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata ?? {} };
}

export function toTable(
  def: ResourceDef,
  objects: KubeObject[],
  listMeta: Record<string, unknown>,
  opts: { includeObject?: IncludeObject; version?: string; withColumns?: boolean; now: number },
): KubeObject {
  const columns = columnsOf(def);
  const version = opts.version ?? 'v1';
  const include = opts.includeObject ?? 'Metadata';
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: listMeta,
    columnDefinitions: opts.withColumns === false ? null : columns.map(c => ({
      name: c.name, type: c.type, format: c.format ?? '', description: c.description, priority: c.priority,
    })),
    rows: objects.map(obj => {
      const row: KubeObject = { cells: columns.map(c => cell(() => c.cell(obj, opts.now))) };
      if (include === 'Object') row.object = obj;
      else if (include === 'Metadata') row.object = partialObjectMetadata(obj, version);
      return row;
    }),
  };
}

/** A printer that trips over an odd object prints `<unknown>` rather than failing the whole list. */
function cell(compute: () => unknown): unknown {
  try {
    const v = compute();
    return v === undefined ? '' : v;
  } catch {
    return '<unknown>';
  }
}
