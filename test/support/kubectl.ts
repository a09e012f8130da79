// Runs the real kubectl (or helm) against a test server, with its own empty discovery cache.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binaries } from './binaries.ts';

export interface Result { code: number; stdout: string; stderr: string }

export interface RunOptions { input?: string; env?: Record<string, string>; timeoutMs?: number }

/** A long-running command (`get -w`, `wait`, a blocking `delete`) whose output is read while it runs. */
export interface Streaming {
  readonly stdout: string;
  readonly stderr: string;
  /** Whether the process has exited. */
  readonly done: boolean;
  /** Resolves once the stream's output so far matches; rejects with the output seen after the timeout. */
  waitFor(pattern: RegExp, opts?: { stream?: 'stdout' | 'stderr'; timeoutMs?: number }): Promise<void>;
  /** Resolves when the process exits by itself. */
  readonly exited: Promise<Result>;
  /** Ends the process (if still running) and returns what it printed. */
  stop(): Promise<Result>;
}

export interface Runner {
  (args: string[] | string, opts?: RunOptions): Promise<Result>;
  /** Starts a command without waiting for it to finish. */
  start(args: string[] | string, opts?: Omit<RunOptions, 'timeoutMs'>): Streaming;
}

const argvOf = (args: string[] | string) => typeof args === 'string' ? args.split(/\s+/).filter(Boolean) : args;

function launch(bin: string, env: Record<string, string>, argv: string[], input: string) {
  const child = spawn(bin, argv, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  const listeners = new Set<() => void>();
  const changed = () => { for (const l of listeners) l(); };
  child.stdout.on('data', c => { out.stdout += c; changed(); });
  child.stderr.on('data', c => { out.stderr += c; changed(); });
  const exited = new Promise<Result>(resolve => {
    // 'close' waits for the pipes to drain, so the output is complete.
    child.on('close', code => { changed(); resolve({ code: code ?? -1, ...out }); });
  });
  child.stdin.end(input);
  return { child, out, listeners, exited };
}

function run(bin: string, baseEnv: Record<string, string>): Runner {
  const runner = ((args, opts = {}) => {
    const argv = argvOf(args);
    const { child, out, exited } = launch(bin, { ...baseEnv, ...opts.env }, argv, opts.input ?? '');
    return new Promise<Result>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${bin} ${argv.join(' ')} timed out\n${out.stdout}\n${out.stderr}`));
      }, opts.timeoutMs ?? 60_000);
      exited.then(r => { clearTimeout(timer); resolve(r); });
    });
  }) as Runner;

  runner.start = (args, opts = {}) => {
    const argv = argvOf(args);
    const { child, out, listeners, exited } = launch(bin, { ...baseEnv, ...opts.env }, argv, opts.input ?? '');
    let done = false;
    exited.then(() => { done = true; });
    return {
      get stdout() { return out.stdout; },
      get stderr() { return out.stderr; },
      get done() { return done; },
      exited,
      waitFor(pattern, { stream = 'stdout', timeoutMs = 15_000 } = {}) {
        return new Promise<void>((resolve, reject) => {
          const check = () => {
            if (pattern.test(out[stream])) { finish(); resolve(); }
            else if (done) { finish(); reject(new Error(`${argv.join(' ')} exited before printing ${pattern}\nstdout:\n${out.stdout}\nstderr:\n${out.stderr}`)); }
          };
          const timer = setTimeout(() => {
            finish();
            reject(new Error(`${argv.join(' ')} did not print ${pattern} on ${stream} within ${timeoutMs}ms\nstdout:\n${out.stdout}\nstderr:\n${out.stderr}`));
          }, timeoutMs);
          const finish = () => { clearTimeout(timer); listeners.delete(check); };
          listeners.add(check);
          check();
        });
      },
      async stop() {
        if (!done) child.kill('SIGTERM');
        return exited;
      },
    };
  };
  return runner;
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
