/** Menu items whose features are wired in createBot; the menu and command lists show only these. */
export const availableItems: ReadonlySet<string> = new Set(['households', 'visit', 'resume', 'lang', 'help', 'quiz', 'push', 'stats', 'flags', 'export']);
