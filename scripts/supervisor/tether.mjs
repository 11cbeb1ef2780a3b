// Preloaded into every service child (`node --import tether.mjs dist/main.js`). The children run in
// process groups of their own (see supervise.mjs), so if the start script dies without stopping them
// (SIGKILL, a crash) nothing else would: its IPC channel closing is the cue to shut down as on SIGTERM.
if (process.channel) {
  process.channel.unref(); // the channel must not keep a service alive that wants to exit
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
