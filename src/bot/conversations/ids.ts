/** Dialog ids (features enter dialogs by id; a separate file keeps features and dialogs from importing each other). */
export const DIALOG = {
  correctionReason: 'correction_reason',
  pushWizard: 'push_wizard',
  quizImport: 'quiz_import',
} as const;
