/** The `error` of a Slack platform error (`{ ok: false, error }`), if that is what this is. */
export function platformError(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}
