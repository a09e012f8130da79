// The kubeconfig a user gets for a cluster.
import { stringify } from 'yaml';

export function kubeconfig(opts: { cluster: string; server: string; caPem: string; token: string; namespace?: string }): string {
  const name = `skiff-${opts.cluster}`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: opts.server, 'certificate-authority-data': btoa(opts.caPem) } }],
    users: [{ name: `${name}-admin`, user: { token: opts.token } }],
    contexts: [{ name, context: { cluster: name, user: `${name}-admin`, namespace: opts.namespace ?? 'default' } }],
    'current-context': name,
    preferences: {},
  });
}
