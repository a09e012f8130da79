// Key paths and expressions over JSON objects: how a stage selects the objects it applies to (like KWOK's
// selector.matchExpressions), and where it reads the timestamp its delay counts from.
//
// A key path is a chain of steps: `.a.b` (fields), `["sim.skiff.dev/x"]` (a field with dots or slashes),
// `[*]` (every item of a list) and `[type=Ready]` (the items whose field equals a value). A path yields
// every value it reaches, so `.status.containerStatuses[*].state.running` is one value per running container.

export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface Expression {
  key: string;
  operator: Operator;
  /** For In and NotIn: compared with the values' string forms (`true`, `0`, `Running`). */
  values?: string[];
}

type Step = { field: string } | { each: true } | { where: string; equals: string };

const compiled = new Map<string, Step[]>();

function compile(path: string): Step[] {
  let steps = compiled.get(path);
  if (steps) return steps;
  steps = [];
  const re = /\.([A-Za-z0-9_-]+)|\[(?:"([^"]*)"|'([^']*)'|(\*)|([A-Za-z0-9_.-]+)=([^\]]*))\]/y;
  for (let at = 0; at < path.length;) {
    re.lastIndex = at;
    const m = re.exec(path);
    if (!m) throw new Error(`bad key path ${JSON.stringify(path)} at ${at}`);
    if (m[1] !== undefined) steps.push({ field: m[1] });
    else if (m[2] !== undefined || m[3] !== undefined) steps.push({ field: m[2] ?? m[3] });
    else if (m[4]) steps.push({ each: true });
    else steps.push({ where: m[5], equals: m[6] });
    at = re.lastIndex;
  }
  compiled.set(path, steps);
  return steps;
}

/** Every value the path reaches in `obj` (nulls and absent fields are not values). */
export function valuesAt(obj: unknown, path: string): unknown[] {
  let current: unknown[] = [obj];
  for (const step of compile(path)) {
    const next: unknown[] = [];
    for (const v of current) {
      if (v === null || typeof v !== 'object') continue;
      if ('field' in step) next.push((v as Record<string, unknown>)[step.field]);
      else if (Array.isArray(v)) {
        for (const item of v) {
          if ('each' in step || String((item as Record<string, unknown>)?.[step.where]) === step.equals) next.push(item);
        }
      }
    }
    current = next.filter(x => x !== undefined && x !== null);
  }
  return current;
}

export function matches(obj: unknown, expressions: readonly Expression[]): boolean {
  for (const e of expressions) {
    const found = valuesAt(obj, e.key);
    switch (e.operator) {
      case 'Exists': if (!found.length) return false; break;
      case 'DoesNotExist': if (found.length) return false; break;
      case 'In': if (!found.some(v => e.values!.includes(String(v)))) return false; break;
      case 'NotIn': if (found.some(v => e.values!.includes(String(v)))) return false; break;
    }
  }
  return true;
}

/** The latest timestamp (ms) found at any of the paths; undefined when there is none. */
export function latestTime(obj: unknown, paths: readonly string[]): number | undefined {
  let latest: number | undefined;
  for (const p of paths) {
    for (const v of valuesAt(obj, p)) {
      const t = typeof v === 'string' ? Date.parse(v) : NaN;
      if (!Number.isNaN(t) && (latest === undefined || t > latest)) latest = t;
    }
  }
  return latest;
}
