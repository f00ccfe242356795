import { defineConfig } from 'drizzle-kit';

// Only used to generate migrations from the schema; running them is `npm run migrate` (db/migrate.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
});
