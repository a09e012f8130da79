// What a pod's connect subresources (log, exec, attach, portforward) address: kube-apiserver's defaulting
// and checking of the container name, and the node the pod runs on (simulated here, or an agent's).
import type { Pod } from 'kubernetes-types/core/v1';
import type { Api, RequestScope } from './api.ts';
import { StatusError, badRequest } from './errors.ts';
import { isSimulatedNode } from '../reconcilers/kubelet/conventions.ts';

/** Every container name of the pod in the order Kubernetes lists them: init, regular, ephemeral. */
function containerNames(pod: Pod): string[] {
  const spec = pod.spec;
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? []), ...(spec?.ephemeralContainers ?? [])].map(c => c.name);
}

/** The container a request means: the one named, or the pod's only container (pod/strategy.go validateContainer). */
export function resolveContainer(pod: Pod, requested: string | undefined): string {
  const name = pod.metadata!.name;
  // Go prints a []string as [a b].
  const choices = `[${containerNames(pod).join(' ')}]`;
  if (!requested) {
    const containers = pod.spec?.containers ?? [];
    if (containers.length === 1) return containers[0].name;
    if (containers.length === 0) throw badRequest(`pod ${name} does not have a container`);
    throw badRequest(`a container name must be specified for pod ${name}, choose one of: ${choices}`);
  }
  if (!containerNames(pod).includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
  return requested;
}

export interface PodNode { name: string; simulated: boolean }

/** The node the pod is bound to, undefined while it is unscheduled. */
export async function nodeOfPod(api: Api, scope: RequestScope, pod: Pod): Promise<PodNode | undefined> {
  const name = pod.spec?.nodeName;
  if (!name) return undefined;
  const def = api.catalog.find('', 'v1', 'nodes')!;
  const node = await api.get(scope, { def, name });
  return { name, simulated: isSimulatedNode(node) };
}

/**
 * A pod on a node registered by an external agent: serving `what` needs a tunnel to the agent, which
 * Skiff does not have yet. 501 is the honest code; the reason is not one of metav1's constants.
 */
export function needsAgentTunnel(pod: Pod, node: string, what: string): StatusError {
  const where = `${pod.metadata!.namespace}/${pod.metadata!.name}`;
  return new StatusError(501, 'NotImplemented' as StatusError['reason'],
    `pod ${where} runs on node ${node}, registered by an external agent: ${what} is not available on such nodes yet (no tunnel to node agents)`);
}
