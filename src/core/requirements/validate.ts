/**
 * Validates a requirement pack (content/requirements/*.yaml, or a trainer's import) and turns its questions into a
 * question bank: each question takes its level, region and dates from the clause it tests and names that clause.
 * Every document must carry a source id, a 文号 and an issue date, or say why it has none.
 */
import { LEVELS, type Bank, type Level } from '../quiz/types.js';
import { validateBank, describeBankError } from '../quiz/validate-bank.js';
import type { Text } from '../text.js';
import { certainFrom } from './applies.js';
import type { Requirement, RequirementDocument, RequirementPack } from './types.js';

/** Topic codes of clauses, with their labels (packs may use only these). */
export const REQUIREMENT_TOPICS: Readonly<Record<string, Text>> = {
  duty_visits: { zh: '走访与驻村要求', en: 'Visits and time in the village' },
  duty_records: { zh: '记录与信息系统', en: 'Records and the information system' },
  duty_know: { zh: '应知应会', en: 'What a helper must know' },
  duty_measures: { zh: '帮扶措施', en: 'Support measures' },
  duty_conduct: { zh: '纪律与作风', en: 'Conduct and discipline' },
  duty_deadlines: { zh: '时限要求', en: 'Deadlines' },
  duty_policy_publicity: { zh: '政策宣讲', en: 'Explaining policies' },
  duty_training: { zh: '培训要求', en: 'Training' },
  duty_clarity_card: { zh: '明白卡', en: 'The clarity card' },
  duty_other: { zh: '帮扶机制与结对', en: 'Pairing and organisation' },
};

/** A validated pack and its questions as a bank (bank id `req-<pack id>`, apart from the banks of content/quizzes). */
export interface PackResult {
  pack: RequirementPack;
  bank?: Bank;
}

const SOURCE_IDS = /^(\[[A-Z]{1,6}\d*p?\])+$/;
const ISO = /^\d{4}-\d{2}-\d{2}$/;

const rec = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : undefined);
const text = (v: unknown): Text | undefined => {
  if (!rec(v)) return undefined;
  const zh = str(v.zh);
  const en = str(v.en);
  return zh && en ? { zh, en } : undefined;
};

