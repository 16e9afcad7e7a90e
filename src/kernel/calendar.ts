/**
 * The event calendar: a binary min-heap keyed (time, sequence). The sequence number is the order
 * of scheduling, so events at equal times run first-scheduled, first-run — deterministic ties, as
 * in SimPy's (time, priority, eid) key. Parallel arrays instead of entry objects keep the hot loop
 * free of allocation beyond the callbacks themselves.
 */
export type Action = () => void;

export class Calendar {
  private times: number[] = [];
  private seqs: number[] = [];
  private actions: Action[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.times.length;
  }

  /** Time of the earliest event; +Infinity when empty. */
  peekTime(): number {
    return this.times.length > 0 ? this.times[0]! : Infinity;
  }

  push(time: number, action: Action): void {
    const seq = this.nextSeq++;
    const times = this.times;
    const seqs = this.seqs;
    const actions = this.actions;
    let i = times.length;
    times.push(time);
    seqs.push(seq);
    actions.push(action);
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
    const lastT = times.pop()!;
    const lastS = seqs.pop()!;
    const lastA = actions.pop()!;
    const n = times.length;
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
}
