// kubectl changing a real server: create, apply (client-side three-way merge), label, annotate,
// patch, edit, scale, delete, wait, server-side dry runs, the protobuf-sending generators and
// namespace deletion. Every change is checked with a second kubectl call.
import { describe, expect, it } from 'vitest';
import { AGE, expectTable, fails, json, lines, ok, row, useCluster } from './helpers.ts';

const cluster = useCluster();
const kubectl = (args: string | string[], input?: string, env?: Record<string, string>) => cluster.kubectl(args, { input, env });
/** One field of one object, through -o jsonpath. */
const field = async (ns: string, object: string, path: string) => ok(await kubectl(['-n', ns, 'get', object, '-o', `jsonpath={${path}}`]));

const deployment = ({ name = 'web', replicas = 1, env = 'FOO: bar' } = {}) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, labels: {app: ${name}}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: nginx
        image: "nginx:1.27"
        env: [${env.split(',').map(e => { const [k, v] = e.split(':').map(s => s.trim()); return `{name: ${k}, value: "${v}"}`; }).join(', ')}]
`;

describe('create and apply', () => {
  it('create -f stores the object and refuses a second create', async () => {
    ok(await kubectl('create namespace w-create'));
    expect(ok(await kubectl('-n w-create create -f -', deployment({ name: 'made' })))).toBe('deployment.apps/made created\n');
    expect(await field('w-create', 'deploy/made', '.spec.template.spec.containers[0].image')).toBe('nginx:1.27');
    expect(await field('w-create', 'deploy/made', '.metadata.generation')).toBe('1');
    expect(fails(await kubectl('-n w-create create -f -', deployment({ name: 'made' })))).toBe(
      'Error from server (AlreadyExists): error when creating "STDIN": deployments.apps "made" already exists\n');
  });

  it('apply creates, then patches by three-way strategic merge, then reports unchanged', async () => {
    ok(await kubectl('create namespace w-apply'));
    expect(ok(await kubectl('-n w-apply apply -f -', deployment()))).toBe('deployment.apps/web created\n');
    // A change made outside the manifest, which the three-way merge must keep.
    ok(await kubectl('-n w-apply label deploy web owner=ops'));

    const changed = deployment({ replicas: 3, env: 'FOO: baz' });
    expect(ok(await kubectl('-n w-apply apply -f -', changed))).toBe('deployment.apps/web configured\n');
    const live = json(ok(await kubectl('-n w-apply get deploy web -o json')));
    expect(live.spec.replicas).toBe(3);
    expect(live.spec.template.spec.containers).toHaveLength(1);
    expect(live.spec.template.spec.containers[0]).toMatchObject({ name: 'nginx', image: 'nginx:1.27', env: [{ name: 'FOO', value: 'baz' }] });
    expect(live.metadata.labels).toEqual({ app: 'web', owner: 'ops' });
    expect(live.metadata.generation).toBe(2);
    expect(JSON.parse(live.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).spec.replicas).toBe(3);

    expect(ok(await kubectl('-n w-apply apply -f -', changed))).toBe('deployment.apps/web unchanged\n');
    expect(await field('w-apply', 'deploy/web', '.metadata.resourceVersion')).toBe(live.metadata.resourceVersion);

    // Dropping an entry that the last apply set removes it from the live object.
    expect(ok(await kubectl('-n w-apply apply -f -', deployment({ replicas: 3, env: 'BAR: 1' })))).toBe('deployment.apps/web configured\n');
    expect(await field('w-apply', 'deploy/web', '.spec.template.spec.containers[0].env')).toBe('[{"name":"BAR","value":"1"}]');
  });

  it('--dry-run=server on create, apply and delete prints the result but stores nothing', async () => {
    ok(await kubectl('create namespace w-dry'));
    expect(ok(await kubectl('-n w-dry create -f - --dry-run=server', deployment({ name: 'dry' })))).toBe('deployment.apps/dry created (server dry run)\n');
    const printed = json(ok(await kubectl('-n w-dry apply -f - --dry-run=server -o json', deployment({ name: 'dry' }))));
    expect(printed).toMatchObject({ kind: 'Deployment', metadata: { name: 'dry', namespace: 'w-dry' }, spec: { replicas: 1 } });
    expect(fails(await kubectl('-n w-dry get deploy dry'))).toBe('Error from server (NotFound): deployments.apps "dry" not found\n');

    // On an existing object: the dry-run patch shows the change, the stored object keeps the old value.
    ok(await kubectl('-n w-dry apply -f -', deployment()));
    expect(ok(await kubectl('-n w-dry apply -f - --dry-run=server', deployment({ replicas: 4 })))).toBe('deployment.apps/web configured (server dry run)\n');
    expect(ok(await kubectl('-n w-dry apply -f - --dry-run=server -o jsonpath={.spec.replicas}', deployment({ replicas: 4 })))).toBe('4');
    expect(await field('w-dry', 'deploy/web', '.spec.replicas')).toBe('1');
    expect(ok(await kubectl('-n w-dry delete deploy web --dry-run=server'))).toBe('deployment.apps "web" deleted from w-dry namespace (server dry run)\n');
    expect(ok(await kubectl('-n w-dry get deploy -o name'))).toBe('deployment.apps/web\n');
  });
});

describe('changing objects', () => {
  it('label and annotate add, refuse to overwrite without --overwrite, and remove', async () => {
    ok(await kubectl('create namespace w-label'));
    ok(await kubectl('-n w-label create configmap c'));
    expect(ok(await kubectl('-n w-label label configmap c tier=fe'))).toBe('configmap/c labeled\n');
    expect(fails(await kubectl('-n w-label label configmap c tier=be'))).toBe("error: 'tier' already has a value (fe), and --overwrite is false\n");
    expect(ok(await kubectl('-n w-label label configmap c tier=be --overwrite'))).toBe('configmap/c labeled\n');
    expect(await field('w-label', 'cm/c', '.metadata.labels')).toBe('{"tier":"be"}');
    expect(ok(await kubectl('-n w-label annotate configmap c note=hello'))).toBe('configmap/c annotated\n');
    expect(await field('w-label', 'cm/c', '.metadata.annotations.note')).toBe('hello');
    expect(ok(await kubectl('-n w-label label configmap c tier-'))).toBe('configmap/c unlabeled\n');
    expect(ok(await kubectl('-n w-label annotate configmap c note-'))).toBe('configmap/c annotated\n');
    const meta = json(ok(await kubectl('-n w-label get cm c -o json'))).metadata;
    expect(meta.labels).toBeUndefined();
    expect(meta.annotations).toBeUndefined();
    expectTable(ok(await kubectl('-n w-label get cm c --show-labels')), ['NAME   DATA   AGE   LABELS', row('c', '0', AGE, '<none>')]);
  });

  it('patch --type json, merge and strategic', async () => {
    ok(await kubectl('create namespace w-patch'));
    ok(await kubectl('-n w-patch apply -f -', deployment()));

    expect(ok(await kubectl(['-n', 'w-patch', 'patch', 'deploy', 'web', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/replicas","value":4}]']))).toBe('deployment.apps/web patched\n');
    expect(await field('w-patch', 'deploy/web', '.spec.replicas')).toBe('4');
    // A failed JSON-patch test operation changes nothing.
    const refused = fails(await kubectl(['-n', 'w-patch', 'patch', 'deploy', 'web', '--type', 'json', '-p', '[{"op":"test","path":"/spec/replicas","value":9},{"op":"replace","path":"/spec/replicas","value":5}]']));
    expect(refused).toMatch(/^The request is invalid: the server rejected our request due to an error in our request/);
    expect(await field('w-patch', 'deploy/web', '.spec.replicas')).toBe('4');

    // Strategic merge: containers merge by name, so a new container joins the old one (patch items
    // first, as Kubernetes orders them), and a patch naming an existing one changes it in place.
    const sidecar = '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox:1.36"}]}}}}';
    expect(ok(await kubectl(['-n', 'w-patch', 'patch', 'deploy', 'web', '-p', sidecar]))).toBe('deployment.apps/web patched\n');
    expect(await field('w-patch', 'deploy/web', '.spec.template.spec.containers[*].name')).toBe('sidecar nginx');
    ok(await kubectl(['-n', 'w-patch', 'patch', 'deploy', 'web', '--type', 'strategic', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.28"}]}}}}']));
    expect(await field('w-patch', 'deploy/web', '.spec.template.spec.containers[*].image')).toBe('busybox:1.36 nginx:1.28');
    expect(await field('w-patch', 'deploy/web', '.spec.template.spec.containers[1].env[0].value')).toBe('bar');

    // Merge patch: a list is replaced whole; a null removes a key.
    expect(ok(await kubectl(['-n', 'w-patch', 'patch', 'deploy', 'web', '--type', 'merge', '-p', sidecar]))).toBe('deployment.apps/web patched\n');
    expect(await field('w-patch', 'deploy/web', '.spec.template.spec.containers[*].name')).toBe('sidecar');
    ok(await kubectl(['-n', 'w-patch', 'patch', 'deploy', 'web', '--type', 'merge', '-p', '{"metadata":{"labels":{"app":null,"m":"1"}}}']));
    expect(await field('w-patch', 'deploy/web', '.metadata.labels')).toBe('{"m":"1"}');
  });

  it('edit applies what a scripted EDITOR changed', async () => {
    ok(await kubectl('create namespace w-edit'));
    ok(await kubectl('-n w-edit apply -f -', deployment({ replicas: 2 })));
    const editor = { EDITOR: `sed -i -e 's/replicas: 2/replicas: 6/' -e 's/value: bar/value: edited/'`, KUBE_EDITOR: '' };
    expect(ok(await kubectl('-n w-edit edit deploy web', undefined, editor))).toBe('deployment.apps/web edited\n');
    expect(await field('w-edit', 'deploy/web', '.spec.replicas')).toBe('6');
    expect(await field('w-edit', 'deploy/web', '.spec.template.spec.containers[0].env[0].value')).toBe('edited');
    // An editor that changes nothing makes no request.
    const rv = await field('w-edit', 'deploy/web', '.metadata.resourceVersion');
    const unchanged = await kubectl('-n w-edit edit deploy web', undefined, { EDITOR: 'true', KUBE_EDITOR: '' });
    expect(unchanged).toEqual({ code: 0, stdout: '', stderr: 'Edit cancelled, no changes made.\n' });
    expect(await field('w-edit', 'deploy/web', '.metadata.resourceVersion')).toBe(rv);
  });

  it('scale sets spec.replicas through the scale subresource', async () => {
    ok(await kubectl('create namespace w-scale'));
    ok(await kubectl('-n w-scale apply -f -', deployment()));
    expect(ok(await kubectl('-n w-scale scale deploy web --replicas=5'))).toBe('deployment.apps/web scaled\n');
    expect(await field('w-scale', 'deploy/web', '.spec.replicas')).toBe('5');
    const scale = json(ok(await kubectl('get --raw /apis/apps/v1/namespaces/w-scale/deployments/web/scale')));
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'web', namespace: 'w-scale' }, spec: { replicas: 5 }, status: { selector: 'app=web' } });
    // The precondition is checked against the current scale.
    expect(fails(await kubectl('-n w-scale scale deploy web --current-replicas=2 --replicas=7'))).toBe('error: Expected replicas to be 2, was 5\n');
    expect(await field('w-scale', 'deploy/web', '.spec.replicas')).toBe('5');
  });
});

describe('delete and wait', () => {
  it('delete removes the object, waiting while a finalizer holds it', async () => {
    ok(await kubectl('create namespace w-delete'));
    ok(await kubectl('-n w-delete create configmap plain'));
    expect(ok(await kubectl('-n w-delete delete configmap plain'))).toBe('configmap "plain" deleted from w-delete namespace\n');
    expect(fails(await kubectl('-n w-delete get configmap plain'))).toBe('Error from server (NotFound): configmaps "plain" not found\n');

    ok(await kubectl('-n w-delete create -f -', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: held, finalizers: [example.com/hold]}\n'));
    const deleting = cluster.kubectl.start('-n w-delete delete configmap held');
    try {
      // The server marks the object; kubectl keeps waiting for it to go.
      await deleting.waitFor(/deleted/);
      expect(await field('w-delete', 'cm/held', '.metadata.deletionTimestamp')).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(deleting.done).toBe(false);
      ok(await kubectl(['-n', 'w-delete', 'patch', 'configmap', 'held', '--type', 'json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']));
      const r = await deleting.exited;
      expect(r).toEqual({ code: 0, stdout: 'configmap "held" deleted from w-delete namespace\n', stderr: '' });
    } finally {
      await deleting.stop();
    }
    expect(fails(await kubectl('-n w-delete get configmap held'))).toBe('Error from server (NotFound): configmaps "held" not found\n');
  });

  it('delete --all empties one namespace and leaves others alone', async () => {
    // Secrets, not configmaps: no controller adds secrets to a new namespace.
    for (const ns of ['w-all', 'w-all-other']) {
      ok(await kubectl(`create namespace ${ns}`));
      for (const name of ['a', 'b', 'c']) ok(await kubectl(`-n ${ns} create secret generic ${name}`));
    }
    expect(lines(ok(await kubectl('-n w-all delete secrets --all')))).toEqual([
      'secret "a" deleted from w-all namespace',
      'secret "b" deleted from w-all namespace',
      'secret "c" deleted from w-all namespace',
    ]);
    expect(await kubectl('-n w-all get secrets')).toEqual({ code: 0, stdout: '', stderr: 'No resources found in w-all namespace.\n' });
    expect(ok(await kubectl('-n w-all-other get secrets -o name'))).toBe('secret/a\nsecret/b\nsecret/c\n');
  });

  it('wait --for=delete returns when another kubectl deletes the object', async () => {
    ok(await kubectl('create namespace w-wait'));
    ok(await kubectl('-n w-wait create configmap target'));
    // -v=6 logs each response, so the test knows when the watch is open.
    const waiting = cluster.kubectl.start('-n w-wait wait --for=delete configmap/target --timeout=30s -v=6');
    try {
      await waiting.waitFor(/watch=true.*status="200 OK"/, { stream: 'stderr' });
      expect(waiting.done).toBe(false);
      ok(await kubectl('-n w-wait delete configmap target'));
      const r = await waiting.exited;
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('configmap/target condition met\n');
    } finally {
      await waiting.stop();
    }
  });
});

describe('generators (protobuf request bodies)', () => {
  it('create namespace, configmap, secret generic and deployment store what was asked', async () => {
    expect(ok(await kubectl('create namespace w-gen'))).toBe('namespace/w-gen created\n');
    expect(await field('w-gen', 'namespace/w-gen', '.status.phase')).toBe('Active');

    expect(ok(await kubectl('-n w-gen create configmap settings --from-literal=color=blue --from-literal=size=L'))).toBe('configmap/settings created\n');
    expect(json(ok(await kubectl('-n w-gen get cm settings -o json'))).data).toEqual({ color: 'blue', size: 'L' });

    expect(ok(await kubectl('-n w-gen create secret generic creds --from-literal=user=admin --from-literal=pass=s3cret'))).toBe('secret/creds created\n');
    const secret = json(ok(await kubectl('-n w-gen get secret creds -o json')));
    expect(secret.type).toBe('Opaque');
    expect(Object.fromEntries(Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v as string, 'base64').toString()]))).toEqual({ user: 'admin', pass: 's3cret' });

    expect(ok(await kubectl('-n w-gen create deployment api --image=nginx:1.27 --replicas=2 --port=8080'))).toBe('deployment.apps/api created\n');
    const d = json(ok(await kubectl('-n w-gen get deploy api -o json')));
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.selector).toEqual({ matchLabels: { app: 'api' } });
    expect(d.spec.template.metadata.labels).toEqual({ app: 'api' });
    expect(d.spec.template.spec.containers).toMatchObject([{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 8080, protocol: 'TCP' }] }]);
  });
});

describe('namespace deletion', () => {
  it('delete namespace goes through Terminating, removes the content, then the namespace', async () => {
    ok(await kubectl('create namespace w-doomed'));
    ok(await kubectl('-n w-doomed create configmap c1'));
    ok(await kubectl('-n w-doomed create secret generic s1 --from-literal=a=b'));
    ok(await kubectl('-n w-doomed apply -f -', deployment()));

    const watch = cluster.kubectl.start('get namespace w-doomed -w --output-watch-events');
    try {
      await watch.waitFor(/ADDED\s+w-doomed\s+Active/);
      // kubectl waits until the namespace itself is gone.
      expect(ok(await kubectl('delete namespace w-doomed'))).toBe('namespace "w-doomed" deleted\n');
      await watch.waitFor(/DELETED.*\n/);
    } finally {
      await watch.stop();
    }
    const events = lines(watch.stdout).slice(1).map(l => l.split(/\s+/).slice(0, 3).join(' '));
    expect(events[0]).toBe('ADDED w-doomed Active');
    expect(events).toContain('MODIFIED w-doomed Terminating');
    expect(events.at(-1)).toBe('DELETED w-doomed Terminating');

    expect(fails(await kubectl('get namespace w-doomed'))).toBe('Error from server (NotFound): namespaces "w-doomed" not found\n');
    // The content went with it (kubectl get by name would only report the missing namespace).
    const left = await kubectl('get configmaps,secrets,deployments -A --field-selector metadata.namespace=w-doomed');
    expect(left).toEqual({ code: 0, stdout: '', stderr: 'No resources found\n' });
  });
});
