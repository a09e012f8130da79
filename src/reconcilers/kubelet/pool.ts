// Bounded concurrency for a pass's writes: enough in flight to fill the store's coalesced batches,
// not so many that one pass holds thousands of pending requests.
export async function runAll(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, async () => {
    while (next < tasks.length) await tasks[next++]();
  }));
}
