// Preloaded (node --import) into fauxqs by com.pisync.testbed.LocalSns.
// The JVM holds the write end of our stdin pipe: when it closes (LocalSns.close(), or the JVM died,
// even by SIGKILL) this process exits, so no emulator outlives the tests that started it.
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
