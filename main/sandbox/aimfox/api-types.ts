/** The JSON records the sandbox sends (and its in-process admin returns), typed for callers. */

export interface AimfoxNoteJson {
  id: string;
  text: string;
  created_at: string;
}

export interface AimfoxLabelJson {
  id: string;
  agency_id: string;
  name: string;
  color: string;
  /** Only in GET /labels. */
  count?: number;
}

export interface AimfoxLeadLabelJson {
  id: string;
  group_id: string;
  agency_id: string;
  name: string;
  color: string;
}

export interface AimfoxLocationJson {
  name: string;
  urn: string;
}

export interface AimfoxLeadJson {
  id: string;
  urn: string;
  public_identifier: string;
  first_name: string;
  last_name: string;
  full_name: string;
  industry_urn: string;
  occupation: string;
  picture_url: string;
  location: AimfoxLocationJson;
  work_experience: unknown[];
  current_experience: unknown[];
  education: unknown[];
  certifications: unknown[];
  skills: unknown[];
  languages: unknown[];
  interests: unknown[];
  volunteer_experience: unknown[];
  twitter_handles: unknown[];
  premium: boolean;
  email: string | null;
  phones: Array<{ number: string; type: string }>;
  first_scraped_at: string;
  last_scraped_at: string;
  is_lead: boolean;
  lead_of: string[];
  origins: Array<{ id: string; name: string }>;
  favorite: boolean;
  labels: AimfoxLeadLabelJson[];
  notes: AimfoxNoteJson[];
}

export interface AimfoxAudienceEntryJson {
  id: string;
  full_name: string;
  public_identifier: string;
  picture_url: string;
  occupation: string;
  urn: string;
  location: AimfoxLocationJson;
  company: string | null;
  state: string;
  owner?: string;
}

export interface AimfoxCampaignJson {
  id: string;
  name: string;
  state: string;
  created_at: number;
  target_count: number;
  type: string;
  outreach_type: string;
  owners: string[];
  start_date: number | null;
  miner: string | null;
  uses_connection_note: boolean;
  labels: unknown[];
}
