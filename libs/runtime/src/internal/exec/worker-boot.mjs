// The first module a Strom worker thread runs. Job modules and, when Strom runs from its
// TypeScript sources, Strom itself are .ts files: register the tsx loader before importing them.
import { workerData } from 'node:worker_threads'

const isTs = (url) => /\.[cm]?tsx?$/.test(url)
if (isTs(workerData.entry) || isTs(workerData.moduleUrl)) {
  const { register } = await import('tsx/esm/api')
  register()
}
await import(workerData.entry)
