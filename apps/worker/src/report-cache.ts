/** Where the worker's `/report` comes from: the production run's id, and the page of that run. */
export interface ReportSource {
  /** The production run's id (a cheap read), or null when none is published. */
  productionRunId(): Promise<string | null>;
  /** The production run's report page, or null when none is published. */
  render(): Promise<{ readonly runId: string; readonly html: string } | null>;
}

/**
 * The latest published report, rendered once per production run: each request asks which run is production and
 * renders only when it changed, so a page is never older than the last publish and refreshes are not re-drawn per
 * request. Concurrent requests for a new run share one rendering.
 */
export function cachedReport(source: ReportSource): () => Promise<string | null> {
  let cached: { readonly runId: string; readonly html: Promise<string | null> } | undefined;
  return async () => {
    const runId = await source.productionRunId();
    if (runId === null) return null;
    if (cached?.runId !== runId) {
      const html = source.render().then((page) => page?.html ?? null);
      cached = { runId, html };
      // A failed rendering is not kept: the next request tries again.
      html.catch(() => {
        if (cached?.html === html) cached = undefined;
      });
    }
    return cached.html;
  };
}
