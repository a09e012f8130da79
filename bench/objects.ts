// The objects the benchmarks write: a small ConfigMap, and pods as `kubectl run NAME --image=nginx`
// sends them, plus the status a kubelet reports for a running pod. The pods name a scheduler that does
// not exist and no node, so no controller touches them while they are listed (a pod bound to a node that
// does not exist would be removed by the pod garbage collector).

export function configMap(namespace: string, name: string, seq: number) {
  return {
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name, namespace, labels: { app: 'bench', tier: 'backend' } },
    data: {
      seq: String(seq),
      'app.properties': 'log.level=info\nfeature.flags=a,b,c\ncache.ttl=300\n',
      'endpoint': 'https://api.example.com/v1',
    },
  };
}

export function pod(namespace: string, name: string, i: number) {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace, labels: { run: name } },
    spec: {
      containers: [{ name, image: 'nginx:1.27', resources: {} }],
      restartPolicy: 'Always', dnsPolicy: 'ClusterFirst',
      schedulerName: 'bench-no-scheduler',
    },
  };
}

export function runningPodStatus(name: string, i: number, at: Date) {
  const t = at.toISOString().replace(/\.\d+Z$/, 'Z');
  const node = i % 20;
  const podIP = `10.244.${node}.${(i % 250) + 2}`;
  const hostIP = `10.0.0.${node + 10}`;
  const condition = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: t });
  return {
    status: {
      phase: 'Running',
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(condition),
      hostIP, hostIPs: [{ ip: hostIP }], podIP, podIPs: [{ ip: podIP }],
      startTime: t, qosClass: 'BestEffort',
      containerStatuses: [{
        name, ready: true, started: true, restartCount: 0,
        state: { running: { startedAt: t } }, lastState: {},
        image: 'docker.io/library/nginx:1.27',
        imageID: 'docker.io/library/nginx@sha256:6784fb0834aa7dbbe12e3d7471e69c290df3e6ba810dc38b34ae33d3c1c05f7d',
        containerID: `containerd://${i.toString(16).padStart(64, '0')}`,
      }],
    },
  };
}
