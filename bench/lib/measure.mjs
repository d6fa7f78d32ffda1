import { gzipSync } from "node:zlib";

/** Raw and gzip (zlib default level) sizes of some bytes. */
export function sizes(bytes) {
  return { raw: bytes.length, gzip: gzipSync(bytes).length };
}

export function formatBytes(n) {
  return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KiB (${n.toLocaleString("en-US")} B)`;
}

/** Mean and nearest-rank percentiles of latency samples in milliseconds. */
export function latencyStats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  const mean = samples.reduce((sum, s) => sum + s, 0) / samples.length;
  return { mean, p50: rank(50), p99: rank(99) };
}

export const ms = (n) => `${n.toFixed(2)} ms`;

export function formatLatency({ mean, p50, p99 }) {
  return `${ms(mean)} / ${ms(p50)} / ${ms(p99)}`;
}
