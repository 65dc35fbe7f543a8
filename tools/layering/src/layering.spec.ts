// The layer rules live in eslint.config.mjs (nx tags + @nx/enforce-module-boundaries). A rule set
// like '*' -> '*' would pass everything, so this test lints probe files placed in each layer and
// checks that every import upwards is rejected and every import downwards is accepted.
import { ESLint } from 'eslint'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const eslint = new ESLint({ cwd: root })

const lint = async (file: string, code: string): Promise<string[]> => {
  const [result] = await eslint.lintText(code, { filePath: `${root}${file}` })
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`)
}

const probe = (pkg: string) => `import * as m from '${pkg}'\nexport const probe = m\n`

describe('layering', () => {
  it('rejects the runtime importing the process layer', async () => {
    const messages = await lint('libs/runtime/src/layer-probe.ts', probe('@strom/process'))
    expect(messages.some((m) => m.startsWith('@nx/enforce-module-boundaries'))).toBe(true)
  })

  it('accepts the process layer importing the runtime', async () => {
    expect(await lint('libs/process/src/layer-probe.ts', probe('@strom/runtime'))).toEqual([])
  })

  it('keeps fp-ts out of the per-record path', async () => {
    const messages = await lint('libs/runtime/src/internal/exec/probe.ts', probe('fp-ts/lib/Either.js'))
    expect(messages.some((m) => m.startsWith('no-restricted-imports'))).toBe(true)
  })
})
