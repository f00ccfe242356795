export { createResponseStore, type ResponseStore, type StoredResponse } from './response-store.js';
