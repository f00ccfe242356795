export { type MediaRegistryOptions, mediaTaskRegistry } from './media-registry.js';
