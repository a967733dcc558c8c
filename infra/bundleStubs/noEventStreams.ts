/**
 * Stands in for @smithy/core/event-streams inside the Lambda bundle. The SDK's HTTP protocol
 * imports it lazily, for operations that stream events; GetItem and presigning never do, but a
 * single-file bundle would still carry (and parse, at every cold start) about 15 KiB of event
 * stream codecs.
 */
const unused = (): never => {
  throw new Error("The Lambda bundle has no event stream support: no operation it calls streams events.");
};

export class EventStreamSerde {
  constructor() {
    unused();
  }
}
export const eventStreamSerdeProvider = unused;
