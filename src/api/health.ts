// Health of the parts a cluster depends on: the store and the reconciler runtime.
export interface HealthCheck {
  name: string;
  /** Resolves to an error message when unhealthy, undefined when healthy. */
  check(): Promise<string | undefined>;
}

export interface HealthReport { name: string; healthy: boolean; message: string }

export async function runChecks(checks: HealthCheck[]): Promise<HealthReport[]> {
  return Promise.all(checks.map(async c => {
    try {
      const problem = await c.check();
      return { name: c.name, healthy: !problem, message: problem ?? 'ok' };
    } catch (e) {
      return { name: c.name, healthy: false, message: (e as Error).message };
    }
  }));
}
