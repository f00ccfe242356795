export {
  type MediaDeps,
  type OutputInput,
  type StoredFile,
  storeImageUpload,
  storeOutputs,
  type UploadInput,
} from './media-files.js';
export { fitWithin, SharpImageProcessor } from './sharp-image-processor.js';
