// Decisions wait for central as bytes in fixed-size pages outside the JavaScript heap. Kept as
// strings, every queued decision (~1 KB) outlived a few young-generation collections before its batch
// was sent: copied by each, then promoted to the old generation, whose collections paused the
// process that answers admission reviews for several milliseconds. Here a decision is a number (its
// page, offset and length) in the queue, and its text is copied once into a page that is reused
// when every decision in it is gone.
//
// Each decision is written followed by a comma, so decisions queued one after another are one
// contiguous run of a batch body: a batch is sent as a few views of pages, without building text.

/** Page size; an offset and a length each fit in 16 bits of a handle. */
export const PAGE_BYTES = 64 * 1024;
/** Empty pages kept for reuse rather than freed: about a second of decisions at 1,000 a second. */
const SPARE_PAGES = 16;
const COMMA = 0x2c;
const OFFSET_UNIT = 2 ** 16;
const SLOT_UNIT = 2 ** 32;

/**
 * A handle packs slot · 2^32 + offset · 2^16 + length into a double (exact below 2^53: slots stay
 * under 2^20, more than the largest queue allows). Length 0 marks a decision too large for a shared
 * page, alone in a page of its own size.
 */
export type DecisionHandle = number;

export class DecisionPages {
  private readonly pages: (Buffer | undefined)[] = [];
  /** Decisions still held in each page. */
  private readonly live: number[] = [];
  private readonly freeSlots: number[] = [];
  private readonly spare: Buffer[] = [];
  /** The page being filled, and where its free space starts. */
  private current = -1;
  private tail = 0;

  /** Pages in use (for tests and metrics). */
  get pageCount(): number {
    return this.pages.length - this.freeSlots.length;
  }

  /** Copies one decision's JSON text into a page. */
  store(json: string): DecisionHandle {
    const bytes = Buffer.byteLength(json);
    if (bytes + 1 >= PAGE_BYTES) {
      const page = Buffer.allocUnsafeSlow(bytes + 1);
      page.write(json, 0, "utf8");
      page[bytes] = COMMA;
      const slot = this.place(page);
      this.live[slot] = 1;
      return slot * SLOT_UNIT;
    }
    if (this.current < 0 || this.tail + bytes + 1 > PAGE_BYTES) this.openPage();
    const page = this.pages[this.current]!;
    const offset = this.tail;
    page.write(json, offset, "utf8");
    page[offset + bytes] = COMMA;
    this.tail = offset + bytes + 1;
    this.live[this.current]!++;
    return this.current * SLOT_UNIT + offset * OFFSET_UNIT + bytes;
  }

  /** Bytes of the decision, its comma included. */
  size(h: DecisionHandle): number {
    const length = h % OFFSET_UNIT;
    return length === 0 ? this.pages[slotOf(h)]!.length : length + 1;
  }

  /** The decision is gone (sent, refused or dropped): its page is reused once it holds no other. */
  release(h: DecisionHandle): void {
    const slot = slotOf(h);
    const left = --this.live[slot]!;
    if (left === 0 && slot !== this.current) this.free(slot);
  }

  /**
   * The JSON array elements of consecutive decisions, as page views: commas between them, and after
   * the last one only when `trailingComma`. Decisions stored one after another in one page come out
   * as one view; a piece spread over several pages is copied into one buffer (one write to gzip).
   */
  text(handles: readonly DecisionHandle[], from: number, to: number, trailingComma: boolean): Buffer {
    const views: Buffer[] = [];
    let i = from;
    while (i < to) {
      const slot = slotOf(handles[i]!);
      const start = offsetOf(handles[i]!);
      let end = start + this.size(handles[i]!);
      let j = i + 1;
      while (j < to && slotOf(handles[j]!) === slot && offsetOf(handles[j]!) === end && handles[j]! % OFFSET_UNIT !== 0) end += this.size(handles[j++]!);
      views.push(this.pages[slot]!.subarray(start, j === to && !trailingComma ? end - 1 : end));
      i = j;
    }
    return views.length === 1 ? views[0]! : Buffer.concat(views);
  }

  private openPage(): void {
    const previous = this.current;
    this.current = this.place(this.spare.pop() ?? Buffer.allocUnsafeSlow(PAGE_BYTES));
    this.live[this.current] = 0;
    this.tail = 0;
    if (previous >= 0 && this.live[previous] === 0) this.free(previous);
  }

  private place(page: Buffer): number {
    const slot = this.freeSlots.pop() ?? this.pages.length;
    this.pages[slot] = page;
    return slot;
  }

  private free(slot: number): void {
    const page = this.pages[slot]!;
    if (page.length === PAGE_BYTES && this.spare.length < SPARE_PAGES) this.spare.push(page);
    this.pages[slot] = undefined;
    this.live[slot] = 0;
    this.freeSlots.push(slot);
  }
}

const slotOf = (h: DecisionHandle) => Math.floor(h / SLOT_UNIT);
const offsetOf = (h: DecisionHandle) => Math.floor(h / OFFSET_UNIT) % OFFSET_UNIT;
