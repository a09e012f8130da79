// The reconcilers every cluster runs, in pass order.
import type { Controller } from './runtime.ts';
import { namespaceController } from './namespace.ts';

export const controllers: Controller[] = [namespaceController];
