import nock from 'nock'

// The monorepo's destination-actions tests run with nock 13 and this lifecycle: no real network (loopback
// excepted), interceptors cleared before every test, nock switched back on if a previous file restored it, and
// everything undone after the file.
beforeAll(() => {
  nock.disableNetConnect()
  nock.enableNetConnect('127.0.0.1')
  if (!nock.isActive()) nock.activate()
})

beforeEach(() => {
  nock.cleanAll()
})

afterAll(() => {
  nock.restore()
  nock.enableNetConnect()
  nock.cleanAll()
})
