// Server-side apply and field management, driven by the real kubectl: `apply --server-side`
// (create, change, conflicts between managers, --force-conflicts, dropping fields), kubectl's
// client-side to server-side apply migration, `diff` in both modes, and the managedFields entries
// the imperative commands (create, label, edit, scale) leave behind. Every change is read back with
// a second kubectl call.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fails, json, lines, ok, useCluster } from './helpers.ts';

const cluster = useCluster();
const kubectl = (args: string | string[], input?: string, env?: Record<string, string>) => cluster.kubectl(args, { input, env });
/** One field of one object, through -o jsonpath. */
const field = async (ns: string, object: string, path: string) => ok(await kubectl(['-n', ns, 'get', object, '-o', `jsonpath={${path}}`]));

interface Entry { manager: string; operation: string; subresource?: string; apiVersion: string; fieldsType: string; fieldsV1: unknown; time: string }
/**
 * The object's managedFields, read the way a user would (`-o yaml --show-managed-fields`), less the
 * entries of controllers: on a real cluster kube-controller-manager records its Deployment status and
 * revision-annotation updates too, at times of its own. These tests look at the clients' entries.
 */
async function managedFields(ns: string, object: string): Promise<Entry[]> {
  const entries: Entry[] = parse(ok(await kubectl(['-n', ns, 'get', object, '-o', 'yaml', '--show-managed-fields']))).metadata.managedFields;
  return entries.filter(e => e.manager !== 'kube-controller-manager');
}
/** `manager/operation[/subresource]` of every managedFields entry, sorted. */
async function managers(ns: string, object: string): Promise<string[]> {
  return (await managedFields(ns, object)).map(e => [e.manager, e.operation, e.subresource].filter(Boolean).join('/')).sort();
}
/** The fields (FieldsV1) one manager owns. */
async function owned(ns: string, object: string, manager: string, operation = 'Apply'): Promise<unknown> {
  const entry = (await managedFields(ns, object)).find(e => e.manager === manager && e.operation === operation && !e.subresource);
  expect(entry, `no ${manager}/${operation} entry`).toBeDefined();
  return entry!.fieldsV1;
}

/** A Deployment manifest; replicas: null leaves spec.replicas out. */
const deployment = ({ name = 'web', replicas = 2 as number | null, labels = { app: name } as Record<string, string>, image = 'nginx:1.27', env = { FOO: 'bar' } as Record<string, string> } = {}) => JSON.stringify({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels },
  spec: {
    ...(replicas === null ? {} : { replicas }),
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'nginx', image, env: Object.entries(env).map(([n, value]) => ({ name: n, value })) }] },
    },
  },
});
/** A ConfigMap manifest: no controller writes ConfigMaps, so their resourceVersion moves only when a client writes. */
const configMap = (color = 'blue') => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { color } });
/** A manifest that sets only spec.replicas, for a second field manager. */
const replicasOnly = (replicas: number, name = 'web') => JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { replicas } });

/** The fields the default manifest above makes its applier own, as the API server records them. */
const manifestFields = (extra: { replicas?: boolean; env?: string[] } = {}) => ({
  'f:metadata': { 'f:labels': { 'f:app': {} } },
  'f:spec': {
    ...(extra.replicas === false ? {} : { 'f:replicas': {} }),
    'f:selector': {},
    'f:template': {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:containers': {
          'k:{"name":"nginx"}': {
            '.': {},
            'f:env': Object.fromEntries((extra.env ?? ['FOO']).map(e => [`k:{"name":"${e}"}`, { '.': {}, 'f:name': {}, 'f:value': {} }])),
            'f:image': {},
            'f:name': {},
          },
        },
      },
    },
  },
});

const CONFLICT_HELP = [
  'Please review the fields above--they currently have other managers. Here',
  'are the ways you can resolve this warning:',
  '* If you intend to manage all of these fields, please re-run the apply',
  '  command with the `--force-conflicts` flag.',
  '* If you do not intend to manage all of the fields, please edit your',
  '  manifest to remove references to the fields that should keep their',
  '  current managers.',
  '* You may co-own fields by updating your manifest to match the existing',
  '  value; in this case, you\'ll become the manager if the other manager(s)',
  '  stop managing the field (remove it from their configuration).',
  'See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts',
];

