// The real Helm 4 against a real server: install (server-side apply, Helm 4's default), list,
// upgrade, history, rollback and uninstall of the demo chart in test/fixtures/charts/demo, then the
// client-side path (--server-side=false) and its three-way-merge upgrade. Every effect is checked
// with kubectl, the way a user would look at the cluster.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { helmFor, type Result, type Runner } from '../support/kubectl.ts';
import { fails, json, lines, ok, useCluster } from './helpers.ts';

const CHART = fileURLToPath(new URL('../fixtures/charts/demo', import.meta.url));

const cluster = useCluster();
let helmRunner: Runner;
beforeAll(() => { helmRunner = helmFor(cluster.server.kubeconfig); });
const helm = (args: string[]) => helmRunner(args);
const kubectl = (args: string | string[]) => cluster.kubectl(args);
/** One field of one object, through -o jsonpath. */
const field = async (ns: string, object: string, path: string) => ok(await kubectl(['-n', ns, 'get', object, '-o', `jsonpath={${path}}`]));

/** Asserts that helm succeeded without a word on stderr and returns its stdout. */
function done(r: Result): string {
  expect(r.stderr, `helm failed with exit code ${r.code}`).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

/** The kinds the chart renders, as `kubectl get` takes them. */
const KINDS = 'deployments,services,configmaps,secrets,serviceaccounts,ingresses';
/** The objects of one release (managedFields included), found by the instance label the chart puts on each. */
const releaseObjects = async (ns: string, release: string) =>
  json(ok(await kubectl(['-n', ns, 'get', KINDS, '-l', `app.kubernetes.io/instance=${release}`, '-o', 'json', '--show-managed-fields']))).items as any[];
const objectNames = (release: string) => [
  `deployment.apps/${release}`,
  `service/${release}`,
  `configmap/${release}-config`,
  `secret/${release}-secret`,
  `serviceaccount/${release}`,
  `ingress.networking.k8s.io/${release}`,
];
/**
 * `manager/operation` of an object's managedFields entries, less those of controllers: on a real
 * cluster kube-controller-manager also records its Deployment status and revision-annotation updates.
 */
const managersOf = (o: any) => (o.metadata.managedFields as any[])
  .filter(e => e.manager !== 'kube-controller-manager').map(e => `${e.manager}/${e.operation}`).sort();
/** The Helm annotations (a Deployment also gets its revision annotation from the controller on a real cluster). */
const helmAnnotations = (o: any) => Object.fromEntries(Object.entries(o.metadata.annotations ?? {}).filter(([k]) => k.startsWith('meta.helm.sh/')));
/** resourceVersion of every object of a release, by kind. */
const versions = async (ns: string, release: string) =>
  Object.fromEntries((await releaseObjects(ns, release)).map(o => [o.kind, o.metadata.resourceVersion]));

/** The values a user would check after an install, upgrade or rollback. */
async function deployedValues(ns: string, release: string) {
  return {
    replicas: await field(ns, `deploy/${release}`, '.spec.replicas'),
    message: await field(ns, `configmap/${release}-config`, '.data.message'),
    host: await field(ns, `ingress/${release}`, '.spec.rules[0].host'),
  };
}

/** `helm list` / `helm history` output: tab-separated cells, padding trimmed. */
const cells = (stdout: string) => lines(stdout).map(l => l.split('\t').map(c => c.trim()));

/** Release Secrets of a release: name → status label. */
async function releaseSecrets(ns: string, release: string) {
  const items = json(ok(await kubectl(['-n', ns, 'get', 'secrets', '-l', `owner=helm,name=${release}`, '-o', 'json']))).items as any[];
  return Object.fromEntries(items.map(s => [s.metadata.name, s.metadata.labels.status]));
}

const HELM_DATE = /^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/;

describe('helm install, upgrade, rollback and uninstall (server-side apply)', () => {
  const ns = 'helm-ssa';

  it('install creates every object of the chart, applied by the helm field manager', async () => {
    ok(await kubectl(`create namespace ${ns}`));
    const out = lines(done(await helm(['install', 'web', CHART, '-n', ns])));
    expect(out[0]).toBe('NAME: web');
    expect(out[1]).toMatch(/^LAST DEPLOYED: /);
    expect(out[1].slice('LAST DEPLOYED: '.length)).toMatch(HELM_DATE);
    expect(out.slice(2)).toEqual([
      `NAMESPACE: ${ns}`,
      'STATUS: deployed',
      'REVISION: 1',
      'DESCRIPTION: Install complete',
      'TEST SUITE: None',
      'NOTES:',
      'web serves http://demo.example.com/ with 1 replica(s).',
    ]);

    expect(lines(ok(await kubectl(['-n', ns, 'get', KINDS, '-l', 'app.kubernetes.io/instance=web', '-o', 'name'])))).toEqual(objectNames('web'));
    for (const o of await releaseObjects(ns, 'web')) {
      const what = `${o.kind}/${o.metadata.name}`;
      expect(o.metadata.labels['app.kubernetes.io/managed-by'], what).toBe('Helm');
      expect(helmAnnotations(o), what).toEqual({ 'meta.helm.sh/release-name': 'web', 'meta.helm.sh/release-namespace': ns });
      // Helm 4 applies each object server-side: one Apply entry, manager "helm".
      expect(managersOf(o), what).toEqual(['helm/Apply']);
    }

    expect(await deployedValues(ns, 'web')).toEqual({ replicas: '1', message: 'hello from demo', host: 'demo.example.com' });
    expect(await field(ns, 'deploy/web', '.spec.template.spec.serviceAccountName')).toBe('web');
    expect(await field(ns, 'deploy/web', '.spec.template.spec.containers[0].image')).toBe('nginx:1.27');
    expect(Buffer.from(await field(ns, 'secret/web-secret', '.data.password'), 'base64').toString()).toBe('s3cr3t');
    expect(await field(ns, 'svc/web', '.spec.ports[0].port')).toBe('80');
    // The Service got a cluster IP, as any ClusterIP Service does.
    expect(await field(ns, 'svc/web', '.spec.clusterIP')).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

    // The release is a Secret in the release namespace.
    expect(await releaseSecrets(ns, 'web')).toEqual({ 'sh.helm.release.v1.web.v1': 'deployed' });
    expect(await field(ns, 'secret/sh.helm.release.v1.web.v1', '.type')).toBe('helm.sh/release.v1');
  });

  it('helm list shows the release deployed', async () => {
    const [header, ...rows] = cells(done(await helm(['list', '-n', ns])));
    expect(header).toEqual(['NAME', 'NAMESPACE', 'REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION']);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toEqual(['web', ns, '1', expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC$/), 'deployed', 'demo-0.1.0', '1.27']);
  });

  it('upgrade --set changes the replicas, the config message and the ingress host, and nothing else', async () => {
    // A label added with kubectl belongs to kubectl-label, so Helm's apply leaves it alone.
    ok(await kubectl(`-n ${ns} label deploy web owner=ops`));
    const before = await versions(ns, 'web');

    const out = lines(done(await helm(['upgrade', 'web', CHART, '-n', ns, '--set', 'replicaCount=3', '--set', 'config.message=changed', '--set', 'ingress.host=new.example.com'])));
    expect(out[0]).toBe('Release "web" has been upgraded. Happy Helming!');
    expect(out).toContain('REVISION: 2');
    expect(out).toContain('DESCRIPTION: Upgrade complete');
    expect(out.at(-1)).toBe('web serves http://new.example.com/ with 3 replica(s).');

    expect(await deployedValues(ns, 'web')).toEqual({ replicas: '3', message: 'changed', host: 'new.example.com' });
    expect(await field(ns, 'deploy/web', '.metadata.labels.owner')).toBe('ops');
    // An apply that changes nothing writes nothing: only the three changed objects have new versions.
    const after = await versions(ns, 'web');
    const changed = Object.keys(after).filter(kind => after[kind] !== before[kind]).sort();
    expect(changed).toEqual(['ConfigMap', 'Deployment', 'Ingress']);
    for (const o of await releaseObjects(ns, 'web')) {
      expect(managersOf(o), o.kind).toEqual(o.kind === 'Deployment' ? ['helm/Apply', 'kubectl-label/Update'] : ['helm/Apply']);
    }
  });

  it('helm history shows the revisions with their statuses', async () => {
    const [header, ...rows] = cells(done(await helm(['history', 'web', '-n', ns])));
    expect(header).toEqual(['REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION', 'DESCRIPTION']);
    expect(rows).toEqual([
      ['1', expect.stringMatching(HELM_DATE), 'superseded', 'demo-0.1.0', '1.27', 'Install complete'],
      ['2', expect.stringMatching(HELM_DATE), 'deployed', 'demo-0.1.0', '1.27', 'Upgrade complete'],
    ]);
    expect(await releaseSecrets(ns, 'web')).toEqual({ 'sh.helm.release.v1.web.v1': 'superseded', 'sh.helm.release.v1.web.v2': 'deployed' });
  });

  it('rollback to revision 1 restores its values as a new revision', async () => {
    expect(done(await helm(['rollback', 'web', '1', '-n', ns]))).toBe('Rollback was a success! Happy Helming!\n');
    expect(await deployedValues(ns, 'web')).toEqual({ replicas: '1', message: 'hello from demo', host: 'demo.example.com' });

    const [, ...rows] = cells(done(await helm(['history', 'web', '-n', ns])));
    expect(rows.map(r => [r[0], r[2], r[5]])).toEqual([
      ['1', 'superseded', 'Install complete'],
      ['2', 'superseded', 'Upgrade complete'],
      ['3', 'deployed', 'Rollback to 1'],
    ]);
    const [, listed] = cells(done(await helm(['list', '-n', ns])));
    expect([listed[0], listed[2], listed[4]]).toEqual(['web', '3', 'deployed']);
  });

  it('uninstall removes every object and the release Secrets', async () => {
    expect(done(await helm(['uninstall', 'web', '-n', ns]))).toBe('release "web" uninstalled\n');

    expect(await kubectl(['-n', ns, 'get', KINDS, '-l', 'app.kubernetes.io/instance=web'])).toEqual({ code: 0, stdout: '', stderr: `No resources found in ${ns} namespace.\n` });
    expect(fails(await kubectl(`-n ${ns} get deploy web`))).toBe('Error from server (NotFound): deployments.apps "web" not found\n');
    expect(await kubectl(`-n ${ns} get secrets -l owner=helm`)).toEqual({ code: 0, stdout: '', stderr: `No resources found in ${ns} namespace.\n` });

    expect(cells(done(await helm(['list', '-n', ns])))).toEqual([['NAME', 'NAMESPACE', 'REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION']]);
    const history = await helm(['history', 'web', '-n', ns]);
    expect(history).toEqual({ code: 1, stdout: '', stderr: 'Error: release: not found\n' });
  });
});

