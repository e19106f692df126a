import type { IncomingMessage } from 'http'

export interface Refusal {
  status: number
  message: string
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]']

/**
 * Why a request must not reach the runtime, if it must not. In live mode the runtime sends with the developer's
 * API key, so no web page may use it: a page elsewhere sends a foreign Origin; a DNS-rebinding page reaches
 * 127.0.0.1 under its own host name, so the Host is not a loopback name; and an HTML form or a "simple" cross-site
 * fetch can only declare text/plain, form or multipart bodies, never application/json without a preflight that
 * this server does not grant. Tools (curl, SDKs) send no Origin and a loopback Host, and declare JSON.
 */
export function refusal(req: IncomingMessage, port: number): Refusal | undefined {
  const host = req.headers.host?.toLowerCase()
  const allowed = LOOPBACK_NAMES.flatMap((name) => (port === 80 ? [name, `${name}:80`] : [`${name}:${port}`]))
  if (host === undefined || !allowed.includes(host)) {
    return {
      status: 403,
      message: `Refused: the Host header ${JSON.stringify(req.headers.host ?? '')} is not this server's; use http://127.0.0.1:${port} (or localhost). A host name that points here from elsewhere (DNS rebinding) is not accepted.`
    }
  }
  const origin = req.headers.origin
  if (origin !== undefined && origin.toLowerCase() !== `http://${host}`) {
    return {
      status: 403,
      message: `Refused: a request from the web page at ${JSON.stringify(origin)} is not accepted; only this server's own page (http://${host}) and tools that send no Origin header, such as curl or a Segment library, may call it.`
    }
  }
  if (req.method === 'POST') {
    const type = req.headers['content-type']?.split(';')[0].trim().toLowerCase()
    if (type !== 'application/json') {
      return {
        status: 415,
        message: `Refused: the body must be declared "Content-Type: application/json" (got ${JSON.stringify(req.headers['content-type'] ?? 'none')}).`
      }
    }
  }
  return undefined
}
