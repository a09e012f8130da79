// kubectl and NodePools: list, scale and apply them as any scalable kind, and see their nodes.
import { describe, expect, it } from 'vitest';
import { AGE, ANY, expectTable, ok, row, useCluster } from './helpers.ts';

const cluster = useCluster();
const kubectl = (args: string | string[], input?: string) => cluster.kubectl(args, { input });

/** Polls until the pool has `count` nodes (the controllers run right after each write); returns their names. */
async function nodesOf(pool: string, count: number) {
  for (let i = 0; i < 100; i++) {
    const out = ok(await kubectl(['get', 'nodes', '-l', `skiff.dev/nodepool=${pool}`, '-o', 'name']));
    const names = out.split('\n').filter(Boolean);
    if (names.length === count) return names.map(n => n.replace('node/', '')).sort();
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`pool ${pool} never had ${count} nodes`);
}

describe('node pools', () => {
  it('lists the default pool and scales it', async () => {
    expectTable(ok(await kubectl('get np')), ['NAME   REPLICAS   READY   AGE', row('sim', '3', ANY, AGE)]);
    expect(await nodesOf('sim', 3)).toEqual(['sim-0', 'sim-1', 'sim-2']);
    expect(ok(await kubectl('scale nodepool sim --replicas=5'))).toBe('nodepool.skiff.dev/sim scaled\n');
    expect(await nodesOf('sim', 5)).toEqual(['sim-0', 'sim-1', 'sim-2', 'sim-3', 'sim-4']);
    ok(await kubectl('scale np sim --replicas=2'));
    expect(await nodesOf('sim', 2)).toEqual(['sim-0', 'sim-1']);
  });

  it('applies a pool from YAML, twice', async () => {
    const pool = (replicas: number) => `
apiVersion: skiff.dev/v1alpha1
kind: NodePool
metadata: {name: gpu}
spec:
  replicas: ${replicas}
  template:
    metadata: {labels: {accelerator: gpu}}
    spec:
      taints: [{key: nvidia.com/gpu, effect: NoSchedule}]
      capacity: {cpu: "32", memory: 128Gi, pods: "110", nvidia.com/gpu: "4"}
`;
    expect(ok(await kubectl('apply -f -', pool(1)))).toBe('nodepool.skiff.dev/gpu created\n');
    expect(await nodesOf('gpu', 1)).toEqual(['gpu-0']);
    expect(ok(await kubectl('apply -f -', pool(2)))).toBe('nodepool.skiff.dev/gpu configured\n');
    expect(await nodesOf('gpu', 2)).toEqual(['gpu-0', 'gpu-1']);
    const taints = ok(await kubectl(['get', 'node', 'gpu-1', '-o', 'jsonpath={.spec.taints[*].key}']));
    expect(taints).toBe('nvidia.com/gpu');
  });
});
