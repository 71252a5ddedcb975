/**
 * Writes items in groups: the first item is written at once, and those that arrive while a
 * write runs go together in the next one (at most `max` each), so a burst of confirmations
 * costs a few statements, not one each. Each caller's promise settles with the write's answer
 * for its item (the write returns one per item, in order). A group that fails is written again
 * item by item, so one item that cannot be written never fails the others.
 */
export class GroupedWrites<T, R = void> {
  private waiting: { item: T; resolve: (r: R) => void; reject: (err: unknown) => void }[] = [];
  private writing = false;

  constructor(
    // biome-ignore lint/suspicious/noConfusingVoidType: a write without answers per item returns nothing.
    private readonly write: (items: T[]) => Promise<[R] extends [void] ? void : R[]>,
    private readonly max: number,
  ) {}

  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.waiting.length > 0) {
      const group = this.waiting.splice(0, this.max);
      try {
        const results = (await this.write(group.map((g) => g.item))) as R[] | undefined;
        for (const [i, g] of group.entries()) g.resolve(results?.[i] as R);
      } catch (err) {
        if (group.length === 1) group[0]?.reject(err);
        else await Promise.all(group.map((g) => this.writeAlone(g)));
      }
    }
    this.writing = false;
  }

  private async writeAlone(g: { item: T; resolve: (r: R) => void; reject: (err: unknown) => void }): Promise<void> {
    try {
      const [result] = ((await this.write([g.item])) as R[] | undefined) ?? [];
      g.resolve(result as R);
    } catch (err) {
      g.reject(err);
    }
  }
}
