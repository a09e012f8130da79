// The reconcilers every cluster runs, in pass order (a fresh set per control plane: some keep state).
import type { Controller } from './runtime.ts';
import { namespaceController } from './namespace.ts';
import { garbageCollector } from './garbage-collector.ts';

export function controllers(): Controller[] {
  return [namespaceController, garbageCollector()];
}
