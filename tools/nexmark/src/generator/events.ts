/**
 * The Nexmark event model: persons, auctions and bids, as plain objects.
 *
 * @packageDocumentation
 */

/**
 * A person who sells or bids (the reference's `Person`).
 *
 * @category Events
 * @since 0.1.0
 */
export interface Person {
  readonly id: number
  readonly name: string
  readonly emailAddress: string
  readonly creditCard: string
  readonly city: string
  readonly state: string
  /** Event time, epoch ms. */
  readonly dateTime: number
  readonly extra: string
}

/**
 * An item put up for auction (the reference's `Auction`).
 *
 * @category Events
 * @since 0.1.0
 */
export interface Auction {
  readonly id: number
  readonly itemName: string
  readonly description: string
  readonly initialBid: number
  readonly reserve: number
  /** Event time, epoch ms. */
  readonly dateTime: number
  /** When the auction closes, epoch ms. */
  readonly expires: number
  readonly seller: number
  readonly category: number
  readonly extra: string
}

/**
 * A bid on an auction (the reference's `Bid`).
 *
 * @category Events
 * @since 0.1.0
 */
export interface Bid {
  readonly auction: number
  readonly bidder: number
  readonly price: number
  /** Where the bid came from: one of four hot channels (`Google`, `Facebook`, `Baidu`, `Apple`) or `channel-<n>` (Nexmark 0.2+). */
  readonly channel: string
  /** The bid's page, `https://www.nexmark.com/<a>/<b>/<c>/item.htm?query=1`, for most non-hot channels with `&channel_id=<id>` (Nexmark 0.2+). */
  readonly url: string
  /** Event time, epoch ms. */
  readonly dateTime: number
  readonly extra: string
}

/**
 * One Nexmark event: a person, an auction or a bid.
 *
 * @category Events
 * @since 0.1.0
 */
export type NexmarkEvent =
  | { readonly type: 'person'; readonly person: Person }
  | { readonly type: 'auction'; readonly auction: Auction }
  | { readonly type: 'bid'; readonly bid: Bid }

/**
 * The `event_type` column's value of an event: 0 person, 1 auction, 2 bid (as the reference).
 *
 * @category Events
 * @since 0.1.0
 */
export const eventTypeOf = (e: NexmarkEvent): 0 | 1 | 2 => (e.type === 'person' ? 0 : e.type === 'auction' ? 1 : 2)

/**
 * The event time of an event, epoch ms.
 *
 * @category Events
 * @since 0.1.0
 */
export const eventTimeOf = (e: NexmarkEvent): number => (e.type === 'person' ? e.person.dateTime : e.type === 'auction' ? e.auction.dateTime : e.bid.dateTime)
