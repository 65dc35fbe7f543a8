import { TimeDomain } from '../../functions/time-domain.js'
import type { KeyedProcessFunction } from '../../functions/keyed-process-function.js'
import type { KeyedCoProcessFunction } from '../../functions/keyed-co-process-function.js'
import { TimerServiceContext } from './context-base.js'

/**
 * The one reused context of a keyed (co-)process operator, for records and timers alike: the
 * operator sets `ts`, `key` and, for timers, `domain` before each call. Timers never fire inside
 * a call into the function (event-time ones fire from watermarks, processing-time ones from the
 * mailbox), so one object serves both.
 */
export class KeyedContext<K>
  extends TimerServiceContext
  implements KeyedProcessFunction.OnTimerContext<K>, KeyedCoProcessFunction.OnTimerContext<K>
{
  /** The key of the record or timer being processed. */
  key!: K
  /** The time domain of the timer firing. */
  domain: TimeDomain = TimeDomain.EVENT_TIME

  getCurrentKey(): K {
    return this.key
  }

  timeDomain(): TimeDomain {
    return this.domain
  }
}
