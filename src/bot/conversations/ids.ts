/** Dialog ids (features enter dialogs by id; a separate file keeps features and dialogs from importing each other). */
export const DIALOG = {
  correctionReason: 'correction_reason',
  signIn: 'sign_in',
  flagNote: 'flag_note',
  reviewComment: 'review_comment',
  pushWizard: 'push_wizard',
  quizImport: 'quiz_import',
  rulesImport: 'rules_import',
} as const;
