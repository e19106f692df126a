/**
 * The version of FullStory's server API this destination calls: users, events and import jobs are v2
 * (https://developer.fullstory.com/server/v2/getting-started/).
 */
export const FULLSTORY_API_VERSION = 'v2'
