import { describe, expect, it } from 'vitest'
import { countPerUser } from './count-per-user.js'

describe('the README example', () => {
  it('counts clicks per user', async () => {
    const rows = await countPerUser([
      { user: 'ann', ts: 1 },
      { user: 'bob', ts: 2 },
      { user: 'ann', ts: 3 },
    ])
    expect(rows).toEqual([
      ['ann', 1],
      ['bob', 1],
      ['ann', 2],
    ])
  })
})
