import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/api/registry/types.ts';
import { columnsByResource, defaultColumns, humanDuration } from '../../src/api/tables/index.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

/** A timestamp `ms` before NOW, as the API serialises it. */
const ago = (ms: number) => new Date(NOW - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** What kubectl prints for the object: the header and the cells, wide or not. */
function header(resource: string, wide = false): string[] {
  return columnsByResource[resource].filter((c) => wide || c.priority === 0).map((c) => c.name.toUpperCase());
}
function row(resource: string, obj: object, wide = false): unknown[] {
  return columnsByResource[resource].filter((c) => wide || c.priority === 0).map((c) => c.cell(obj as KubeObject, NOW));
}

describe('humanDuration', () => {
  it.each([
    [-2 * S, '<invalid>'],
    [-1999, '0s'],
    [-1 * S, '0s'],
    [0, '0s'],
    [999, '0s'],
    [3 * S, '3s'],
    [119 * S, '119s'],
    [120 * S, '2m'],
    [125 * S, '2m5s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M + 30 * S, '10m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [3 * H + 5 * M, '3h5m'],
    [7 * H + 59 * M, '7h59m'],
    [8 * H + 30 * M, '8h'],
    [47 * H + 59 * M, '47h'],
    [48 * H, '2d'],
    [3 * D + 4 * H, '3d4h'],
    [7 * D + 23 * H, '7d23h'],
    [8 * D + 5 * H, '8d'],
    [200 * D, '200d'],
    [729 * D, '729d'],
    [730 * D, '2y'],
    [760 * D, '2y30d'],
    [8 * 365 * D - D, '7y364d'],
    [8 * 365 * D, '8y'],
    [20 * 365 * D + 100 * D, '20y'],
  ])('%d ms → %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('column definitions', () => {
  it('pods: names, order, types and priorities as kube-apiserver defines them', () => {
    const cols = columnsByResource.pods;
    expect(cols.map((c) => [c.name, c.type, c.priority])).toEqual([
      ['Name', 'string', 0], ['Ready', 'string', 0], ['Status', 'string', 0], ['Restarts', 'string', 0],
      ['Age', 'string', 0], ['IP', 'string', 1], ['Node', 'string', 1], ['Nominated Node', 'string', 1],
      ['Readiness Gates', 'string', 1],
    ]);
    expect(cols[0].format).toBe('name');
    expect(cols[0].description).toMatch(/^Name must be unique within a namespace\./);
    expect(cols[4].description).toMatch(/^CreationTimestamp is a timestamp/);
  });

  it('kubectl headers for the common kinds', () => {
    expect(header('services', true)).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
    expect(header('nodes', true)).toEqual([
      'NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME',
    ]);
    expect(header('events')).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(header('events', true)).toEqual([
      'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME',
    ]);
    expect(header('deployments.apps', true)).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(header('jobs.batch', true)).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(header('cronjobs.batch')).toEqual(['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE']);
    expect(header('horizontalpodautoscalers.autoscaling')).toEqual(['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE']);
    expect(header('secrets')).toEqual(['NAME', 'TYPE', 'DATA', 'AGE']);
    expect(header('serviceaccounts')).toEqual(['NAME', 'AGE']);
    expect(header('componentstatuses')).toEqual(['NAME', 'STATUS', 'MESSAGE', 'ERROR']);
    expect(header('resourcequotas')).toEqual(['NAME', 'REQUEST', 'LIMIT', 'AGE']);
    expect(header('priorityclasses.scheduling.k8s.io')).toEqual(['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY']);
    expect(header('events.events.k8s.io', true)).toEqual(header('events', true));
  });

  it('kinds without printers get Name and Created At', () => {
    expect(defaultColumns.map((c) => [c.name, c.type])).toEqual([['Name', 'string'], ['Created At', 'date']]);
    for (const r of ['roles.rbac.authorization.k8s.io', 'clusterroles.rbac.authorization.k8s.io', 'limitranges', 'customresourcedefinitions.apiextensions.k8s.io']) {
      expect(columnsByResource[r]).toBe(defaultColumns);
    }
    const crd = { metadata: { name: 'widgets.example.com', creationTimestamp: '2024-03-04T05:06:07Z' } };
    expect(row('customresourcedefinitions.apiextensions.k8s.io', crd)).toEqual(['widgets.example.com', '2024-03-04T05:06:07Z']);
  });

  it('every column has a cell per object even for an empty object', () => {
    for (const [resource, cols] of Object.entries(columnsByResource)) {
      for (const c of cols) expect(c.cell({}, NOW), `${resource} ${c.name}`).not.toBeUndefined();
    }
  });
});

describe('pods', () => {
  const pod = (status: object, spec: object = {}, metadata: object = {}) => ({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'web-0', namespace: 'default', creationTimestamp: ago(3 * H + 5 * M), ...metadata },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'nginx' }], ...spec },
    status,
  });
  const running = { running: { startedAt: ago(3 * H) } };

  it('a running, ready pod', () => {
    const p = pod({
      phase: 'Running', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }],
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }],
    });
    expect(row('pods', p)).toEqual(['web-0', '1/1', 'Running', '0', '3h5m']);
    expect(row('pods', p, true)).toEqual(['web-0', '1/1', 'Running', '0', '3h5m', '10.244.1.5', 'node-1', '<none>', '<none>']);
  });

  it('a pending pod not yet scheduled', () => {
    const p = pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] }, { nodeName: undefined });
    expect(row('pods', p, true)).toEqual(['web-0', '0/1', 'Pending', '0', '3h5m', '<none>', '<none>', '<none>', '<none>']);
  });

  it('scheduling gates and nominated nodes', () => {
    const p = pod({ phase: 'Pending', nominatedNodeName: 'node-2', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] });
    expect(row('pods', p, true).slice(2)).toEqual(['SchedulingGated', '0', '3h5m', '<none>', 'node-1', 'node-2', '<none>']);
  });

  it('a container being created', () => {
    const p = pod({ phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] });
    expect(row('pods', p).slice(1, 4)).toEqual(['0/1', 'ContainerCreating', '0']);
  });

  it('init containers in progress, failing and crash-looping', () => {
    const spec = { initContainers: [{ name: 'migrate', image: 'm' }, { name: 'seed', image: 's' }] };
    const first = pod({ phase: 'Pending', initContainerStatuses: [
      { name: 'migrate', ready: false, restartCount: 0, state: running },
      { name: 'seed', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } },
    ], containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }] }, spec);
    expect(row('pods', first).slice(1, 4)).toEqual(['0/1', 'Init:0/2', '0']);

    const second = pod({ phase: 'Pending', initContainerStatuses: [
      { name: 'migrate', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      { name: 'seed', ready: false, restartCount: 0, state: running },
    ] }, spec);
    expect(row('pods', second)[2]).toBe('Init:1/2');

    const crashing = pod({ phase: 'Pending', initContainerStatuses: [
      { name: 'migrate', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(40 * S) } } },
      { name: 'seed', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } },
    ] }, spec);
    expect(row('pods', crashing).slice(1, 4)).toEqual(['0/1', 'Init:CrashLoopBackOff', '4 (40s ago)']);

    const failed = (terminated: object) => pod({ phase: 'Pending', initContainerStatuses: [
      { name: 'migrate', ready: false, restartCount: 0, state: { terminated } },
    ] }, spec);
    expect(row('pods', failed({ exitCode: 1, reason: 'Error' }))[2]).toBe('Init:Error');
    expect(row('pods', failed({ exitCode: 2 }))[2]).toBe('Init:ExitCode:2');
    expect(row('pods', failed({ exitCode: 137, signal: 9 }))[2]).toBe('Init:Signal:9');
  });

  it('a crash-looping container shows its restarts and when the last one was', () => {
    const p = pod({ phase: 'Running', containerStatuses: [{
      name: 'app', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } },
      lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(5 * S) } },
    }] });
    expect(row('pods', p)).toEqual(['web-0', '0/1', 'CrashLoopBackOff', '3 (5s ago)', '3h5m']);
  });

  it('restarts without a recorded termination are a bare count', () => {
    const p = pod({ phase: 'Running', containerStatuses: [{ name: 'app', ready: true, restartCount: 2, state: running }] });
    expect(row('pods', p)[3]).toBe('2');
  });

  it('a completed pod, and one whose container failed', () => {
    const done = pod({ phase: 'Succeeded', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] });
    expect(row('pods', done).slice(1, 4)).toEqual(['0/1', 'Completed', '0']);
    const failed = pod({ phase: 'Failed', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 1, reason: 'Error' } } }] });
    expect(row('pods', failed)[2]).toBe('Error');
    const oom = pod({ phase: 'Running', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }] });
    expect(row('pods', oom)[2]).toBe('OOMKilled');
  });

  it('a completed container beside a running one reads Running or NotReady', () => {
    const statuses = [
      { name: 'app', ready: true, restartCount: 0, state: running },
      { name: 'job', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
    ];
    const spec = { containers: [{ name: 'app', image: 'a' }, { name: 'job', image: 'b' }] };
    const ready = pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: statuses }, spec);
    expect(row('pods', ready).slice(1, 3)).toEqual(['1/2', 'Running']);
    const notReady = pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: statuses }, spec);
    expect(row('pods', notReady).slice(1, 3)).toEqual(['1/2', 'NotReady']);
  });

  it('sidecars count as containers and their restarts stay counted', () => {
    const p = pod({
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
      initContainerStatuses: [{ name: 'proxy', ready: true, started: true, restartCount: 1, state: running,
        lastState: { terminated: { exitCode: 1, finishedAt: ago(2 * H) } } }],
      containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }],
    }, { initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }] });
    expect(row('pods', p).slice(1, 4)).toEqual(['2/2', 'Running', '1 (120m ago)']);
  });

  it('evicted pods show the status reason', () => {
    const p = pod({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' });
    expect(row('pods', p).slice(1, 3)).toEqual(['0/1', 'Evicted']);
  });

  it('terminating pods, and pods on a lost node', () => {
    const status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }] };
    expect(row('pods', pod(status, {}, { deletionTimestamp: ago(10 * S) }))[2]).toBe('Terminating');
    // A finished pod being deleted keeps its final status.
    const done = { phase: 'Succeeded', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] };
    expect(row('pods', pod(done, {}, { deletionTimestamp: ago(10 * S) }))[2]).toBe('Completed');
    const lost = { ...status, phase: 'Unknown', reason: 'NodeLost' };
    expect(row('pods', pod(lost))[2]).toBe('NodeLost');
    expect(row('pods', pod(lost, {}, { deletionTimestamp: ago(10 * S) }))[2]).toBe('Unknown');
  });

  it('readiness gates count the gates whose condition is True', () => {
    const p = pod({
      phase: 'Running',
      conditions: [{ type: 'example.com/lb', status: 'True' }, { type: 'example.com/dns', status: 'False' }],
    }, { readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }] });
    expect(row('pods', p, true)[8]).toBe('1/2');
  });
});

