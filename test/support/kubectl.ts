// Runs the real kubectl (or helm) against a test server, with its own empty discovery cache.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binaries } from './binaries.ts';

export interface Result { code: number; stdout: string; stderr: string }

export interface Runner {
  (args: string[] | string, opts?: { input?: string; env?: Record<string, string>; timeoutMs?: number }): Promise<Result>;
}

function run(bin: string, baseEnv: Record<string, string>): Runner {
  return (args, opts = {}) => new Promise((resolve, reject) => {
    const argv = typeof args === 'string' ? args.split(/\s+/).filter(Boolean) : args;
    const child = spawn(bin, argv, { env: { ...process.env, ...baseEnv, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', c => { stdout += c; });
    child.stderr.on('data', c => { stderr += c; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${bin} ${argv.join(' ')} timed out\n${stdout}\n${stderr}`)); }, opts.timeoutMs ?? 60_000);
    child.on('exit', code => { clearTimeout(timer); resolve({ code: code ?? -1, stdout, stderr }); });
    child.stdin.end(opts.input ?? '');
  });
}

export function kubectlFor(kubeconfig: string): Runner {
  const home = mkdtempSync(join(tmpdir(), 'skiff-kubectl-'));
  return run(binaries().kubectl, { KUBECONFIG: kubeconfig, KUBECACHEDIR: join(home, 'cache'), HOME: home });
}

export function helmFor(kubeconfig: string): Runner {
  const home = mkdtempSync(join(tmpdir(), 'skiff-helm-'));
  return run(binaries().helm, {
    KUBECONFIG: kubeconfig, HOME: home, HELM_CACHE_HOME: join(home, 'cache'), HELM_CONFIG_HOME: join(home, 'config'), HELM_DATA_HOME: join(home, 'data'),
  });
}
