import type { HttpClient, RequestOptions } from './core.js';

/** One page of a list: `{data, has_more}`. */
export interface Page<T> {
  data: T[];
  has_more: boolean;
}

export interface ListParams {
  /** Page size, 1-100 (the API's default 20). */
  limit?: number;
  /** The id after which the listing starts (the cursor). */
  starting_after?: string;
  [k: string]: unknown;
}

/**
 * A cursor-paginated list. `await` it for the first page (`{data, has_more}`), or iterate it with
 * `for await (const item of list)` to walk every page (`starting_after` = the last id of a page).
 */
export class PagePromise<T extends { id?: string }> implements AsyncIterable<T>, PromiseLike<Page<T>> {
  private first?: Promise<Page<T>>;

  constructor(
    private readonly http: HttpClient,
    private readonly path: string,
    private readonly params: ListParams = {},
    private readonly options: RequestOptions = {},
  ) {}

  private fetchPage(startingAfter?: string): Promise<Page<T>> {
    const query = { ...this.params, ...(startingAfter ? { starting_after: startingAfter } : {}) };
    return this.http.request<Page<T> | T[]>('GET', this.path, { ...this.options, query }).then((r) =>
      Array.isArray(r) ? { data: r, has_more: false } : { data: r?.data ?? [], has_more: !!r?.has_more },
    );
  }

  then<A = Page<T>, B = never>(
    onfulfilled?: ((value: Page<T>) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    this.first ??= this.fetchPage(this.params.starting_after);
    return this.first.then(onfulfilled, onrejected);
  }

  /** Every page, one request each. */
  async *pages(): AsyncGenerator<Page<T>> {
    let cursor = this.params.starting_after;
    for (;;) {
      const page = await this.fetchPage(cursor);
      yield page;
      const last = page.data[page.data.length - 1];
      if (!page.has_more || !last?.id) return;
      cursor = last.id;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for await (const page of this.pages()) yield* page.data;
  }

  /** Every item (at most `max`), in one array. */
  async toArray(max = Infinity): Promise<T[]> {
    const out: T[] = [];
    for await (const item of this) {
      if (out.length >= max) break;
      out.push(item);
    }
    return out;
  }
}