describe('deployments, replica sets, stateful sets, daemon sets', () => {
  const template = {
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'sidecar', image: 'busybox' }] },
  };

  it('deployments', () => {
    const d = {
      metadata: { name: 'web', creationTimestamp: ago(47 * H + 10 * M) },
      spec: {
        replicas: 3, template,
        selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }, { key: 'canary', operator: 'DoesNotExist' }] },
      },
      status: { replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2 },
    };
    expect(row('deployments.apps', d)).toEqual(['web', '2/3', 3, 2, '47h']);
    expect(row('deployments.apps', d, true)).toEqual([
      'web', '2/3', 3, 2, '47h', 'nginx,sidecar', 'nginx:1.27,busybox', 'app=web,!canary,tier in (a,b)',
    ]);
    const fresh = { metadata: { name: 'api', creationTimestamp: ago(4 * S) }, spec: { replicas: 1, template, selector: { matchLabels: { app: 'api' } } } };
    expect(row('deployments.apps', fresh)).toEqual(['api', '0/1', 0, 0, '4s']);
    const bad = { ...fresh, spec: { ...fresh.spec, selector: { matchExpressions: [{ key: 'a', operator: 'Near' }] } } };
    expect(row('deployments.apps', bad, true)[7]).toBe('<invalid>');
  });

  it('replica sets, stateful sets and daemon sets', () => {
    const meta = { name: 'web-5d9c', creationTimestamp: ago(10 * D) };
    const rs = { metadata: meta, spec: { replicas: 3, template, selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d9c' } } }, status: { replicas: 3, readyReplicas: 3 } };
    expect(row('replicasets.apps', rs, true)).toEqual(['web-5d9c', 3, 3, 3, '10d', 'nginx,sidecar', 'nginx:1.27,busybox', 'app=web,pod-template-hash=5d9c']);
    const sts = { metadata: { name: 'db', creationTimestamp: ago(90 * S) }, spec: { replicas: 3, template, selector: { matchLabels: { app: 'db' } } }, status: { readyReplicas: 1 } };
    expect(row('statefulsets.apps', sts, true)).toEqual(['db', '1/3', '90s', 'nginx,sidecar', 'nginx:1.27,busybox']);
    const ds = {
      metadata: { name: 'kube-proxy', creationTimestamp: ago(400 * D) },
      spec: { selector: { matchLabels: { 'k8s-app': 'kube-proxy' } }, template: { ...template, spec: { ...template.spec, nodeSelector: { 'kubernetes.io/os': 'linux' } } } },
      status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 },
    };
    expect(row('daemonsets.apps', ds)).toEqual(['kube-proxy', 3, 3, 2, 3, 2, 'kubernetes.io/os=linux', '400d']);
  });

  it('controller revisions name their owner by kind and group', () => {
    const cr = {
      metadata: { name: 'db-7c9f', creationTimestamp: ago(5 * M), ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u', controller: true }] },
      revision: 2,
    };
    expect(row('controllerrevisions.apps', cr)).toEqual(['db-7c9f', 'statefulset.apps/db', 2, '5m']);
    expect(row('controllerrevisions.apps', { ...cr, metadata: { ...cr.metadata, ownerReferences: [] } })[1]).toBe('<none>');
  });
});

