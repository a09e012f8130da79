// Prometheus text exposition of a few counters and histograms (`/metrics`).
type Labels = Record<string, string>;

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

export class Metrics {
  private counters = new Map<string, { help: string; values: Map<string, number> }>();
  private histograms = new Map<string, { help: string; values: Map<string, { counts: number[]; sum: number; count: number }> }>();
  private gauges = new Map<string, { help: string; read: () => number }>();

  inc(name: string, help: string, labels: Labels = {}, by = 1) {
    let c = this.counters.get(name);
    if (!c) this.counters.set(name, c = { help, values: new Map() });
    const key = labelText(labels);
    c.values.set(key, (c.values.get(key) ?? 0) + by);
  }

  observe(name: string, help: string, labels: Labels, seconds: number) {
    let h = this.histograms.get(name);
    if (!h) this.histograms.set(name, h = { help, values: new Map() });
    const key = JSON.stringify(labels);
    let v = h.values.get(key);
    if (!v) h.values.set(key, v = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 });
    BUCKETS.forEach((b, i) => { if (seconds <= b) v!.counts[i]++; });
    v.sum += seconds;
    v.count++;
  }

  gauge(name: string, help: string, read: () => number) {
    this.gauges.set(name, { help, read });
  }

  text(): string {
    const lines: string[] = [];
    for (const [name, c] of this.counters) {
      lines.push(`# HELP ${name} ${c.help}`, `# TYPE ${name} counter`);
      for (const [labels, v] of c.values) lines.push(`${name}${labels} ${v}`);
    }
    for (const [name, h] of this.histograms) {
      lines.push(`# HELP ${name} ${h.help}`, `# TYPE ${name} histogram`);
      for (const [key, v] of h.values) {
        const labels: Labels = JSON.parse(key);
        BUCKETS.forEach((b, i) => lines.push(`${name}_bucket${labelText({ ...labels, le: String(b) })} ${v.counts[i]}`));
        lines.push(`${name}_bucket${labelText({ ...labels, le: '+Inf' })} ${v.count}`);
        lines.push(`${name}_sum${labelText(labels)} ${v.sum}`, `${name}_count${labelText(labels)} ${v.count}`);
      }
    }
    for (const [name, g] of this.gauges) lines.push(`# HELP ${name} ${g.help}`, `# TYPE ${name} gauge`, `${name} ${g.read()}`);
    return lines.join('\n') + '\n';
  }
}
