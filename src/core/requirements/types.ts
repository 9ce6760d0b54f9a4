import type { Text } from '../text.js';
import type { Level } from '../quiz/types.js';

/** The document a clause comes from: title, 文号, issue date, and when it took and (if replaced) lost force. */
export interface RequirementDocument {
  id: string;
  title: string;
  /** 文号; '' when no page read shows it (then `numberMissing` says why). */
  number: string;
  numberMissing?: string;
  issuer: string;
  /** issue date (YYYY-MM-DD); '' when not found (then `dateMissing` says why). */
  date: string;
  dateMissing?: string;
  /** YYYY, YYYY-MM or YYYY-MM-DD: as precisely as a source shows it. */
  effective: string;
  /** set only when a later document replaced this one */
  ceased?: string;
  /** the replacing document's id (same pack) */
  replacedBy?: string;
  /** source ids in brackets, defined in docs/content-sources.md */
  source: string;
}

/** One clause: an obligation a helper must know or do, with its level, region and document. */
export interface Requirement {
  id: string;
  pack: string;
  level: Level;
  /** 'CN', a province (安徽省) or a city (亳州市) */
  region: string;
  /** for a city's clause: its province */
  province?: string;
  document: RequirementDocument;
  /** where in the document (section heading or number) */
  clause: string;
  topic: string;
  text: Text;
  /** YYYY-MM-DD: the first day the clause is certainly in force (a partial date counts from the end of its period) */
  inForceFrom: string;
  /** YYYY-MM-DD: the day it stopped applying, when replaced */
  ceased?: string;
  replacedBy?: string;
  example: boolean;
}

/** A pack: one issuer's clauses (a province, a city, the nation), marked when it is a shipped example. */
export interface RequirementPack {
  id: string;
  level: Level;
  region: string;
  province?: string;
  example: boolean;
  title: Text;
  documents: RequirementDocument[];
  requirements: Requirement[];
}

/** The province and city a district sits in (content/settings.yaml `requirements`). */
export interface DistrictPlace {
  province?: string;
  city?: string;
}
