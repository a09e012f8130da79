// Value formatting shared by the Table columns: ages, selectors, lists and placeholders,
// each rendered the way kube-apiserver's printers render it.
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type { Container, ServicePort } from 'kubernetes-types/core/v1';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * A duration as kubectl shows it (apimachinery's duration.HumanDuration): about two significant
 * figures, e.g. "119s", "2m5s", "10m", "3h5m", "47h", "3d4h", "200d", "2y30d", "8y".
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  // Up to a second in the future is clock skew between machines, not an error.
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 3 * 60) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

/** Milliseconds since the epoch of a metav1.Time or MicroTime; undefined for the zero (absent) time. */
export function parseTime(timestamp: string | undefined | null): number | undefined {
  if (!timestamp) return undefined;
  // MicroTime has six fractional digits; keep the milliseconds so every runtime parses it.
  const ms = Date.parse(timestamp.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(ms) ? undefined : ms;
}

/** Time elapsed since a timestamp, `<unknown>` when it is absent (translateTimestampSince). */
export function since(timestamp: string | undefined | null, now: number): string {
  const t = parseTime(timestamp);
  return t === undefined ? '<unknown>' : humanDuration(now - t);
}

/** RFC 3339 in UTC with whole seconds, as Go's time.RFC3339 formats a metav1.Time. */
export function rfc3339(timestamp: string | undefined | null): string {
  const t = parseTime(timestamp);
  if (t === undefined) return '0001-01-01T00:00:00Z';
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `value`, or `<none>` when it is empty. */
export function orNone(value: string | undefined | null): string {
  return value ? value : '<none>';
}

/** A label map as `k1=v1,k2=v2` sorted by key, `<none>` when empty (labels.FormatLabels). */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort();
  return orNone(keys.map((k) => `${k}=${labels![k]}`).join(','));
}

/**
 * A LabelSelector in selector syntax (`app=web,tier in (a,b),!legacy`), requirements sorted by key;
 * '' for a nil or empty selector. Throws on a selector that cannot be converted.
 */
export function selectorString(selector: LabelSelector | undefined | null): string {
  if (!selector) return '';
  const requirements: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    requirements.push({ key, text: `${key}=${value}` });
  }
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const list = () => {
      if (values.length === 0) throw new Error(`values: must be specified for ${operator}`);
      return `(${[...values].sort().join(',')})`;
    };
    const none = (text: string) => {
      if (values.length > 0) throw new Error(`values: may not be specified for ${operator}`);
      return text;
    };
    switch (operator) {
      case 'In': requirements.push({ key, text: `${key} in ${list()}` }); break;
      case 'NotIn': requirements.push({ key, text: `${key} notin ${list()}` }); break;
      case 'Exists': requirements.push({ key, text: none(key) }); break;
      case 'DoesNotExist': requirements.push({ key, text: none(`!${key}`) }); break;
      default: throw new Error(`"${operator}" is not a valid label selector operator`);
    }
  }
  return requirements
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => r.text)
    .join(',');
}

/** A LabelSelector for display: `<none>` when it selects everything or nothing, `<error>` when invalid. */
export function formatLabelSelector(selector: LabelSelector | undefined | null): string {
  try {
    return orNone(selectorString(selector));
  } catch {
    return '<error>';
  }
}

/** Service ports as `80/TCP,443:30443/TCP` (port, node port when allocated, protocol). */
export function servicePorts(ports: ServicePort[] | undefined): string {
  const pieces = (ports ?? []).map(({ port, nodePort, protocol = 'TCP' }) =>
    nodePort ? `${port}:${nodePort}/${protocol}` : `${port}/${protocol}`,
  );
  return orNone(pieces.join(','));
}

/** `host:port`, bracketing IPv6 addresses (net.JoinHostPort). */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * The first `shown` entries joined with ',' plus ` + N more...` when `total` exceeds them;
 * `empty` when there is nothing to show.
 */
export function listWithMore(shown: string[], total: number, empty = '<unset>'): string {
  const text = shown.join(',');
  if (total > shown.length) return `${text} + ${total - shown.length} more...`;
  return text === '' ? empty : text;
}

/** The Containers and Images cells of a pod template: names and images joined with ','. */
export function containerNames(containers: Container[] | undefined): string {
  return (containers ?? []).map((c) => c.name).join(',');
}

export function containerImages(containers: Container[] | undefined): string {
  return (containers ?? []).map((c) => c.image ?? '').join(',');
}

/** A resource.Quantity as printed; JSON carries quantities already in canonical string form. */
export function quantity(q: string | number | undefined | null, absent = '<nil>'): string {
  return q === undefined || q === null ? absent : String(q);
}

/** The state of a pointer-to-bool field as printed: True, False or <unset>. */
export function boolPtr(value: boolean | undefined | null): string {
  if (value === undefined || value === null) return '<unset>';
  return value ? 'True' : 'False';
}
