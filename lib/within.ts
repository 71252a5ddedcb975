/**
 * `work`'s outcome, or `late` once `ms` have passed, whichever comes first. The timer is cleared
 * once the work settles: a timer left running would keep the process alive that long after
 * everything else closed (a service's shutdown, a test file whose tests have all ended).
 */
export async function within<T, L>(work: Promise<T>, ms: number, late: L): Promise<T | L> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<L>((resolve) => {
    timer = setTimeout(() => resolve(late), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