describe('services', () => {
  const svc = (spec: object, status: object = {}) => ({
    metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(2 * D + 3 * H) }, spec, status,
  });

  it('ClusterIP, headless and multi-port', () => {
    const dns = svc({
      type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], selector: { 'k8s-app': 'kube-dns' },
      ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153, protocol: 'TCP' }],
    });
    expect(row('services', dns, true)).toEqual(['web', 'ClusterIP', '10.96.0.10', '<none>', '53/UDP,53/TCP,9153/TCP', '2d3h', 'k8s-app=kube-dns']);
    const headless = svc({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 5432, protocol: 'TCP' }] });
    expect(row('services', headless, true)).toEqual(['web', 'ClusterIP', 'None', '<none>', '5432/TCP', '2d3h', '<none>']);
    const withExternal = svc({ type: 'ClusterIP', clusterIPs: ['10.96.4.4'], externalIPs: ['192.0.2.1', '192.0.2.2'], ports: [{ port: 80, protocol: 'TCP' }] });
    expect(row('services', withExternal)[3]).toBe('192.0.2.1,192.0.2.2');
  });

  it('NodePort shows the node ports', () => {
    const np = svc({ type: 'NodePort', clusterIPs: ['10.96.12.7'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 443, nodePort: 30443, protocol: 'TCP' }] });
    expect(row('services', np)).toEqual(['web', 'NodePort', '10.96.12.7', '<none>', '80:30080/TCP,443:30443/TCP', '2d3h']);
  });

  it('LoadBalancer: pending, then its ingress addresses (sorted, never clipped)', () => {
    const spec = { type: 'LoadBalancer', clusterIPs: ['10.96.100.1'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] };
    expect(row('services', svc(spec))).toEqual(['web', 'LoadBalancer', '10.96.100.1', '<pending>', '443:31443/TCP', '2d3h']);
    const ready = svc(spec, { loadBalancer: { ingress: [{ ip: '203.0.113.10' }, { ip: '198.51.100.7' }] } });
    expect(row('services', ready)[3]).toBe('198.51.100.7,203.0.113.10');
    const hostname = svc(spec, { loadBalancer: { ingress: [{ hostname: 'a1b2c3-1234567890.eu-west-1.elb.amazonaws.com' }] } });
    expect(row('services', hostname)[3]).toBe('a1b2c3-1234567890.eu-west-1.elb.amazonaws.com');
    const both = svc({ ...spec, externalIPs: ['192.0.2.50'] }, { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } });
    expect(row('services', both)[3]).toBe('203.0.113.10,192.0.2.50');
  });

  it('ExternalName', () => {
    const ext = svc({ type: 'ExternalName', externalName: 'db.example.com' });
    expect(row('services', ext, true)).toEqual(['web', 'ExternalName', '<none>', 'db.example.com', '<none>', '2d3h', '<none>']);
  });

  it('endpoints list three addresses and count the rest', () => {
    const ep = {
      metadata: { name: 'web', creationTimestamp: ago(50 * S) },
      subsets: [{ addresses: [{ ip: '10.244.1.5' }, { ip: '10.244.2.6' }], ports: [{ port: 8080, protocol: 'TCP' }, { port: 8443, protocol: 'TCP' }] }],
    };
    expect(row('endpoints', ep)).toEqual(['web', '10.244.1.5:8080,10.244.2.6:8080,10.244.1.5:8443 + 1 more...', '50s']);
    expect(row('endpoints', { ...ep, subsets: [{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }] })[1]).toBe('[fd00::1]:80');
    expect(row('endpoints', { ...ep, subsets: undefined })[1]).toBe('<none>');
  });
});

