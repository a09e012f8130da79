// Building blocks of the per-group column lists: a typed column constructor and the columns
// many kinds share (Name, Age, the pod template's Containers and Images, the generic table).
import type { Column, KubeObject } from '../registry/types.ts';
import type { Container } from 'kubernetes-types/core/v1';
import { containerImages, containerNames, rfc3339, since } from './format.ts';

export type Cell = ReturnType<Column['cell']>;

/** A column whose cell reads the object as `T`, the served version's shape of the kind. */
export function col<T = KubeObject>(
  name: string,
  type: Column['type'],
  description: string,
  cell: (obj: T, now: number) => Cell,
): Column {
  return { name, type, priority: 0, description, cell: cell as unknown as Column['cell'] };
}

/** The column shown only with `-o wide`. */
export function wide(column: Column): Column {
  return { ...column, priority: 1 };
}

/** The same columns reading another shape of the kind: `convert` maps it to the shape they read. */
export function reading(columns: Column[], convert: (obj: KubeObject) => KubeObject): Column[] {
  return columns.map((c) => ({ ...c, cell: (obj, now) => c.cell(convert(obj), now) }));
}

// ObjectMeta's field documentation, which kube-apiserver uses for these two columns everywhere.
export const NAME_DOC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
export const CREATION_TIMESTAMP_DOC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export const nameColumn: Column = {
  name: 'Name', type: 'string', format: 'name', priority: 0, description: NAME_DOC,
  cell: (obj) => obj.metadata?.name ?? '',
};

export const ageColumn: Column = col('Age', 'string', CREATION_TIMESTAMP_DOC, (obj, now) =>
  since(obj.metadata?.creationTimestamp, now),
);

/** The generic table (rest.DefaultTableConvertor) for kinds without printers of their own. */
export const defaultColumns: Column[] = [
  nameColumn,
  col('Created At', 'date', CREATION_TIMESTAMP_DOC, (obj) => rfc3339(obj.metadata?.creationTimestamp)),
];

/** The Containers and Images columns of a kind that carries a pod template. */
export function templateColumns<T>(containers: (obj: T) => Container[] | undefined): Column[] {
  return [
    col<T>('Containers', 'string', 'Names of each container in the template.', (o) => containerNames(containers(o))),
    col<T>('Images', 'string', 'Images referenced by each container in the template.', (o) => containerImages(containers(o))),
  ];
}
