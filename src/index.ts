import destination from './destinations/fullstory-cloud'

export default destination
export { destination }
