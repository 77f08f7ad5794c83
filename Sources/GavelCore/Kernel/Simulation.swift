/// The discrete-event kernel: a clock and an event queue, nothing about auctions.
///
/// A model owns a `Simulation<Event>` whose `Event` is the model's own enum,
/// schedules events, and handles them in `run`. Events at equal times fire by
/// priority (lower first), then in the order they were scheduled.
///
/// It is a reference type: one clock that everything in a model shares.
///
/// ```swift
/// let sim = Simulation<MyEvent>()
/// sim.schedule(.arrival(0), at: 0)
/// try sim.run(until: 100) { sim, event in ... sim.schedule(..., after: 1) }
/// ```
public final class Simulation<Event> {
    /// The clock: the time of the event being handled (or the last `run` limit).
    public var now: Double { state.pointee.clock }
    /// Events handled so far.
    public var eventsProcessed: Int { state.pointee.processed }
    /// Clock, counter and the deferred-removal flag behind a constant pointer,
    /// for the reason given in `EventQueue`.
    ///
    /// `firstHandled`: the queue's first event is the one being handled and is
    /// removed lazily. Most handlers schedule a follow-up; that schedule then
    /// replaces the first event in one sift instead of a pop and a push
    /// (about 15% of the kernel's time in the hold model).
    @usableFromInline let state: UnsafeMutablePointer<(clock: Double, processed: Int, firstHandled: Bool)>
    @usableFromInline let queue = EventQueue<Event>()

    /// A simulation with an empty queue and its clock at `startTime`.
    public init(startTime: Double = 0) {
        state = .allocate(capacity: 1)
        state.initialize(to: (startTime, 0, false))
    }

    deinit { state.deallocate() }

    /// Events scheduled and not yet handled.
    public var pendingCount: Int { queue.count - (state.pointee.firstHandled ? 1 : 0) }
    /// Time of the next event, if any.
    @inlinable
    public var nextEventTime: Double? {
        settle()
        return queue.firstKey?.time
    }

    /// Completes the deferred removal of the event last handled.
    @inlinable
    func settle() {
        if state.pointee.firstHandled {
            _ = queue.pop()
            state.pointee.firstHandled = false
        }
    }

    /// Schedules `event` at absolute time `time` (not earlier than `now`).
    @inlinable @inline(__always)
    public func schedule(_ event: Event, at time: Double, priority: Int16 = 0) {
        precondition(time >= now, "cannot schedule an event in the past (\(time) < \(now))")
        precondition(!time.isNaN, "event time is NaN")
        if state.pointee.firstHandled {
            _ = queue.replaceFirst(with: event, time: time, priority: priority)
            state.pointee.firstHandled = false
        } else {
            queue.push(event, time: time, priority: priority)
        }
    }

    /// Schedules `event` `delay` time units from now.
    @inlinable
    public func schedule(_ event: Event, after delay: Double, priority: Int16 = 0) {
        schedule(event, at: now + delay, priority: priority)
    }

    /// Reserves room for `n` pending events, so scheduling does not reallocate.
    public func reserveCapacity(_ n: Int) { queue.reserveCapacity(n) }

    /// Takes the next event and advances the clock to it.
    @inlinable
    public func step() -> Event? {
        settle()
        guard let key = queue.firstKey else { return nil }
        state.pointee.clock = key.time
        state.pointee.processed &+= 1
        state.pointee.firstHandled = true
        return queue.firstEvent
    }

    /// When `run` stops.
    public enum StopCondition: Sendable {
        /// When no event is pending.
        case empty
        /// Before the first event later than this time; the clock is then set to it.
        case time(Double)
        /// After this many events have been handled by this call.
        case events(Int)
    }

    /// Handles events in order until the stop condition holds.
    /// - Returns: the number of events handled by this call.
    @inlinable @discardableResult
    public func run(
        _ stop: StopCondition = .empty,
        handler: (Simulation<Event>, Event) throws -> Void
    ) rethrows -> Int {
        var handled = 0
        switch stop {
        case .empty:
            while let event = step() { try handler(self, event); handled += 1 }
        case .time(let limit):
            while let t = nextEventTime, t <= limit, let event = step() {
                try handler(self, event); handled += 1
            }
            if limit.isFinite && limit > now { state.pointee.clock = limit }
        case .events(let n):
            while handled < n, let event = step() { try handler(self, event); handled += 1 }
        }
        return handled
    }

    /// Convenience spelling of `run(.time(limit))`.
    @inlinable @discardableResult
    public func run(until limit: Double, handler: (Simulation<Event>, Event) throws -> Void) rethrows -> Int {
        try run(.time(limit), handler: handler)
    }
}
