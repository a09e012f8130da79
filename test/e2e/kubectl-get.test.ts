// kubectl reading from a real server: tables, output formats, selectors, paging, watch, and the
// informational commands (api-resources, explain, version, cluster-info, componentstatuses).
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { AGE, ANY, expectTable, fails, json, lines, ok, row, useCluster } from './helpers.ts';

const cluster = useCluster();
const kubectl = (args: string | string[], input?: string) => cluster.kubectl(args, { input });

const deployment = (ns: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${ns}, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: "nginx:1.27"}]
`;

describe('kubectl get', () => {
  it('prints deployments and pods as tables, with -o wide adding the priority columns', async () => {
    ok(await kubectl('create namespace get-tables'));
    expect(ok(await kubectl('apply -f -', deployment('get-tables')))).toBe('deployment.apps/web created\n');
    ok(await kubectl('-n get-tables run p1 --image=nginx:1.27'));

    // READY/UP-TO-DATE/AVAILABLE are controller-driven, so only their shape is pinned.
    expectTable(ok(await kubectl('-n get-tables get deployments')), [
      'NAME   READY   UP-TO-DATE   AVAILABLE   AGE',
      row('web', /\d+\/2/, /\d+/, /\d+/, AGE),
    ]);
    expectTable(ok(await kubectl('-n get-tables get deploy -o wide')), [
      row('NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR'),
      row('web', /\d+\/2/, /\d+/, /\d+/, AGE, 'nginx', 'nginx:1.27', 'app=web'),
    ]);
    expectTable(ok(await kubectl('-n get-tables get pods -l run=p1')), [
      row('NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'),
      row('p1', /\d\/1/, ANY, '0', AGE),
    ]);
    expectTable(ok(await kubectl('-n get-tables get po p1 -o wide')), [
      row('NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'),
      row('p1', /\d\/1/, ANY, '0', AGE, ANY, ANY, '<none>', '<none>'),
    ]);
    // A name that does not exist is a NotFound from the server.
    expect(fails(await kubectl('-n get-tables get deploy nope'))).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
  });

  it('prints objects and lists as YAML and JSON', async () => {
    ok(await kubectl('create namespace get-formats'));
    ok(await kubectl('apply -f -', deployment('get-formats')));

    const yamlText = ok(await kubectl('-n get-formats get deploy web -o yaml'));
    expect(lines(yamlText)).toEqual(expect.arrayContaining(['apiVersion: apps/v1', 'kind: Deployment', '  name: web', '  namespace: get-formats', '  replicas: 2']));
    const fromYaml = parseYaml(yamlText);
    expect(fromYaml.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(fromYaml.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(fromYaml.spec.template.spec.containers[0].image).toBe('nginx:1.27');

    const one = json(ok(await kubectl('-n get-formats get deploy web -o json')));
    expect(one).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'get-formats', uid: fromYaml.metadata.uid } });

    // A list comes back with kind List, and kubectl fills in each item's kind and apiVersion.
    const list = json(ok(await kubectl('-n get-formats get deployments -o json')));
    expect(list.kind).toBe('List');
    expect(list.items.map((d: any) => [d.apiVersion, d.kind, d.metadata.name])).toEqual([['apps/v1', 'Deployment', 'web']]);
  });

  it('selects by namespace (-A), label (-l) and field (--field-selector)', async () => {
    for (const ns of ['sel-a', 'sel-b']) {
      ok(await kubectl(`create namespace ${ns}`));
      ok(await kubectl(`-n ${ns} create configmap one --from-literal=k=v`));
      ok(await kubectl(`-n ${ns} create configmap two --from-literal=k=v --from-literal=l=w`));
      ok(await kubectl(`-n ${ns} label configmap one e2e=sel`));
    }
    ok(await kubectl('-n sel-a label configmap two app=x'));

    // -A adds the NAMESPACE column; the label keeps out objects other tests or controllers create.
    expectTable(ok(await kubectl('get configmaps -A -l e2e=sel')), [
      'NAMESPACE   NAME   DATA   AGE',
      row('sel-a', 'one', '1', AGE),
      row('sel-b', 'one', '1', AGE),
    ]);
    expectTable(ok(await kubectl('-n sel-a get cm -l app=x')), ['NAME   DATA   AGE', row('two', '2', AGE)]);
    expectTable(ok(await kubectl('-n sel-a get cm -l app!=x,e2e')), ['NAME   DATA   AGE', row('one', '1', AGE)]);
    expectTable(ok(await kubectl('-n sel-b get cm --field-selector metadata.name=two')), ['NAME   DATA   AGE', row('two', '2', AGE)]);

    // A kind-specific field: Secret type.
    ok(await kubectl('-n sel-a create secret generic plain --from-literal=a=b'));
    ok(await kubectl('-n sel-a create secret generic login --type=kubernetes.io/basic-auth --from-literal=username=u --from-literal=password=p'));
    expectTable(ok(await kubectl('-n sel-a get secrets --field-selector type=Opaque')), [
      'NAME    TYPE     DATA   AGE',
      row('plain', 'Opaque', '1', AGE),
    ]);
    expectTable(ok(await kubectl('-n sel-a get secrets --field-selector type=kubernetes.io/basic-auth')), [
      row('NAME', 'TYPE', 'DATA', 'AGE'),
      row('login', 'kubernetes.io/basic-auth', '2', AGE),
    ]);

    // Pod phase: a pod that restarts always never reaches Succeeded, whatever runs it.
    ok(await kubectl('-n sel-a run p1 --image=nginx'));
    expectTable(ok(await kubectl('-n sel-a get pods --field-selector status.phase!=Succeeded')), [
      row('NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'),
      row('p1', /\d\/1/, ANY, '0', AGE),
    ]);
    const none = await kubectl('-n sel-a get pods --field-selector status.phase=Succeeded');
    expect(none).toEqual({ code: 0, stdout: '', stderr: 'No resources found in sel-a namespace.\n' });

    // A field the kind does not support is refused, not ignored.
    expect(fails(await kubectl('-n sel-a get pods --field-selector bogus=x'))).toBe(
      'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "", field selector "bogus=x": field label not supported: bogus\n');
  });

  it('pages with --chunk-size=1 and still prints one merged table', async () => {
    // Secrets, not configmaps: no controller adds secrets to a new namespace.
    ok(await kubectl('create namespace get-chunks'));
    for (const name of ['s1', 's2', 's3']) ok(await kubectl(`-n get-chunks create secret generic ${name}`));

    const r = await kubectl('-n get-chunks get secrets --chunk-size=1 -v=6');
    expect(r.code).toBe(0);
    expectTable(r.stdout, ['NAME   TYPE     DATA   AGE', row('s1', 'Opaque', '0', AGE), row('s2', 'Opaque', '0', AGE), row('s3', 'Opaque', '0', AGE)]);
    // Three requests of one item each: the first, then two following the continue token.
    const gets = lines(r.stderr).filter(l => l.includes('verb="GET"') && l.includes('/namespaces/get-chunks/secrets?'));
    expect(gets).toHaveLength(3);
    expect(gets.every(l => l.includes('limit=1'))).toBe(true);
    expect(gets.filter(l => l.includes('continue='))).toHaveLength(2);
  });

  it('get -w streams the creation, change and deletion made by another kubectl', async () => {
    ok(await kubectl('create namespace get-watch'));
    ok(await kubectl('-n get-watch create secret generic before'));

    const watch = cluster.kubectl.start('-n get-watch get secrets -w --output-watch-events');
    try {
      // The initial list is printed first; the watch then resumes from its resourceVersion.
      await watch.waitFor(/ADDED\s+before\s+Opaque\s+0\s+\d+s\n/);
      ok(await kubectl('-n get-watch create secret generic w --from-literal=a=1'));
      ok(await kubectl(['-n', 'get-watch', 'patch', 'secret', 'w', '-p', '{"stringData":{"b":"2"}}']));
      ok(await kubectl('-n get-watch delete secret w'));
      await watch.waitFor(/DELETED.*\n/);
      expect(watch.done).toBe(false);
    } finally {
      await watch.stop();
    }
    expectTable(watch.stdout, [
      'EVENT      NAME     TYPE     DATA   AGE',
      row('ADDED', 'before', 'Opaque', '0', AGE),
      row('ADDED', 'w', 'Opaque', '1', AGE),
      row('MODIFIED', 'w', 'Opaque', '2', AGE),
      row('DELETED', 'w', 'Opaque', '2', AGE),
    ]);
  });

  it('get -w -o json streams full objects', async () => {
    ok(await kubectl('create namespace get-watch-json'));
    ok(await kubectl('-n get-watch-json create secret generic before'));
    const watch = cluster.kubectl.start('-n get-watch-json get secrets -w -o json');
    try {
      await watch.waitFor(/"name": "before"[\s\S]*^}\n/m);
      ok(await kubectl('-n get-watch-json create secret generic j --from-literal=a=1'));
      await watch.waitFor(/"name": "j"[\s\S]*^}\n/m);
    } finally {
      await watch.stop();
    }
    // One pretty-printed object per event.
    const objects = watch.stdout.split(/(?<=^})\n/m).filter(Boolean).map(json);
    expect(objects.map(o => [o.kind, o.metadata.name, o.type, o.data])).toEqual([
      ['Secret', 'before', 'Opaque', undefined],
      ['Secret', 'j', 'Opaque', { a: Buffer.from('1').toString('base64') }],
    ]);
  });
});

describe('informational commands', () => {
  it('api-resources lists resources with short names, group/version, scope and kind', async () => {
    const table = lines(ok(await kubectl('api-resources')));
    expect(table[0].split(/\s+/)).toEqual(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    // Several groups may serve a name (pods: core and metrics.k8s.io); the first row, the core one, wins.
    const byName = new Map(table.slice(1).reverse().map(l => [l.split(/\s+/)[0], l.split(/\s+/)]));
    expect(byName.get('pods')).toEqual(['pods', 'po', 'v1', 'true', 'Pod']);
    expect(byName.get('deployments')).toEqual(['deployments', 'deploy', 'apps/v1', 'true', 'Deployment']);
    expect(byName.get('namespaces')).toEqual(['namespaces', 'ns', 'v1', 'false', 'Namespace']);
    expect(byName.get('configmaps')).toEqual(['configmaps', 'cm', 'v1', 'true', 'ConfigMap']);
    expect(byName.get('secrets')).toEqual(['secrets', 'v1', 'true', 'Secret']);
    expect(byName.get('componentstatuses')).toEqual(['componentstatuses', 'cs', 'v1', 'false', 'ComponentStatus']);

    const apps = lines(ok(await kubectl('api-resources --api-group=apps -o name')));
    expect(apps).toEqual(expect.arrayContaining(['deployments.apps', 'replicasets.apps', 'statefulsets.apps', 'daemonsets.apps']));
  });

  it('explain pods.spec.containers prints the field from the OpenAPI schema', async () => {
    const out = lines(ok(await kubectl('explain pods.spec.containers')));
    expect(out.slice(0, 4)).toEqual(['KIND:       Pod', 'VERSION:    v1', '', 'FIELD: containers <[]Container>']);
    expect(out).toContain('DESCRIPTION:');
    expect(out).toContain('FIELDS:');
    expect(out).toContain('  image\t<string>');
    expect(out).toContain('  name\t<string> -required-');
    expect(out).toContain('  env\t<[]EnvVar>');
  });

  it('version shows the client and the server version', async () => {
    const out = lines(ok(await kubectl('version')));
    expect(out[0]).toMatch(/^Client Version: v1\.35\.\d+$/);
    expect(out).toContainEqual(expect.stringMatching(/^Server Version: v1\.\d+\.\d+$/));
    const versions = json(ok(await kubectl('version -o json')));
    expect(versions.serverVersion).toMatchObject({ major: '1', gitVersion: expect.stringMatching(/^v1\.\d+\.\d+/) });
  });

  it('cluster-info names the control plane URL', async () => {
    const out = lines(ok(await kubectl('cluster-info')));
    expect(out[0]).toBe(`Kubernetes control plane is running at ${cluster.server.url}/clusters/default`);
  });

  it('get componentstatuses shows every component Healthy', async () => {
    const r = await kubectl('get componentstatuses');
    expect(r.code).toBe(0);
    const [header, ...rows] = lines(r.stdout);
    expect(header).toMatch(row('NAME', 'STATUS', 'MESSAGE', 'ERROR'));
    // Which components report (and in what order) grows with the control plane; all must be Healthy.
    for (const l of rows) expect(l.trimEnd()).toMatch(row(ANY, 'Healthy', 'ok'));
    expect(rows.map(l => l.split(/\s+/)[0])).toEqual(expect.arrayContaining(['etcd-0', 'controller-manager']));
    // As on a real cluster, the deprecated API says so.
    expect(r.stderr).toBe('Warning: v1 ComponentStatus is deprecated in v1.19+\n');
    const one = await kubectl('get cs etcd-0 -o jsonpath={.conditions[0].type}={.conditions[0].status}');
    expect(one.code).toBe(0);
    expect(lines(one.stdout)).toEqual(['Healthy=True']);
  });
});
