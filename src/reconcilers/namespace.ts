// The namespace controller: empties a namespace being deleted, then lifts its `kubernetes` finalizer.
import type { Controller, ControllerContext } from './runtime.ts';
import type { KubeObject } from '../api/registry/types.ts';
import { StatusError } from '../api/errors.ts';

const FINALIZER = 'kubernetes';

export const namespaceController: Controller = {
  name: 'namespace',
  // Only namespaces being deleted matter; while their content goes, the controller asks to run again.
  wakesOn: w => w.resource === 'namespaces' && w.group === '' && !!w.object.metadata?.deletionTimestamp,
  async reconcile(ctx: ControllerContext) {
    const { api, scope } = ctx;
    const namespaces = api.catalog.find('', 'v1', 'namespaces')!;
    const { informer } = await ctx.informers.get('', 'v1', 'namespaces');
    let requeue: number | undefined;
    for (const ns of informer.list() as KubeObject[]) {
      if (!ns.metadata?.deletionTimestamp) continue;
      if (ctx.clock.now() > ctx.deadline) return { requeueAfterMs: 0 };
      const remaining = await deleteContent(ctx, ns.metadata.name);
      if (remaining > 0) { requeue = 1000; continue; }
      const finalizers: string[] = ns.spec?.finalizers ?? [];
      if (!finalizers.includes(FINALIZER)) continue;
      try {
        await api.update(scope, { def: namespaces, name: ns.metadata.name, subresource: 'finalize' }, {
          ...ns, spec: { ...ns.spec, finalizers: finalizers.filter(f => f !== FINALIZER) },
        });
      } catch (e) {
        if (!(e instanceof StatusError && (e.code === 404 || e.code === 409))) throw e;
        requeue = 0;
      }
    }
    return requeue === undefined ? undefined : { requeueAfterMs: requeue };
  },
};

/** Deletes every namespaced object in the namespace; returns how many still exist. */
async function deleteContent(ctx: ControllerContext, namespace: string): Promise<number> {
  const { api, scope } = ctx;
  let remaining = 0;
  const seen = new Set<string>();
  for (const def of api.catalog.resources) {
    const storageKey = `${def.storage?.group ?? def.group}/${def.storage?.resource ?? def.resource}`;
    if (!def.namespaced || !def.verbs.includes('list') || !def.verbs.includes('delete') || seen.has(storageKey)) continue;
    seen.add(storageKey);
    const items = (await api.list(scope, { def, namespace })).items as KubeObject[];
    for (const item of items) {
      if (item.metadata?.deletionTimestamp) { remaining++; continue; }
      try {
        const r = await api.delete(scope, { def, namespace, name: item.metadata!.name }, { propagationPolicy: 'Background' });
        if (!r.deleted) remaining++;
      } catch (e) {
        if (!(e instanceof StatusError && (e.code === 404 || e.code === 409))) throw e;
        if (e.code === 409) remaining++;
      }
    }
  }
  return remaining;
}
