// kubectl's client-side apply annotation, as the server treats it during server-side apply by the
// `kubectl` manager: conflicts on fields it records with their live value are allowed (so objects move
// from client-side to server-side apply without conflicts), and it is kept in sync (so they can move back).
import type { KubeObject } from '../registry/types.ts';
import { compare } from './compare.ts';
import { FieldSet, fieldSetOf, goJson } from './fieldsets.ts';
import { isPlainObject, type Shape } from './shape.ts';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
export const KUBECTL_MANAGER = 'kubectl';

function annotation(obj: KubeObject): string | undefined {
  const value = obj.metadata?.annotations?.[LAST_APPLIED];
  return typeof value === 'string' && value ? value : undefined;
}

/** Fields of the annotation whose value the live object still has; undefined without a usable annotation. */
export function fieldsFromLastApplied(live: KubeObject, apiVersion: string, shape: Shape): FieldSet | undefined {
  const text = annotation(live);
  if (!text) return undefined;
  let last: unknown;
  try {
    last = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlainObject(last) || last.apiVersion !== apiVersion) return undefined;
  const changes = compare(last, live, shape);
  return fieldSetOf(last, shape).difference(changes.modified).difference(changes.added).difference(changes.removed);
}

/** Rewrites an existing annotation to the applied configuration (without the annotation, as Go encodes it). */
export function syncLastApplied(result: KubeObject, applied: KubeObject): KubeObject {
  if (!annotation(result)) return result;
  const config = structuredClone(applied);
  if (isPlainObject(config.metadata?.annotations)) delete config.metadata.annotations[LAST_APPLIED];
  const metadata = { ...result.metadata, annotations: { ...result.metadata!.annotations, [LAST_APPLIED]: `${goJson(config)}\n` } };
  return { ...result, metadata };
}
