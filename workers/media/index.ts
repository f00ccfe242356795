export { fitWithin, SharpImageProcessor } from './sharp-image-processor.js';
export { sniffImageFormat } from './sniff-image-format.js';
