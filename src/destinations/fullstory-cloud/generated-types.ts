// Generated file. DO NOT MODIFY IT BY HAND.

export interface Settings {
  /**
   * A FullStory API key (Settings > Integrations > API Keys). A Standard key is enough to send users and events; deleting users for Segment privacy requests needs an Admin or Architect key.
   */
  apiKey: string
  /**
   * Where your FullStory account stores data. "Automatic" sends to api.fullstory.com, which routes by API key and suits almost everyone; choose EU only if your FullStory login is at app.eu1.fullstory.com and you want requests to go straight to the EU host.
   */
  region?: string
  /**
   * How a trait or property name that FullStory does not accept (it takes letters, digits and _, starting with a letter) is rewritten. Names FullStory accepts are always sent exactly as written. Keep the default unless you are moving from Segment's earlier FullStory destination and want your existing FullStory property names to line up.
   */
  propertyNameStyle?: string
}
