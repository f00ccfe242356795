export {
  type Catalog,
  type CatalogModel,
  type CatalogRoute,
  type ChatModel,
  DEFAULT_CATALOG_PATH,
  type ImageModel,
  loadCatalog,
  type ModelKind,
  parseCatalog,
  type RouteInput,
  type VideoModel,
} from './catalog.js';
export { type CatalogProvider, PROVIDERS } from './catalog-schema.js';
