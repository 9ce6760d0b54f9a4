export * from '../i18n.js';
// kept until the test harness imports src/i18n.ts directly
