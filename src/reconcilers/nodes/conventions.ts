// What NodePools write on the Nodes they make: the simulated kubelet's annotations (it runs every node
// marked simulated, with the capacity the pool's template gives), and the pool's own label.
export { CAPACITY_ANNOTATION, SIMULATED_ANNOTATION } from '../kubelet/conventions.ts';

/** The NodePool a Node belongs to. */
export const POOL_LABEL = 'skiff.dev/nodepool';

/** Nodes named `<pool>-<index>`: the index, or undefined for other names. */
export function poolIndex(pool: string, node: string): number | undefined {
  if (!node.startsWith(`${pool}-`)) return undefined;
  const rest = node.slice(pool.length + 1);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}
