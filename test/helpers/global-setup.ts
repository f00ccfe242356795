import { prepareTemplate } from './test-database.js';

/** Runs once before the suite: the migrated template every test file copies its database from. */
export default async function setup(): Promise<void> {
  await prepareTemplate();
}
