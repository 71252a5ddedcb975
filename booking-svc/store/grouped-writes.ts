/**
 * Writes items in groups: the first item is written at once, and those that arrive while a
 * write runs go together in the next one (at most `max` each), so a burst of confirmations
 * costs a few statements, not one each. Each caller's promise settles with its own group.
 */
export class GroupedWrites<T> {
  private waiting: { item: T; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private writing = false;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly max: number,
  ) {}

  add(item: T): Promise<void> {
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
        await this.write(group.map((g) => g.item));
        for (const g of group) g.resolve();
      } catch (err) {
        for (const g of group) g.reject(err);
      }
    }
    this.writing = false;
  }
}
