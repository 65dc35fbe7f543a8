// The entry point of `npm start`: runs the demo with the command line's options. Kept apart from
// the job module (session-job.ts), which worker threads import and which must not start anything.
import { runDemo } from './demo.js'

const code = await runDemo(process.argv.slice(2))
process.exitCode = code
// Everything the job started has stopped by now; if some handle still kept the process alive,
// do not hang the terminal (the timer itself does not keep it alive).
setTimeout(() => process.exit(code), 3_000).unref()
