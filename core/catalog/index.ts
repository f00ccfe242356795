export {
  type Catalog,
  type CatalogModel,
  type CatalogRoute,
  type ChatModel,
  DEFAULT_CATALOG_PATH,
  type EmbeddingModel,
  type ImageModel,
  loadCatalog,
  type ModelKind,
  parseCatalog,
  type RouteInput,
  type TranscriptionModel,
  type VideoModel,
} from './catalog.js';
export {
  checkCatalog,
  formatFinding,
  type RouteFinding,
  type RouteProblem,
  type UpstreamDirectory,
  type UpstreamModel,
} from './catalog-check.js';
export { type CatalogProvider, PROVIDERS } from './catalog-schema.js';
export { KNOWN_SHUTDOWNS, type KnownShutdown } from './known-shutdowns.js';
