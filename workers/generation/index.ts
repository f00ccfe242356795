export { type MediaProgress, type MediaRegistryOptions, mediaTaskRegistry } from './media-registry.js';
