import { readFileSync } from 'node:fs';

/**
 * A real, playable H.264 MP4 (2 s, 160x90, a test pattern) that the video fakes serve as their
 * output, so players, previews and the playground show an actual video. Made once with ffmpeg's
 * `testsrc` source and kept beside the fakes (about 4 kB).
 */
export const SAMPLE_MP4: Buffer = readFileSync(new URL('./assets/sample-video.mp4', import.meta.url));
