import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: ['./src/db/schema.ts', './src/db/schema-quiz.ts', './src/db/schema-supervision.ts', './src/db/schema-web.ts'],
  out: './drizzle',
});
