/**
 * Waits for `work` to settle, or `ms`, whichever comes first. The timer is cleared once the work
 * settles: a timer left running would keep the process alive that long after everything else
 * closed (a service's shutdown, every test file that closed an app).
 */
export async function waitAtMost(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([work.then(noop, noop), late]);
  } finally {
    clearTimeout(timer);
  }
}

function noop(): void {}