describe('apply --server-side', () => {
  it('creates the object, stores a changed field, and leaves an unchanged apply unwritten', async () => {
    ok(await kubectl('create namespace ssa-create'));
    expect(ok(await kubectl('-n ssa-create apply --server-side -f -', deployment()))).toBe('deployment.apps/web serverside-applied\n');
    const created = json(ok(await kubectl('-n ssa-create get deploy web -o json')));
    expect(created.spec.replicas).toBe(2);
    expect(created.spec.template.spec.containers[0]).toMatchObject({ name: 'nginx', image: 'nginx:1.27', env: [{ name: 'FOO', value: 'bar' }] });
    expect(created.metadata.generation).toBe(1);
    // No client-side apply annotation: the server tracks what was applied in managedFields.
    expect(created.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toBeUndefined();
    // Plain -o yaml hides managedFields; --show-managed-fields shows the one Apply entry.
    expect(ok(await kubectl('-n ssa-create get deploy web -o yaml'))).not.toContain('managedFields');
    const [entry, ...others] = await managedFields('ssa-create', 'deploy/web');
    expect(others).toEqual([]);
    expect(entry).toMatchObject({ manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1' });
    expect(entry.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(entry.fieldsV1).toEqual(manifestFields());

    const changed = deployment({ replicas: 4, image: 'nginx:1.28', env: { FOO: 'baz', EXTRA: '1' } });
    expect(ok(await kubectl('-n ssa-create apply --server-side -f -', changed))).toBe('deployment.apps/web serverside-applied\n');
    const live = json(ok(await kubectl('-n ssa-create get deploy web -o json')));
    expect(live.spec.replicas).toBe(4);
    expect(live.spec.template.spec.containers).toHaveLength(1);
    expect(live.spec.template.spec.containers[0]).toMatchObject({ name: 'nginx', image: 'nginx:1.28', env: [{ name: 'FOO', value: 'baz' }, { name: 'EXTRA', value: '1' }] });
    expect(live.metadata.generation).toBe(2);
    expect(await owned('ssa-create', 'deploy/web', 'kubectl')).toEqual(manifestFields({ env: ['FOO', 'EXTRA'] }));

    // Applying the same manifest again changes nothing, so nothing is written.
    const entries = await managedFields('ssa-create', 'deploy/web');
    expect(ok(await kubectl('-n ssa-create apply --server-side -f -', changed))).toBe('deployment.apps/web serverside-applied\n');
    expect(await field('ssa-create', 'deploy/web', '.metadata.generation')).toBe('2');
    expect(await managedFields('ssa-create', 'deploy/web')).toEqual(entries);
    expect(ok(await kubectl('-n ssa-create apply --server-side -f -', configMap()))).toBe('configmap/settings serverside-applied\n');
    const rv = await field('ssa-create', 'cm/settings', '.metadata.resourceVersion');
    expect(ok(await kubectl('-n ssa-create apply --server-side -f -', configMap()))).toBe('configmap/settings serverside-applied\n');
    expect(await field('ssa-create', 'cm/settings', '.metadata.resourceVersion')).toBe(rv);
  });

  it('refuses to take a field another manager owns, shares it at the same value, and --force-conflicts moves it', async () => {
    ok(await kubectl('create namespace ssa-conflict'));
    ok(await kubectl('-n ssa-conflict apply --server-side -f -', deployment({ replicas: null })));
    expect(ok(await kubectl('-n ssa-conflict apply --server-side --field-manager=other -f -', replicasOnly(3)))).toBe('deployment.apps/web serverside-applied\n');
    expect(await managers('ssa-conflict', 'deploy/web')).toEqual(['kubectl/Apply', 'other/Apply']);
    expect(await owned('ssa-conflict', 'deploy/web', 'other')).toEqual({ 'f:spec': { 'f:replicas': {} } });

    // A different value for a field "other" owns is a conflict: nothing is stored.
    const refused = await kubectl('-n ssa-conflict apply --server-side -f -', deployment({ replicas: 5 }));
    expect(refused.stdout).toBe('');
    expect(lines(fails(refused))).toEqual(['error: Apply failed with 1 conflict: conflict with "other": .spec.replicas', ...CONFLICT_HELP]);
    expect(await field('ssa-conflict', 'deploy/web', '.spec.replicas')).toBe('3');
    expect(await field('ssa-conflict', 'deploy/web', '.metadata.generation')).toBe('2');

    // The same value is no conflict: both managers own spec.replicas.
    expect(ok(await kubectl('-n ssa-conflict apply --server-side -f -', deployment({ replicas: 3 })))).toBe('deployment.apps/web serverside-applied\n');
    expect(await owned('ssa-conflict', 'deploy/web', 'other')).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(await owned('ssa-conflict', 'deploy/web', 'kubectl')).toEqual(manifestFields());

    // Forcing a different value takes the field: "other" owned nothing else, so its entry goes.
    expect(ok(await kubectl('-n ssa-conflict apply --server-side --force-conflicts -f -', deployment({ replicas: 5 })))).toBe('deployment.apps/web serverside-applied\n');
    expect(await field('ssa-conflict', 'deploy/web', '.spec.replicas')).toBe('5');
    expect(await managers('ssa-conflict', 'deploy/web')).toEqual(['kubectl/Apply']);
    expect(await field('ssa-conflict', 'deploy/web', '.metadata.managedFields[*].operation')).toBe('Apply');
    expect(await owned('ssa-conflict', 'deploy/web', 'kubectl')).toEqual(manifestFields());

    // Now "other" is the one refused, and the message names kubectl.
    const back = await kubectl('-n ssa-conflict apply --server-side --field-manager=other -f -', replicasOnly(1));
    expect(lines(fails(back))[0]).toBe('error: Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
  });

  it('conflicts with kubectl scale, which owns spec.replicas through the scale subresource', async () => {
    ok(await kubectl('create namespace ssa-scale'));
    ok(await kubectl('-n ssa-scale apply --server-side -f -', deployment()));
    expect(ok(await kubectl('-n ssa-scale scale deploy web --replicas=4'))).toBe('deployment.apps/web scaled\n');
    // scale sends no fieldManager: the server names the manager after the user agent.
    expect(await managers('ssa-scale', 'deploy/web')).toEqual(['kubectl/Apply', 'kubectl/Update/scale']);
    const scaleEntry = (await managedFields('ssa-scale', 'deploy/web')).find(e => e.subresource === 'scale');
    expect(scaleEntry).toMatchObject({ apiVersion: 'apps/v1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } });
    expect(await owned('ssa-scale', 'deploy/web', 'kubectl')).toEqual(manifestFields({ replicas: false }));

    const refused = await kubectl('-n ssa-scale apply --server-side -f -', deployment({ replicas: 2 }));
    expect(lines(fails(refused))[0]).toBe('error: Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas');
    expect(await field('ssa-scale', 'deploy/web', '.spec.replicas')).toBe('4');

    expect(ok(await kubectl('-n ssa-scale apply --server-side --force-conflicts -f -', deployment({ replicas: 2 })))).toBe('deployment.apps/web serverside-applied\n');
    expect(await field('ssa-scale', 'deploy/web', '.spec.replicas')).toBe('2');
    expect(await managers('ssa-scale', 'deploy/web')).toEqual(['kubectl/Apply']);
  });

  it('removes a field the manager drops from its manifest, unless another manager owns it', async () => {
    ok(await kubectl('create namespace ssa-drop'));
    const full = deployment({ replicas: 3, labels: { app: 'web', tier: 'fe', stage: 'dev' }, env: { FOO: 'bar', BAR: 'baz' } });
    ok(await kubectl('-n ssa-drop apply --server-side -f -', full));
    // A second manager applies one of the labels with the same value: it co-owns it.
    const coOwner = JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { stage: 'dev' } } });
    ok(await kubectl('-n ssa-drop apply --server-side --field-manager=other -f -', coOwner));

    // Drop replicas, the tier and stage labels and the BAR variable.
    const trimmed = deployment({ replicas: null, labels: { app: 'web' }, env: { FOO: 'bar' } });
    expect(ok(await kubectl('-n ssa-drop apply --server-side -f -', trimmed))).toBe('deployment.apps/web serverside-applied\n');
    const live = json(ok(await kubectl('-n ssa-drop get deploy web -o json')));
    // tier and BAR had no other owner and are gone; stage stays because "other" still owns it.
    expect(live.metadata.labels).toEqual({ app: 'web', stage: 'dev' });
    expect(live.spec.template.spec.containers[0].env).toEqual([{ name: 'FOO', value: 'bar' }]);
    // A removed field that has a default gets the default again.
    expect(live.spec.replicas).toBe(1);
    expect(await owned('ssa-drop', 'deploy/web', 'kubectl')).toEqual(manifestFields({ replicas: false }));
    expect(await owned('ssa-drop', 'deploy/web', 'other')).toEqual({ 'f:metadata': { 'f:labels': { 'f:stage': {} } } });
  });

  it('refuses a field the schema does not declare, even with --validate=false, storing nothing', async () => {
    ok(await kubectl('create namespace ssa-undeclared'));
    ok(await kubectl('-n ssa-undeclared apply --server-side -f -', deployment()));
    const withTypo = (manifest: string) => {
      const obj = JSON.parse(manifest);
      obj.spec.template.spec.containers[0].imagePolicy = 'Always';
      return JSON.stringify(obj);
    };
    // kube-apiserver types the applied configuration before fieldValidation is looked at. (v1.35
    // answers this with a 500 and no reason, kubernetes/kubernetes#139253, so kubectl prints
    // "Error from server:"; a 400 BadRequest is what that issue asks for.)
    const message = /^Error from server( \(BadRequest\))?: failed to create typed patch object \(ssa-undeclared\/web; apps\/v1, Kind=Deployment\): \.spec\.template\.spec\.containers\[name="nginx"\]\.imagePolicy: field not declared in schema\n$/;
    expect(fails(await kubectl('-n ssa-undeclared apply --server-side -f -', withTypo(deployment({ replicas: 3 }))))).toMatch(message);
    expect(fails(await kubectl('-n ssa-undeclared apply --server-side --validate=false -f -', withTypo(deployment({ replicas: 3 }))))).toMatch(message);
    expect(await field('ssa-undeclared', 'deploy/web', '.metadata.generation')).toBe('1');
    expect(await field('ssa-undeclared', 'deploy/web', '.spec.replicas')).toBe('2');
  });
});

describe('client-side apply, then apply --server-side', () => {
  it('migrates ownership from kubectl-client-side-apply to the server-side applier', async () => {
    ok(await kubectl('create namespace ssa-migrate'));
    expect(ok(await kubectl('-n ssa-migrate apply -f -', deployment({ labels: { app: 'web', tier: 'fe' } })))).toBe('deployment.apps/web created\n');
    ok(await kubectl('-n ssa-migrate label deploy web owner=ops'));
    expect(await managers('ssa-migrate', 'deploy/web')).toEqual(['kubectl-client-side-apply/Update', 'kubectl-label/Update']);

    // A changed replicas count is no conflict with the old client-side applier (it is in the
    // last-applied configuration), and the tier label, dropped from the manifest, is removed.
    const manifest = deployment({ replicas: 3 });
    const migrated = await kubectl('-n ssa-migrate apply --server-side -f -', manifest);
    expect(migrated).toEqual({ code: 0, stdout: 'deployment.apps/web serverside-applied\n', stderr: '' });
    const live = json(ok(await kubectl('-n ssa-migrate get deploy web -o json')));
    expect(live.spec.replicas).toBe(3);
    expect(live.metadata.labels).toEqual({ app: 'web', owner: 'ops' });
    // Defaulted fields the client-side applier owned stay (they are defaulted again).
    expect(live.spec.progressDeadlineSeconds).toBe(600);
    // The last-applied annotation is kept, now owned by its own applier and in step with the manifest.
    const lastApplied = JSON.parse(live.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    expect(lastApplied.spec.replicas).toBe(3);
    expect(lastApplied.metadata.labels).toEqual({ app: 'web' });

    expect(await managers('ssa-migrate', 'deploy/web')).toEqual(['kubectl-label/Update', 'kubectl-last-applied/Apply', 'kubectl/Apply']);
    expect(await owned('ssa-migrate', 'deploy/web', 'kubectl')).toEqual(manifestFields());
    expect(await owned('ssa-migrate', 'deploy/web', 'kubectl-last-applied')).toEqual({
      'f:metadata': { 'f:annotations': { 'f:kubectl.kubernetes.io/last-applied-configuration': {} } },
    });
    expect(await owned('ssa-migrate', 'deploy/web', 'kubectl-label', 'Update')).toEqual({ 'f:metadata': { 'f:labels': { 'f:owner': {} } } });

    // The next server-side apply is a single request (no migration), with nothing to report.
    const next = await kubectl('-n ssa-migrate apply --server-side -f - -v=6', deployment({ replicas: 4 }));
    expect(next.code).toBe(0);
    expect(next.stdout).toBe('deployment.apps/web serverside-applied\n');
    const writes = lines(next.stderr).filter(l => / verb="(PATCH|PUT|POST)"/.test(l));
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/verb="PATCH" url="[^"]*\/namespaces\/ssa-migrate\/deployments\/web\?fieldManager=kubectl&fieldValidation=Strict&force=false" status="200 OK"/);
    expect(await field('ssa-migrate', 'deploy/web', '.spec.replicas')).toBe('4');
    expect(await managers('ssa-migrate', 'deploy/web')).toEqual(['kubectl-label/Update', 'kubectl-last-applied/Apply', 'kubectl/Apply']);
  });
});

describe('diff', () => {
  /** The changed lines of a unified diff, without the file headers. */
  const changes = (stdout: string) => lines(stdout).filter(l => /^[-+]/.test(l) && !/^(---|\+\+\+) /.test(l));
  /** A manifest of two objects, as users diff them. */
  const bundle = (opts: Parameters<typeof deployment>[0] = {}, color = 'blue') => `${deployment(opts)}\n---\n${configMap(color)}\n`;
  /** What a write by diff would have changed: the Deployment's generation and spec, the ConfigMap's version. */
  const stored = async (ns: string) => ({
    generation: await field(ns, 'deploy/web', '.metadata.generation'),
    replicas: await field(ns, 'deploy/web', '.spec.replicas'),
    labels: await field(ns, 'deploy/web', '.metadata.labels'),
    managedFields: await managedFields(ns, 'deploy/web'),
    configMap: await field(ns, 'cm/settings', '.metadata.resourceVersion'),
  });

  it('diff shows what apply would change, exits 1, and stores nothing', async () => {
    ok(await kubectl('create namespace ssa-diff'));
    ok(await kubectl('-n ssa-diff apply -f -', bundle()));
    const before = await stored('ssa-diff');

    const changed = await kubectl('-n ssa-diff diff -f -', bundle({ replicas: 5, image: 'nginx:1.28' }, 'green'));
    expect(changed.code).toBe(1);
    expect(changed.stderr).toBe('');
    expect(lines(changed.stdout)[0]).toMatch(/^diff -u -N \S+\/LIVE-\d+\/apps\.v1\.Deployment\.ssa-diff\.web \S+\/MERGED-\d+\/apps\.v1\.Deployment\.ssa-diff\.web$/);
    expect(changes(changed.stdout)).toEqual([
      '-  generation: 1',
      '+  generation: 2',
      '-  replicas: 2',
      '+  replicas: 5',
      '-        image: nginx:1.27',
      '+        image: nginx:1.28',
      '-  color: blue',
      '+  color: green',
    ]);
    expect(await stored('ssa-diff')).toEqual(before);

    expect(await kubectl('-n ssa-diff diff -f -', bundle())).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await stored('ssa-diff')).toEqual(before);

    // A manifest for an object that does not exist yet diffs against nothing.
    const created = await kubectl('-n ssa-diff diff -f -', deployment({ name: 'fresh' }));
    expect(created.code).toBe(1);
    expect(changes(created.stdout)).toContain('+  name: fresh');
    expect(changes(created.stdout).every(l => l.startsWith('+'))).toBe(true);
    expect(fails(await kubectl('-n ssa-diff get deploy fresh'))).toBe('Error from server (NotFound): deployments.apps "fresh" not found\n');
  });

  it('diff --server-side shows what a server-side apply would change, and stores nothing', async () => {
    ok(await kubectl('create namespace ssa-sdiff'));
    ok(await kubectl('-n ssa-sdiff apply --server-side -f -', bundle()));
    const before = await stored('ssa-sdiff');

    const changed = await kubectl('-n ssa-sdiff diff --server-side -f -', bundle({ replicas: 5, labels: { app: 'web', tier: 'fe' } }, 'green'));
    expect(changed.code).toBe(1);
    expect(changed.stderr).toBe('');
    expect(changes(changed.stdout)).toEqual([
      '-  generation: 1',
      '+  generation: 2',
      '+    tier: fe',
      '-  replicas: 2',
      '+  replicas: 5',
      '-  color: blue',
      '+  color: green',
    ]);
    expect(await stored('ssa-sdiff')).toEqual(before);

    expect(await kubectl('-n ssa-sdiff diff --server-side -f -', bundle())).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await stored('ssa-sdiff')).toEqual(before);
  });
});

describe('managedFields of imperative commands', () => {
  it('create, label and edit each record their own Update manager', async () => {
    ok(await kubectl('create namespace ssa-imperative'));
    expect(ok(await kubectl('-n ssa-imperative create deployment api --image=nginx:1.27 --replicas=2'))).toBe('deployment.apps/api created\n');
    expect(await managers('ssa-imperative', 'deploy/api')).toEqual(['kubectl-create/Update']);
    const createdFields = await owned('ssa-imperative', 'deploy/api', 'kubectl-create', 'Update') as Record<string, any>;
    // An Update owns what it set, defaulted fields included.
    expect(createdFields['f:spec']['f:replicas']).toEqual({});
    expect(createdFields['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"nginx"}']).toMatchObject({ 'f:image': {}, 'f:imagePullPolicy': {} });

    expect(ok(await kubectl('-n ssa-imperative label deploy api team=blue'))).toBe('deployment.apps/api labeled\n');
    expect(await managers('ssa-imperative', 'deploy/api')).toEqual(['kubectl-create/Update', 'kubectl-label/Update']);
    expect(await owned('ssa-imperative', 'deploy/api', 'kubectl-label', 'Update')).toEqual({ 'f:metadata': { 'f:labels': { 'f:team': {} } } });

    const editor = { EDITOR: `sed -i -e 's/replicas: 2/replicas: 3/'`, KUBE_EDITOR: '' };
    expect(ok(await kubectl('-n ssa-imperative edit deploy api', undefined, editor))).toBe('deployment.apps/api edited\n');
    expect(await field('ssa-imperative', 'deploy/api', '.spec.replicas')).toBe('3');
    expect(await managers('ssa-imperative', 'deploy/api')).toEqual(['kubectl-create/Update', 'kubectl-edit/Update', 'kubectl-label/Update']);
    // The edit took spec.replicas over from kubectl-create.
    expect(await owned('ssa-imperative', 'deploy/api', 'kubectl-edit', 'Update')).toEqual({ 'f:spec': { 'f:replicas': {} } });
    const afterEdit = await owned('ssa-imperative', 'deploy/api', 'kubectl-create', 'Update') as Record<string, any>;
    expect(afterEdit['f:spec']['f:replicas']).toBeUndefined();
  });
});
