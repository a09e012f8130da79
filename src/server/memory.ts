// The Node server's heap policy. Skiff's caches (parsed objects, controllers' informers) are most of what
// is live; V8's defaults let a busy heap grow to several times that and keep it — and the RSS — long after
// the work that made the garbage is over, because nothing collects until allocation reaches the limit set
// at the busiest moment.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** How often the heap is looked at. */
const CHECK_MS = 10_000;
/** A collection is forced once the used heap is this much over what the last forced one left… */
const GROWTH_FACTOR = 1.25;
/** …and by at least this much; */
const MIN_GROWTH_BYTES = 64 * 1024 * 1024;
/** A check interval under this share of a core is quiet: the first after busy ones ends a burst. */
const QUIET_CPU_SHARE = 0.25;

/**
 * Bounds the heap: a compacting full collection when the used heap has grown a quarter over what was
 * live at the last one, and once when a burst of work is over (what was live during the burst may have
 * been far more than now, so growth says nothing). A forced collection pauses the process for up to about
 * a second on a large heap. (Bounding V8's own growth factor instead, `--heap-growing-percent=25`, made big
 * lists 1.7× slower: a major collection per list.) Returns a function that stops the checks.
 */
export function boundHeap(): () => void {
  // Node has no API to start a collection; this flag plus a fresh context gives its `gc` function.
  if (!process.execArgv.includes('--expose-gc')) setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as (() => void) | undefined;
  if (typeof collect !== 'function') return () => {};
  let live = getHeapStatistics().used_heap_size;
  let busy = false;
  let cpu = process.cpuUsage();
  const timer = setInterval(() => {
    const used = getHeapStatistics().used_heap_size;
    const spent = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    const quiet = (spent.user + spent.system) / 1000 < CHECK_MS * QUIET_CPU_SHARE;
    const burstOver = busy && quiet;
    busy = !quiet;
    const grown = used - live >= MIN_GROWTH_BYTES && used >= live * GROWTH_FACTOR;
    if (!grown && !(burstOver && used >= MIN_GROWTH_BYTES)) return;
    // Compacting moves what is live onto few pages so the rest go back to the system; V8's own full
    // collections compact only its most fragmented pages and keep the heap's size.
    setFlagsFromString('--compact-on-every-full-gc');
    try {
      collect();
    } finally {
      setFlagsFromString('--no-compact-on-every-full-gc');
    }
    live = getHeapStatistics().used_heap_size;
    // The collection's own CPU must not make the next interval look busy (that would end a "burst" again).
    cpu = process.cpuUsage();
  }, CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
