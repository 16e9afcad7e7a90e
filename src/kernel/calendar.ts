/**
 * The event calendar: a binary min-heap keyed (time, sequence). The sequence number is the order
 * of scheduling, so events at equal times run first-scheduled, first-run — deterministic ties, as
 * in SimPy's (time, priority, eid) key. Keys live in typed arrays beside an array of callbacks
 * (no entry objects), which keeps the hot loop free of allocation beyond the callbacks themselves.
 */
export type Action = () => void;

export class Calendar {
  private times = new Float64Array(256);
  private seqs = new Float64Array(256);
  private actions: Action[] = [];
  private n = 0;
  private nextSeq = 0;

  get size(): number {
    return this.n;
  }

  /** Time of the earliest event; +Infinity when empty. */
  peekTime(): number {
    return this.n > 0 ? this.times[0]! : Infinity;
  }

  push(time: number, action: Action): void {
    if (this.n === this.times.length) this.growTo(this.n * 2);
    const seq = this.nextSeq++;
    const times = this.times;
    const seqs = this.seqs;
    const actions = this.actions;
    let i = this.n++;
    // sift up
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p]!;
      if (pt < time || (pt === time && seqs[p]! < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[p]!;
      actions[i] = actions[p]!;
      i = p;
    }
    times[i] = time;
    seqs[i] = seq;
    actions[i] = action;
  }

  /** Removes the earliest event and returns its action; the caller reads the time first. */
  pop(): Action {
    const times = this.times;
    const seqs = this.seqs;
    const actions = this.actions;
    const top = actions[0]!;
    const n = --this.n;
    const lastT = times[n]!;
    const lastS = seqs[n]!;
    const lastA = actions[n]!;
    actions[n] = undefined as unknown as Action; // release the callback
    if (n > 0) {
      // sift the last entry down from the root
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        if (r < n && (times[r]! < times[l]! || (times[r] === times[l] && seqs[r]! < seqs[l]!))) c = r;
        const ct = times[c]!;
        if (ct > lastT || (ct === lastT && seqs[c]! > lastS)) break;
        times[i] = ct;
        seqs[i] = seqs[c]!;
        actions[i] = actions[c]!;
        i = c;
      }
      times[i] = lastT;
      seqs[i] = lastS;
      actions[i] = lastA;
    }
    return top;
  }

  private growTo(capacity: number): void {
    const t = new Float64Array(capacity);
    const s = new Float64Array(capacity);
    t.set(this.times);
    s.set(this.seqs);
    this.times = t;
    this.seqs = s;
  }
}