describe('nodes', () => {
  const node = (name: string, ready: string | undefined, extra: { labels?: object; unschedulable?: boolean } = {}) => ({
    metadata: { name, creationTimestamp: ago(200 * D), labels: { 'kubernetes.io/hostname': name, ...extra.labels } },
    spec: { unschedulable: extra.unschedulable },
    status: {
      conditions: [
        { type: 'MemoryPressure', status: 'False' },
        ...(ready ? [{ type: 'Ready', status: ready }] : []),
      ],
      addresses: [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: name }],
      nodeInfo: { kubeletVersion: 'v1.35.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.8.0-45-generic', containerRuntimeVersion: 'containerd://2.1.3' },
    },
  });

  it('Ready, NotReady, cordoned and unknown nodes with roles from labels', () => {
    const cp = node('cp-1', 'True', { labels: { 'node-role.kubernetes.io/control-plane': '' } });
    expect(row('nodes', cp, true)).toEqual([
      'cp-1', 'Ready', 'control-plane', '200d', 'v1.35.0', '172.18.0.2', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.8.0-45-generic', 'containerd://2.1.3',
    ]);
    expect(row('nodes', node('w-1', 'False'))).toEqual(['w-1', 'NotReady', '<none>', '200d', 'v1.35.0']);
    expect(row('nodes', node('w-2', 'Unknown'))[1]).toBe('NotReady');
    const cordoned = node('w-3', 'True', { unschedulable: true, labels: { 'node-role.kubernetes.io/worker': 'true', 'kubernetes.io/role': 'infra', 'node-role.kubernetes.io/': '' } });
    expect(row('nodes', cordoned).slice(1, 3)).toEqual(['Ready,SchedulingDisabled', 'infra,worker']);
    expect(row('nodes', node('w-4', undefined, { unschedulable: true }))[1]).toBe('Unknown,SchedulingDisabled');
    const bare = { metadata: { name: 'new' }, status: {} };
    expect(row('nodes', bare, true)).toEqual(['new', 'Unknown', '<none>', '<unknown>', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
  });
});

describe('events', () => {
  const coreEvent = {
    apiVersion: 'v1', kind: 'Event',
    metadata: { name: 'web-0.17f0a1b2c3d4e5f6', namespace: 'default', creationTimestamp: ago(2 * M) },
    involvedObject: { kind: 'Pod', name: 'web-0', namespace: 'default', fieldPath: 'spec.containers{app}' },
    reason: 'BackOff', type: 'Warning', message: 'Back-off restarting failed container app in pod web-0\n',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: ago(10 * M), lastTimestamp: ago(30 * S), count: 12,
  };

  it('core/v1 events', () => {
    expect(row('events', coreEvent)).toEqual(['30s', 'Warning', 'BackOff', 'pod/web-0', 'Back-off restarting failed container app in pod web-0']);
    expect(row('events', coreEvent, true)).toEqual([
      '30s', 'Warning', 'BackOff', 'pod/web-0', 'spec.containers{app}', 'kubelet, node-1',
      'Back-off restarting failed container app in pod web-0', '10m', 12, 'web-0.17f0a1b2c3d4e5f6',
    ]);
  });

  it('events recorded through the new API: eventTime, series and reporting controller', () => {
    const single = {
      metadata: { name: 'e1' }, involvedObject: { kind: 'Node', name: 'node-1' }, reason: 'RegisteredNode', type: 'Normal',
      message: 'Registered', eventTime: '2025-06-01T11:59:15.123456Z', reportingComponent: 'node-controller', reportingInstance: '',
    };
    expect(row('events', single, true)).toEqual(['44s', 'Normal', 'RegisteredNode', 'node/node-1', '', 'node-controller', 'Registered', '44s', 1, 'e1']);
    const series = { ...single, series: { count: 7, lastObservedTime: '2025-06-01T11:59:55.000000Z' } };
    expect(row('events', series, true)).toEqual(['5s', 'Normal', 'RegisteredNode', 'node/node-1', '', 'node-controller', 'Registered', '44s', 7, 'e1']);
    expect(row('events', { metadata: { name: 'e2' }, involvedObject: { kind: 'Namespace' } })).toEqual(['<unknown>', '', '', 'namespace', '']);
  });

  it('events.k8s.io/v1 events print like their core/v1 form', () => {
    const v1 = {
      apiVersion: 'events.k8s.io/v1', kind: 'Event',
      metadata: coreEvent.metadata,
      regarding: coreEvent.involvedObject, reason: 'BackOff', type: 'Warning', note: coreEvent.message,
      deprecatedSource: coreEvent.source, deprecatedFirstTimestamp: coreEvent.firstTimestamp,
      deprecatedLastTimestamp: coreEvent.lastTimestamp, deprecatedCount: 12,
    };
    expect(row('events.events.k8s.io', v1, true)).toEqual(row('events', coreEvent, true));
  });
});

describe('jobs and cron jobs', () => {
  const template = { spec: { containers: [{ name: 'pi', image: 'perl:5.34' }], restartPolicy: 'Never' } };
  const job = (spec: object, status: object, metadata: object = {}) => ({
    metadata: { name: 'pi', creationTimestamp: ago(5 * M), ...metadata },
    spec: { completions: 1, parallelism: 1, template, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'c0ffee' } }, ...spec },
    status,
  });

  it('running, complete and failed jobs', () => {
    const runningJob = job({}, { startTime: ago(4 * M + 50 * S), active: 1, ready: 1 });
    expect(row('jobs.batch', runningJob, true)).toEqual([
      'pi', 'Running', '0/1', '4m50s', '5m', 'pi', 'perl:5.34', 'batch.kubernetes.io/controller-uid=c0ffee',
    ]);
    const complete = job({}, {
      startTime: ago(5 * M), completionTime: ago(5 * M - 15 * S), succeeded: 1,
      conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }],
    });
    expect(row('jobs.batch', complete)).toEqual(['pi', 'Complete', '1/1', '15s', '5m']);
    const failed = job({ backoffLimit: 0 }, {
      startTime: ago(5 * M), failed: 1,
      conditions: [{ type: 'FailureTarget', status: 'True' }, { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }],
    });
    expect(row('jobs.batch', failed).slice(1, 4)).toEqual(['Failed', '0/1', '5m']);
    const failing = job({}, { startTime: ago(5 * M), conditions: [{ type: 'FailureTarget', status: 'True' }] });
    expect(row('jobs.batch', failing)[1]).toBe('FailureTarget');
  });

  it('parallel, suspended, unstarted and terminating jobs', () => {
    expect(row('jobs.batch', job({ completions: undefined, parallelism: 3 }, { succeeded: 1, startTime: ago(M) }))[2]).toBe('1/1 of 3');
    expect(row('jobs.batch', job({ completions: 5, parallelism: 2 }, { succeeded: 2, startTime: ago(M) }))[2]).toBe('2/5');
    const suspended = job({ suspend: true }, { conditions: [{ type: 'Suspended', status: 'True' }] });
    expect(row('jobs.batch', suspended).slice(1, 4)).toEqual(['Suspended', '0/1', '']);
    expect(row('jobs.batch', job({}, { startTime: ago(M) }, { deletionTimestamp: ago(S) }))[1]).toBe('Terminating');
  });

  it('cron jobs', () => {
    const cj = {
      metadata: { name: 'backup', creationTimestamp: ago(3 * D + 4 * H) },
      spec: { schedule: '*/5 * * * *', suspend: false, jobTemplate: { spec: { template } } },
      status: { active: [{ kind: 'Job', name: 'backup-29144' }], lastScheduleTime: ago(2 * M + 10 * S) },
    };
    expect(row('cronjobs.batch', cj, true)).toEqual(['backup', '*/5 * * * *', '<none>', 'False', 1, '2m10s', '3d4h', 'pi', 'perl:5.34', '<none>']);
    const zoned = { ...cj, spec: { ...cj.spec, timeZone: 'Europe/Paris', suspend: true }, status: {} };
    expect(row('cronjobs.batch', zoned)).toEqual(['backup', '*/5 * * * *', 'Europe/Paris', 'True', 0, '<none>', '3d4h']);
  });
});

