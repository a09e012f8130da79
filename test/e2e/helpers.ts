// Shared pieces of the kubectl end-to-end tests: one real server per test file, a kubectl bound to
// it, and small helpers to read kubectl's output.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';
import { startServer, type RunningServer } from '../support/server.ts';
import { kubectlFor, type Result, type Runner } from '../support/kubectl.ts';

export interface Cluster { server: RunningServer; kubectl: Runner }

/** Starts one server for the calling test file and stops it afterwards. */
export function useCluster(): Cluster {
  const cluster = {} as Cluster;
  beforeAll(async () => {
    cluster.server = await startServer();
    cluster.kubectl = kubectlFor(cluster.server.kubeconfig);
  });
  afterAll(async () => {
    if (!cluster.server) return;
    await cluster.server.stop();
    rmSync(cluster.server.dataDir, { recursive: true, force: true });
  });
  return cluster;
}

/** Asserts that kubectl succeeded (showing its stderr if not) and returns its stdout. */
export function ok(r: Result): string {
  expect(r.stderr, `kubectl failed with exit code ${r.code}`).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

/** Asserts that kubectl failed with exit code 1 and returns its stderr. */
export function fails(r: Result): string {
  expect(r.code, `expected kubectl to fail; it printed:\n${r.stdout}`).toBe(1);
  return r.stderr;
}

/** Output lines, without the trailing empty line. */
export const lines = (text: string) => text.replace(/\n$/, '').split('\n');

/** An AGE cell, which depends on timing: a few seconds at most in these tests. */
export const AGE = /\d+s/;
/** Any single cell whose value this test does not pin down (e.g. controller-driven counts). */
export const ANY = /\S+/;

/** A regular expression for one table row: its cells in order, separated by kubectl's padding. */
export function row(...cells: (string | RegExp)[]): RegExp {
  const parts = cells.map(c => typeof c === 'string' ? c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') : c.source);
  return new RegExp(`^${parts.join('\\s+')}$`);
}

/** Asserts that a table has exactly these rows (header first), each a string or a row(...) pattern. */
export function expectTable(stdout: string, expected: (string | RegExp)[]) {
  const actual = lines(stdout);
  expect(actual.length, `table:\n${stdout}`).toBe(expected.length);
  expected.forEach((e, i) => {
    if (typeof e === 'string') expect(actual[i].trimEnd()).toBe(e);
    else expect(actual[i].trimEnd(), `row ${i} of:\n${stdout}`).toMatch(e);
  });
}

/** Retries an assertion until it passes or the deadline is reached (for controller-driven state). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise(r => setTimeout(r, intervalMs));
    }
  }
}

/** Parses `kubectl get -o json` output. */
export const json = (stdout: string) => JSON.parse(stdout);
