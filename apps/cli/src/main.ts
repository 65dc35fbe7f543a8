// The entry of the `strom` script (bin/strom.mjs imports it once tsx is registered): runs the
// command line and exits with its code.
import { runCli } from './cli.js'

const code = await runCli(process.argv.slice(2))
process.exitCode = code
// Everything the command started has stopped by now; if some handle still keeps the process
// alive, do not hang the terminal (the timer itself does not keep it alive).
setTimeout(() => process.exit(code), 3_000).unref()