describe('horizontal pod autoscalers', () => {
  const hpa = (spec: object, status: object = {}) => ({
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', creationTimestamp: ago(6 * H) },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 10, ...spec },
    status,
  });
  const cpu = (target: object) => ({ type: 'Resource', resource: { name: 'cpu', target } });

  it('resource utilization, measured and not yet measured', () => {
    const spec = { metrics: [cpu({ type: 'Utilization', averageUtilization: 80 })] };
    expect(row('horizontalpodautoscalers.autoscaling', hpa(spec))).toEqual(['web', 'Deployment/web', 'cpu: <unknown>/80%', '2', 10, 0, '6h']);
    const measured = hpa(spec, { currentReplicas: 3, desiredReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 45, averageValue: '210m' } } }] });
    expect(row('horizontalpodautoscalers.autoscaling', measured)).toEqual(['web', 'Deployment/web', 'cpu: 45%/80%', '2', 10, 3, '6h']);
  });

  it('average values, pods, object and external metrics, and more than two', () => {
    const metrics = [
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '512Mi' } } },
      { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '100' } } },
      { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '30' } } },
    ];
    const currentMetrics = [
      { type: 'Resource', resource: { name: 'memory', current: { averageValue: '300Mi' } } },
      { type: 'Pods', pods: { metric: { name: 'rps' }, current: { averageValue: '42' } } },
    ];
    expect(row('horizontalpodautoscalers.autoscaling', hpa({ metrics, minReplicas: undefined }, { currentMetrics }))).toEqual([
      'web', 'Deployment/web', 'memory: 300Mi/512Mi, 42/100 + 1 more...', '<unset>', 10, 0, '6h',
    ]);
    const external = hpa({ metrics: [metrics[2], { type: 'Object', object: { metric: { name: 'hits' }, describedObject: { kind: 'Ingress', name: 'main' }, target: { type: 'AverageValue', averageValue: '10' } } }] });
    expect(row('horizontalpodautoscalers.autoscaling', external)[2]).toBe('<unknown>/30, <unknown>/10 (avg)');
    expect(row('horizontalpodautoscalers.autoscaling', hpa({ metrics: [] }))[2]).toBe('<none>');
  });

  it('an autoscaling/v1 object reads like its v2 form', () => {
    const v1 = {
      apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', creationTimestamp: ago(6 * H) },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 60 },
      status: { currentReplicas: 2, desiredReplicas: 2, currentCPUUtilizationPercentage: 33 },
    };
    expect(row('horizontalpodautoscalers.autoscaling', v1)).toEqual(['web', 'Deployment/web', 'cpu: 33%/60%', '1', 5, 2, '6h']);
    const untargeted = { ...v1, spec: { ...v1.spec, targetCPUUtilizationPercentage: undefined }, status: { currentReplicas: 1 } };
    expect(row('horizontalpodautoscalers.autoscaling', untargeted)[2]).toBe('cpu: <unknown>/80%');
  });
});