describe('helm with client-side apply (--server-side=false)', () => {
  const ns = 'helm-csa';

  it('install creates the objects with Update entries, and upgrade patches only what changed', async () => {
    ok(await kubectl(`create namespace ${ns}`));
    const out = lines(done(await helm(['install', 'classic', CHART, '-n', ns, '--server-side=false'])));
    expect(out).toContain('STATUS: deployed');
    expect(out).toContain('REVISION: 1');

    expect(lines(ok(await kubectl(['-n', ns, 'get', KINDS, '-l', 'app.kubernetes.io/instance=classic', '-o', 'name'])))).toEqual(objectNames('classic'));
    for (const o of await releaseObjects(ns, 'classic')) {
      const what = `${o.kind}/${o.metadata.name}`;
      expect(o.metadata.labels['app.kubernetes.io/managed-by'], what).toBe('Helm');
      expect(helmAnnotations(o), what).toEqual({ 'meta.helm.sh/release-name': 'classic', 'meta.helm.sh/release-namespace': ns });
      // Created with POST ?fieldManager=helm: an Update entry, not an Apply one.
      expect(managersOf(o), what).toEqual(['helm/Update']);
    }
    expect(await deployedValues(ns, 'classic')).toEqual({ replicas: '1', message: 'hello from demo', host: 'demo.example.com' });

    // A change made outside Helm, which the three-way merge must keep.
    ok(await kubectl(`-n ${ns} label deploy classic owner=ops`));
    const before = await versions(ns, 'classic');
    const upgraded = lines(done(await helm(['upgrade', 'classic', CHART, '-n', ns, '--server-side=false', '--set', 'replicaCount=2'])));
    expect(upgraded[0]).toBe('Release "classic" has been upgraded. Happy Helming!');
    expect(upgraded).toContain('REVISION: 2');

    expect(await deployedValues(ns, 'classic')).toEqual({ replicas: '2', message: 'hello from demo', host: 'demo.example.com' });
    expect(await field(ns, 'deploy/classic', '.metadata.labels')).toBe(
      '{"app.kubernetes.io/instance":"classic","app.kubernetes.io/managed-by":"Helm","app.kubernetes.io/name":"demo","helm.sh/chart":"demo-0.1.0","owner":"ops"}');
    // Only the Deployment was written.
    const after = await versions(ns, 'classic');
    expect(Object.keys(after).filter(kind => after[kind] !== before[kind])).toEqual(['Deployment']);
    const deploy = (await releaseObjects(ns, 'classic')).find(o => o.kind === 'Deployment');
    expect(managersOf(deploy)).toEqual(['helm/Update', 'kubectl-label/Update']);
    expect(deploy.metadata.managedFields.find((e: any) => e.manager === 'helm').fieldsV1['f:spec']['f:replicas']).toEqual({});

    expect(await releaseSecrets(ns, 'classic')).toEqual({ 'sh.helm.release.v1.classic.v1': 'superseded', 'sh.helm.release.v1.classic.v2': 'deployed' });
    expect(done(await helm(['uninstall', 'classic', '-n', ns]))).toBe('release "classic" uninstalled\n');
    expect(await kubectl(['-n', ns, 'get', KINDS, '-l', 'app.kubernetes.io/instance=classic'])).toEqual({ code: 0, stdout: '', stderr: `No resources found in ${ns} namespace.\n` });
    expect(await kubectl(`-n ${ns} get secrets -l owner=helm`)).toEqual({ code: 0, stdout: '', stderr: `No resources found in ${ns} namespace.\n` });
  });
});
