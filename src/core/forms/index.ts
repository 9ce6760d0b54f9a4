/** The card engine: form definitions, validation, the step engine, computations and the summary. */
export * from './types.js';
export * from './state.js';
export * from './settings.js';
export { validateFormDefinition } from './validate-form.js';
export { checkExpr, type RefScope } from './expr-check.js';
export { evaluate, truthy, isAnswered, OPERATORS, type Scope } from './expr.js';
export { isDateString, normalizeDate, daysBetween, ageAt } from './dates.js';
export { compile, type CompiledForm } from './compiled.js';
export { parseAnswer, matchChoice, isValidIdNumber, MONEY_MAX_DEFAULT, type Input } from './parse-answer.js';
export { startCard, advance, jumpTo, migrateState, attachPhoto, acrossDefault } from './engine.js';
export type { StepResult } from './result.js';
export { currentPrompt, answerEcho, type Prompt, type DonePrompt, type RepeatList, type AcrossQuestion, type Suggestion } from './prompt.js';
export { summarize, canSubmit, confirmWarnings, finalAnswers, type Summary, type SummaryItem, type RuleResult } from './summary.js';
export { computeFigures, cardPovertyLine, figuresOfAnswers, type ComputedFigure } from './compute.js';
export { displayValue, formatYuan, maskId, itemLabel, itemSummary } from './display.js';
export { MAX_ITEMS_DEFAULT } from './repeat-steps.js';
export { answeredItems, pathLabel, type AnsweredItem } from './answered-items.js';