/** Validates a parsed pack; every error names the file and where in it. */
export function validatePack(raw: unknown, file: string): { ok: true; value: PackResult } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const err = (where: string, what: string) => errors.push(`${file}: ${where}: ${what}`);
  if (!rec(raw) || !rec(raw.pack)) return { ok: false, errors: [`${file}: pack: missing section`] };
  const p = raw.pack;
  const id = str(p.id) ?? '';
  if (!/^[a-z0-9][a-z0-9_-]{0,40}$/.test(id)) err('pack.id', 'must be lower-case letters, digits, - or _');
  const level = str(p.level) as Level;
  if (!LEVELS.includes(level)) err('pack.level', `must be one of ${LEVELS.join(', ')}`);
  const region = str(p.region) ?? '';
  if (!region) err('pack.region', 'must name the region (CN, a province or a city)');
  const province = str(p.province);
  if (level === 'municipal' && !province) err('pack.province', "a city's pack names its province");
  if (typeof p.example !== 'boolean') err('pack.example', 'must be true (a shipped example) or false');
  const title = text(p.title);
  if (!title) err('pack.title', 'needs zh and en');

  const documents = new Map<string, RequirementDocument>();
  const rawDocs = Array.isArray(raw.documents) ? raw.documents : [];
  if (rawDocs.length === 0) err('documents', 'must list at least one document');
  rawDocs.forEach((d, i) => {
    const at = `documents[${i}]`;
    if (!rec(d)) return err(at, 'must be a mapping');
    const did = str(d.id) ?? '';
    if (!did) return err(`${at}.id`, 'missing');
    if (documents.has(did)) return err(`${at}.id`, `duplicate ${did}`);
    const doc: RequirementDocument = {
      id: did,
      title: str(d.title) ?? '',
      number: str(d.number) ?? '',
      issuer: str(d.issuer) ?? '',
      date: str(d.date) ?? '',
      effective: str(d.effective) ?? '',
      source: str(d.source) ?? '',
    };
    if (!doc.title) err(`${at}.title`, 'missing');
    if (!doc.issuer) err(`${at}.issuer`, 'missing');
    if (d.number === undefined) err(`${at}.number`, 'missing (write "" and number_missing when no page shows it)');
    if (!doc.number) {
      doc.numberMissing = str(d.number_missing);
      if (!doc.numberMissing) err(`${at}.number_missing`, 'the 文号 is empty: say why');
    }
    if (d.date === undefined) err(`${at}.date`, 'missing (write "" and date_missing when no page shows it)');
    if (doc.date && !(ISO.test(doc.date) && certainFrom(doc.date))) err(`${at}.date`, 'must be YYYY-MM-DD');
    if (!doc.date) {
      doc.dateMissing = str(d.date_missing);
      if (!doc.dateMissing) err(`${at}.date_missing`, 'the issue date is empty: say why');
    }
    if (!certainFrom(doc.effective)) err(`${at}.effective`, 'must be YYYY, YYYY-MM or YYYY-MM-DD');
    if (!SOURCE_IDS.test(doc.source)) err(`${at}.source`, 'must be source ids in brackets, e.g. [RQ1]');
    const ceased = str(d.ceased);
    const replacedBy = str(d.replaced_by);
    if (ceased !== undefined) {
      if (!ISO.test(ceased) || !certainFrom(ceased)) err(`${at}.ceased`, 'must be YYYY-MM-DD');
      else doc.ceased = ceased;
      if (!replacedBy) err(`${at}.replaced_by`, 'a document ceases when another replaces it: name that one');
    }
    if (replacedBy) doc.replacedBy = replacedBy;
    documents.set(did, doc);
  });
  for (const doc of documents.values()) {
    if (doc.replacedBy && !documents.has(doc.replacedBy)) err(`documents.${doc.id}.replaced_by`, `${doc.replacedBy} is not a document of this pack`);
  }

  const requirements = new Map<string, Requirement>();
  const rawReqs = Array.isArray(raw.requirements) ? raw.requirements : [];
  if (rawReqs.length === 0) err('requirements', 'must list at least one clause');
  rawReqs.forEach((r, i) => {
    const at = `requirements[${i}]`;
    if (!rec(r)) return err(at, 'must be a mapping');
    const rid = str(r.id) ?? '';
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,40}$/.test(rid)) return err(`${at}.id`, 'missing or not letters, digits, - _ .');
    if (requirements.has(rid)) return err(`${at}.id`, `duplicate ${rid}`);
    const doc = documents.get(str(r.document) ?? '');
    if (!doc) return err(`${at}.document`, `${String(r.document)} is not a document of this pack`);
    const topic = str(r.topic) ?? '';
    if (!(topic in REQUIREMENT_TOPICS)) err(`${at}.topic`, `must be one of ${Object.keys(REQUIREMENT_TOPICS).join(', ')}`);
    const t = text(r.text);
    if (!t) err(`${at}.text`, 'needs zh and en');
    const clause = str(r.clause) ?? '';
    if (!clause) err(`${at}.clause`, 'name the section of the document');
    const effective = str(r.effective) ?? doc.effective;
    const from = certainFrom(effective);
    if (!from) err(`${at}.effective`, 'must be YYYY, YYYY-MM or YYYY-MM-DD');
    const ceased = str(r.ceased) ?? doc.ceased;
    if (ceased !== undefined && !ISO.test(ceased)) err(`${at}.ceased`, 'must be YYYY-MM-DD');
    if (!t || !from) return;
    requirements.set(rid, {
      id: rid,
      pack: id,
      level,
      region,
      ...(province ? { province } : {}),
      document: doc,
      clause,
      topic,
      text: t,
      inForceFrom: from,
      ...(ceased ? { ceased } : {}),
      ...(doc.replacedBy ? { replacedBy: doc.replacedBy } : {}),
      example: p.example === true,
    });
  });

  // questions: the clause gives level, region, date and source; the quiz validator checks the rest
  const rawQs = Array.isArray(raw.questions) ? raw.questions : [];
  const linked: { question: Record<string, unknown>; req: Requirement }[] = [];
  rawQs.forEach((q, i) => {
    const at = `questions[${i}]`;
    if (!rec(q)) return err(at, 'must be a mapping');
    const req = requirements.get(str(q.requirement) ?? '');
    if (!req) return err(`${at}.requirement`, `${String(q.requirement)} is not a clause of this pack`);
    linked.push({ question: q, req });
  });
  let bank: Bank | undefined;
  if (linked.length > 0 && errors.length === 0) {
    const rawBank = {
      title,
      topics: REQUIREMENT_TOPICS,
      questions: linked.map(({ question, req }) => ({
        ...question,
        topic: req.topic,
        level,
        region,
        effectiveDate: req.inForceFrom,
        source: sourceLine(req.document),
      })),
    };
    const result = validateBank(rawBank, `${id}.yaml`);
    if (!result.ok) {
      for (const e of result.errors) errors.push(`${file}: ${describeBankError(e)}`);
    } else {
      const reqOf = new Map(linked.map(({ question, req }) => [str(question.id) ?? '', req]));
      bank = {
        ...result.bank,
        id: `req-${id}`,
        questions: result.bank.questions.map((q) => {
          const req = reqOf.get(q.id)!;
          return { ...q, requirement: req.id, ...(req.ceased ? { ceasedDate: req.ceased } : {}) };
        }),
      };
    }
  }
  if (errors.length > 0 || !title) return { ok: false, errors };
  const pack: RequirementPack = {
    id,
    level,
    region,
    ...(province ? { province } : {}),
    example: p.example === true,
    title,
    documents: [...documents.values()],
    requirements: [...requirements.values()],
  };
  return { ok: true, value: bank ? { pack, bank } : { pack } };
}

/** How a question names its source: title, 文号 (or that none was seen), issue date, then the source ids. */
export function sourceLine(doc: RequirementDocument): string {
  const parts = [doc.number || '文号未见', doc.date || `${doc.effective}起施行`];
  return `${doc.title}（${parts.join('，')}）${doc.source}`;
}
