/**
 * The views of the Nexmark DDL over an array of events, for the brute-force references.
 *
 * @packageDocumentation
 */
import type { Auction, Bid, NexmarkEvent, Person } from '../generator/events.js'

/** `CREATE VIEW bid AS … WHERE event_type = 2`. */
export const bidsOf = (events: readonly NexmarkEvent[]): Bid[] => {
  const bids: Bid[] = []
  for (const e of events) if (e.type === 'bid') bids.push(e.bid)
  return bids
}

/** `CREATE VIEW auction AS … WHERE event_type = 1`. */
export const auctionsOf = (events: readonly NexmarkEvent[]): Auction[] => {
  const auctions: Auction[] = []
  for (const e of events) if (e.type === 'auction') auctions.push(e.auction)
  return auctions
}

/** `CREATE VIEW person AS … WHERE event_type = 0`. */
export const personsOf = (events: readonly NexmarkEvent[]): Person[] => {
  const persons: Person[] = []
  for (const e of events) if (e.type === 'person') persons.push(e.person)
  return persons
}
