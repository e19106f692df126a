import nock from 'nock'

// Tests reach FullStory only through nock or through servers they start on loopback.
beforeAll(() => {
  nock.disableNetConnect()
  nock.enableNetConnect('127.0.0.1')
})

beforeEach(() => {
  nock.cleanAll()
})

afterAll(() => {
  nock.restore()
})