describe('other kinds', () => {
  const meta = (name: string, extra: object = {}) => ({ name, creationTimestamp: ago(25 * H), ...extra });

  it('namespaces, config maps, secrets, service accounts', () => {
    expect(row('namespaces', { metadata: meta('kube-system'), status: { phase: 'Active' } })).toEqual(['kube-system', 'Active', '25h']);
    expect(row('namespaces', { metadata: meta('old'), status: { phase: 'Terminating' } })[1]).toBe('Terminating');
    expect(row('configmaps', { metadata: meta('kube-root-ca.crt'), data: { 'ca.crt': 'x' }, binaryData: { b: 'AA==' } })).toEqual(['kube-root-ca.crt', 2, '25h']);
    expect(row('secrets', { metadata: meta('tls'), type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } })).toEqual(['tls', 'kubernetes.io/tls', 2, '25h']);
    expect(row('serviceaccounts', { metadata: meta('default') })).toEqual(['default', '25h']);
  });

  it('persistent volumes and claims', () => {
    const pv = {
      metadata: meta('pvc-1234'),
      spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteMany', 'ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'standard', volumeMode: 'Filesystem', claimRef: { namespace: 'default', name: 'data' } },
      status: { phase: 'Bound' },
    };
    expect(row('persistentvolumes', pv, true)).toEqual(['pvc-1234', '10Gi', 'RWO,RWX', 'Delete', 'Bound', 'default/data', 'standard', '<unset>', '', '25h', 'Filesystem']);
    const pvc = {
      metadata: meta('data'),
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } }, storageClassName: 'standard', volumeName: 'pvc-1234', volumeMode: 'Filesystem' },
      status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '10Gi' } },
    };
    expect(row('persistentvolumeclaims', pvc, true)).toEqual(['data', 'Bound', 'pvc-1234', '10Gi', 'RWO', 'standard', '<unset>', '25h', 'Filesystem']);
    const pending = { metadata: meta('new'), spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'standard' }, status: { phase: 'Pending' } };
    expect(row('persistentvolumeclaims', pending)).toEqual(['new', 'Pending', '', '', '', 'standard', '<unset>', '25h']);
  });

  it('resource quotas split requests and limits', () => {
    const q = {
      metadata: meta('compute'),
      status: { hard: { 'requests.cpu': '1', 'limits.cpu': '2', 'requests.memory': '1Gi', 'limits.memory': '2Gi', pods: '10' }, used: { 'requests.cpu': '500m', pods: '3' } },
    };
    expect(row('resourcequotas', q)).toEqual(['compute', 'pods: 3/10, requests.cpu: 500m/1, requests.memory: 0/1Gi', 'limits.cpu: 0/2, limits.memory: 0/2Gi', '25h']);
  });

  it('component statuses', () => {
    expect(row('componentstatuses', { metadata: { name: 'etcd-0' }, conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }] })).toEqual(['etcd-0', 'Healthy', 'ok', '']);
    expect(row('componentstatuses', { metadata: { name: 'scheduler' }, conditions: [{ type: 'Healthy', status: 'False', error: 'connection refused' }] })).toEqual(['scheduler', 'Unhealthy', '', 'connection refused']);
  });

  it('ingresses, ingress classes, network policies', () => {
    const ing = {
      metadata: meta('web'),
      spec: { ingressClassName: 'nginx', tls: [{ hosts: ['a.example.com'] }], rules: [{ host: 'a.example.com' }, { host: 'b.example.com' }, {}, { host: 'd.example.com' }, { host: 'e.example.com' }] },
      status: { loadBalancer: { ingress: [{ ip: '203.0.113.5' }] } },
    };
    expect(row('ingresses.networking.k8s.io', ing)).toEqual(['web', 'nginx', 'a.example.com,b.example.com,d.example.com + 2 more...', '203.0.113.5', '80, 443', '25h']);
    expect(row('ingresses.networking.k8s.io', { metadata: meta('any'), spec: { rules: [{}] } })).toEqual(['any', '<none>', '*', '', '80', '25h']);
    const ic = { metadata: meta('nginx'), spec: { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' } } };
    expect(row('ingressclasses.networking.k8s.io', ic)).toEqual(['nginx', 'k8s.io/ingress-nginx', 'IngressParameters.k8s.example.com/external-lb', '25h']);
    expect(row('networkpolicies.networking.k8s.io', { metadata: meta('deny-all'), spec: { podSelector: {} } })).toEqual(['deny-all', '<none>', '25h']);
    expect(row('networkpolicies.networking.k8s.io', { metadata: meta('db'), spec: { podSelector: { matchLabels: { role: 'db' } } } })[1]).toBe('role=db');
    expect(row('ipaddresses.networking.k8s.io', { metadata: meta('10.96.0.1'), spec: { parentRef: { group: '', resource: 'services', namespace: 'default', name: 'kubernetes' } } })).toEqual(['10.96.0.1', 'services/default/kubernetes']);
    expect(row('servicecidrs.networking.k8s.io', { metadata: meta('kubernetes'), spec: { cidrs: ['10.96.0.0/16', 'fd00:10:96::/112'] } })).toEqual(['kubernetes', '10.96.0.0/16,fd00:10:96::/112', '25h']);
  });

  it('endpoint slices', () => {
    const slice = {
      metadata: meta('web-abc12'), addressType: 'IPv4',
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
      endpoints: [{ addresses: ['10.244.1.5'] }, { addresses: ['10.244.2.6'] }, { addresses: ['10.244.3.7'] }, { addresses: ['10.244.4.8'] }],
    };
    expect(row('endpointslices.discovery.k8s.io', slice)).toEqual(['web-abc12', 'IPv4', '80', '10.244.1.5,10.244.2.6,10.244.3.7 + 1 more...', '25h']);
    expect(row('endpointslices.discovery.k8s.io', { metadata: meta('empty'), addressType: 'IPv4' }).slice(2, 4)).toEqual(['<unset>', '<unset>']);
  });

  it('rbac bindings', () => {
    const rb = {
      metadata: meta('admins'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
      subjects: [{ kind: 'User', name: 'alice' }, { kind: 'Group', name: 'ops' }, { kind: 'User', name: 'bob' }, { kind: 'ServiceAccount', name: 'ci', namespace: 'tools' }],
    };
    expect(row('rolebindings.rbac.authorization.k8s.io', rb, true)).toEqual(['admins', 'ClusterRole/admin', '25h', 'alice, bob', 'ops', 'tools/ci']);
    expect(row('clusterrolebindings.rbac.authorization.k8s.io', { ...rb, subjects: undefined }, true)).toEqual(['admins', 'ClusterRole/admin', '25h', '', '', '']);
  });

  it('storage classes mark the default one', () => {
    const sc = { metadata: meta('standard', { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }), provisioner: 'rancher.io/local-path', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' };
    expect(row('storageclasses.storage.k8s.io', sc)).toEqual(['standard (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', false, '25h']);
    expect(row('storageclasses.storage.k8s.io', { metadata: meta('fast'), provisioner: 'ebs.csi.aws.com', allowVolumeExpansion: true })).toEqual(['fast', 'ebs.csi.aws.com', 'Delete', 'Immediate', true, '25h']);
  });

  it('pod disruption budgets, leases, priority classes, runtime classes, webhooks, policies', () => {
    expect(row('poddisruptionbudgets.policy', { metadata: meta('web'), spec: { minAvailable: '50%' }, status: { disruptionsAllowed: 1 } })).toEqual(['web', '50%', 'N/A', 1, '25h']);
    expect(row('leases.coordination.k8s.io', { metadata: meta('kube-scheduler'), spec: { holderIdentity: 'cp-1_abc' } })).toEqual(['kube-scheduler', 'cp-1_abc', '25h']);
    expect(row('priorityclasses.scheduling.k8s.io', { metadata: meta('system-node-critical'), value: 2000001000, preemptionPolicy: 'PreemptLowerPriority' })).toEqual(['system-node-critical', 2000001000, false, '25h', 'PreemptLowerPriority']);
    expect(row('runtimeclasses.node.k8s.io', { metadata: meta('gvisor'), handler: 'runsc' })).toEqual(['gvisor', 'runsc', '25h']);
    expect(row('validatingwebhookconfigurations.admissionregistration.k8s.io', { metadata: meta('hooks'), webhooks: [{}, {}] })).toEqual(['hooks', 2, '25h']);
    expect(row('validatingadmissionpolicies.admissionregistration.k8s.io', { metadata: meta('p'), spec: { validations: [{ expression: 'true' }], paramKind: { apiVersion: 'v1', kind: 'ConfigMap' } } })).toEqual(['p', 1, 'v1/ConfigMap', '25h']);
    expect(row('validatingadmissionpolicybindings.admissionregistration.k8s.io', { metadata: meta('b'), spec: { policyName: 'p', paramRef: { name: 'limits' } } })).toEqual(['b', 'p', '*/limits', '25h']);
  });

  it('certificate signing requests and API services', () => {
    const csr = {
      metadata: meta('csr-abc'),
      spec: { signerName: 'kubernetes.io/kube-apiserver-client-kubelet', username: 'system:node:w-1', expirationSeconds: 86400 },
      status: { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'LS0t' },
    };
    expect(row('certificatesigningrequests.certificates.k8s.io', csr)).toEqual(['csr-abc', '25h', 'kubernetes.io/kube-apiserver-client-kubelet', 'system:node:w-1', '24h', 'Approved,Issued']);
    expect(row('apiservices.apiregistration.k8s.io', { metadata: meta('v1.apps'), status: { conditions: [{ type: 'Available', status: 'True' }] } })).toEqual(['v1.apps', 'Local', 'True', '25h']);
    expect(row('apiservices.apiregistration.k8s.io', {
      metadata: meta('v1beta1.metrics.k8s.io'), spec: { service: { namespace: 'kube-system', name: 'metrics-server' } },
      status: { conditions: [{ type: 'Available', status: 'False', reason: 'MissingEndpoints' }] },
    })).toEqual(['v1beta1.metrics.k8s.io', 'kube-system/metrics-server', 'False (MissingEndpoints)', '25h']);
  });
});
