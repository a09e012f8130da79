// Taints and tolerations (v1.Toleration.ToleratesTaint): which taints a pod's tolerations leave standing.
export interface Taint { key: string; value?: string; effect: string }
export interface Toleration { key?: string; operator?: string; value?: string; effect?: string }

/** An empty effect tolerates every effect, an empty key with Exists every key; Equal is the default operator. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? 'Equal') {
    case 'Exists': return true;
    case '': case 'Equal': return (t.value ?? '') === (taint.value ?? '');
    default: return false;
  }
}

// Loops rather than callbacks: these run per node, and every closure costs (tsx keeps function names).
export function isTolerated(tolerations: readonly Toleration[], taint: Taint): boolean {
  for (const t of tolerations) if (tolerates(t, taint)) return true;
  return false;
}

/** The first taint with one of the effects that no toleration tolerates. */
export function firstUntolerated(taints: readonly Taint[], tolerations: readonly Toleration[], effects: readonly string[]): Taint | undefined {
  for (const taint of taints) if (effects.includes(taint.effect) && !isTolerated(tolerations, taint)) return taint;
  return undefined;
}

export const BLOCKING_EFFECTS = ['NoSchedule', 'NoExecute'] as const;
