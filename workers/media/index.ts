export { fitWithin, SharpImageProcessor } from './sharp-image-processor.js';
