// Debian 12 packages the project needs, per purpose. `start` is what `npm start` needs;
// `test` adds what only tests use (a headless browser for the report tests, clang for the helper's
// fuzz targets, GNU indent for its style check), so that `npm start` never pulls a browser or a
// second compiler.

/** @typedef {'start' | 'test'} Target */

/** @type {readonly string[]} */
const START = [
  // GStreamer 1.22 with gst-rtsp-server: runtime, tools (gst-launch-1.0, gst-discoverer-1.0)
  'gstreamer1.0-tools',
  'gstreamer1.0-plugins-base',
  'gstreamer1.0-plugins-base-apps',
  'gstreamer1.0-plugins-good',
  'gstreamer1.0-plugins-bad',
  'gstreamer1.0-plugins-ugly',
  'gstreamer1.0-libav',
  'gstreamer1.0-rtsp',
  // ICE for webrtcbin (the WHEP browser viewers): libnice's GStreamer elements
  'gstreamer1.0-nice',
  // headers for native/rtsp-helper
  'libgstrtspserver-1.0-dev',
  'libgstreamer1.0-dev',
  'libgstreamer-plugins-base1.0-dev',
  'libgstreamer-plugins-bad1.0-dev', // gstwebrtc-1.0 and gstsdp for the WHEP viewers
  'build-essential',
  'pkg-config',
  // client probes, network namespaces and tbf for the benchmark, its RTT probe (ping) and
  // process lookups (pgrep): minimal images lack procps and iputils-ping
  'ffmpeg',
  'iproute2',
  'iputils-ping',
  'procps',
  // the `canvas` npm package (charts) builds from source against these; node-gyp needs python3
  'libcairo2-dev',
  'libpango1.0-dev',
  'libjpeg-dev',
  'libgif-dev',
  'librsvg2-dev',
  'python3',
  // the chart font (src/charts/theme.ts); fontconfig alone may bring another family instead
  'fonts-dejavu-core',
];

/** @type {readonly string[]} */
const TEST_ONLY = [
  'chromium', // headless report and dashboard tests
  'prometheus', // promtool: the /metrics test lints the exposition with `promtool check metrics`
  // the helper's fuzz targets (`make -C native fuzz`): clang's libFuzzer, ASan and UBSan runtimes,
  // which clang only recommends (and recommends are not installed)
  'clang',
  'libclang-rt-14-dev',
  // GNU indent: the helper's C in GStreamer's style (native/tools/gst-indent, checked by npm test)
  'indent',
  // the RTSP camera of the live-source tests (test/support/camera.py): GStreamer's RTSP server
  // from Debian's own Python
  'python3-gi',
  'gir1.2-gst-rtsp-server-1.0',
];

export const TARGETS = /** @type {const} */ (['start', 'test']);

/**
 * @param {Target} target
 * @returns {string[]}
 */
export function requiredPackages(target) {
  return target === 'test' ? [...START, ...TEST_ONLY] : [...START];
}
