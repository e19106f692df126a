import { Agent, request } from 'http'

/** A keep-alive JSON POST client for the loopback runs: the cheapest way to drive the runtime from the same process. */
export function createClient(baseUrl: string, maxSockets: number) {
  const agent = new Agent({ keepAlive: true, maxSockets })
  const { hostname, port } = new URL(baseUrl)

  function post(path: string, body: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent,
          hostname,
          port,
          path,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
        },
        (res) => {
          res.resume() // the answer is read and discarded: only its status counts
          res.on('end', () => resolve(res.statusCode ?? 0))
          res.on('error', reject)
        }
      )
      req.on('error', reject)
      req.end(body)
    })
  }

  return { post, close: () => agent.destroy() }
}
