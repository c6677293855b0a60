// CPU and memory for heartbeats (SPEC W4): this process's CPU share since the last sample.
import { memoryUsage } from "node:process";

let last = { time: performance.now(), usage: process.cpuUsage() };

export function sampleSystem(): { cpuPercent: number; memoryMb: number } {
  const now = performance.now();
  const usage = process.cpuUsage();
  const elapsedUs = Math.max(1, (now - last.time) * 1000);
  const usedUs = usage.user - last.usage.user + (usage.system - last.usage.system);
  last = { time: now, usage };
  return {
    cpuPercent: Math.round((usedUs / elapsedUs) * 1000) / 10,
    memoryMb: Math.round(memoryUsage.rss() / 1_048_576),
  };
}
