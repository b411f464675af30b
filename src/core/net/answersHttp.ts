// "Can this machine reach that web service at all?" — any HTTP answer counts (even a 404 or a
// 401: something is there); a refused connection, an unknown host or no answer within the time
// limit does not. Used before offering anything that needs the internet (an extension from the
// marketplace), so an air-gapped login node is never offered what it cannot get.

export async function answersHttp(url: string, timeoutMs = 3000, signal?: AbortSignal): Promise<boolean> {
  const limit = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, { method: 'HEAD', redirect: 'manual', signal: signal ? AbortSignal.any([signal, limit]) : limit });
    await response.body?.cancel().catch(() => undefined);
    return true;
  } catch {
    return false;
  }
}
