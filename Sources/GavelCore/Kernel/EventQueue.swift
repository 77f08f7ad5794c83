/// When an event fires, and how ties at the same time are broken.
///
/// Events are ordered by time, then by priority (lower first), then by the
/// sequence number the queue assigned when the event was scheduled (earlier
/// first). The sequence number makes the order total, so a run never depends on
/// the heap's internal layout.
///
/// All three are packed into one 128-bit word: the time's bits mapped to an
/// order-preserving unsigned integer (high 64 bits), the priority offset by
/// 2^15 (next 16), the sequence (low 48). Comparing keys is then one unsigned
/// 128-bit comparison, with no branch to mispredict in the heap's inner loop.
public struct EventKey: Comparable, Sendable {
    @usableFromInline let packed: UInt128

    @inlinable @inline(__always)
    init(time: Double, priority: Int16, sequence: UInt64) {
        let order = (UInt64(UInt16(bitPattern: priority) ^ 0x8000) << 48) | (sequence & Self.sequenceMask)
        packed = UInt128(Self.sortableBits(time)) << 64 | UInt128(order)
    }

    @usableFromInline static let sequenceMask: UInt64 = (1 << 48) - 1

    /// IEEE-754 bits made monotone in the value: flip all bits of negatives,
    /// set the sign bit of non-negatives (−0 is folded into +0 first).
    @inlinable @inline(__always)
    static func sortableBits(_ x: Double) -> UInt64 {
        let bits = (x + 0.0).bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    /// The event's time, decoded from the key.
    public var time: Double {
        let bits = UInt64(truncatingIfNeeded: packed >> 64)
        return Double(bitPattern: bits & (1 << 63) != 0 ? bits & ~(1 << 63) : ~bits)
    }
    var order: UInt64 { UInt64(truncatingIfNeeded: packed) }
    /// The event's priority (lower fires first among equal times).
    public var priority: Int16 { Int16(bitPattern: UInt16(truncatingIfNeeded: order >> 48) ^ 0x8000) }
    /// The order in which the queue scheduled the event (48 bits), the last tie-break.
    public var sequence: UInt64 { order & Self.sequenceMask }

    /// Time, then priority, then sequence: one 128-bit comparison.
    @inlinable
    public static func < (a: EventKey, b: EventKey) -> Bool { a.packed < b.packed }
}

/// A min-priority queue of events keyed by `EventKey`: an implicit 4-ary heap
/// (half the depth of a binary heap; the four children of a node share a cache line).
///
/// A reference type over raw storage: keys and payloads live in separate
/// buffers so that sifting, which compares keys only, touches little memory,
/// and no copy-on-write or bounds check sits in the inner loops (together
/// these made the kernel about 3x slower, measured by `gavel bench kernel`).
public final class EventQueue<Event> {
    /// All mutable state sits behind one pointer that never changes: a `let`
    /// property has no dynamic exclusivity check, which on `var` properties of
    /// a class cost about a fifth of the kernel's time.
    @usableFromInline struct Storage {
        @usableFromInline var keys: UnsafeMutablePointer<EventKey>
        @usableFromInline var events: UnsafeMutablePointer<Event>
        @usableFromInline var count: Int
        @usableFromInline var capacity: Int
        @usableFromInline var nextSequence: UInt64
    }

    @usableFromInline let storage: UnsafeMutablePointer<Storage>

    /// An empty queue with room for `capacity` events (at least one) before it grows.
    public init(capacity: Int = 16) {
        let capacity = max(capacity, 1)
        storage = .allocate(capacity: 1)
        storage.initialize(to: Storage(
            keys: Self.allocateKeys(capacity), events: .allocate(capacity: capacity),
            count: 0, capacity: capacity, nextSequence: 0))
    }

    deinit {
        storage.pointee.events.deinitialize(count: storage.pointee.count)
        storage.pointee.events.deallocate()
        Self.deallocateKeys(storage.pointee.keys)
        storage.deinitialize(count: 1)
        storage.deallocate()
    }

    /// Key storage is offset by three keys inside a 64-byte-aligned block, so
    /// that the four children of every node (4i+1 … 4i+4) share one cache line.
    static func allocateKeys(_ capacity: Int) -> UnsafeMutablePointer<EventKey> {
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: (capacity + 3) * MemoryLayout<EventKey>.stride, alignment: 64)
        return (raw + 3 * MemoryLayout<EventKey>.stride).bindMemory(to: EventKey.self, capacity: capacity)
    }

    static func deallocateKeys(_ keys: UnsafeMutablePointer<EventKey>) {
        (UnsafeMutableRawPointer(keys) - 3 * MemoryLayout<EventKey>.stride).deallocate()
    }

    /// Events in the queue.
    public var count: Int { storage.pointee.count }
    /// Whether the queue holds no event.
    public var isEmpty: Bool { storage.pointee.count == 0 }
    /// The key of the earliest event, if any.
    @inlinable
    public var firstKey: EventKey? { storage.pointee.count > 0 ? storage.pointee.keys[0] : nil }

    /// The earliest event (a copy; it stays in the queue), if any.
    @inlinable
    public var firstEvent: Event? { storage.pointee.count > 0 ? storage.pointee.events[0] : nil }

    /// Grows the storage to hold at least `n` events without reallocating.
    public func reserveCapacity(_ n: Int) {
        if n > storage.pointee.capacity { grow(to: n) }
    }

    @usableFromInline
    func grow(to newCapacity: Int) {
        let s = storage
        let newKeys = Self.allocateKeys(newCapacity)
        let newEvents = UnsafeMutablePointer<Event>.allocate(capacity: newCapacity)
        newKeys.initialize(from: s.pointee.keys, count: s.pointee.count)
        newEvents.moveInitialize(from: s.pointee.events, count: s.pointee.count)
        Self.deallocateKeys(s.pointee.keys)
        s.pointee.events.deallocate()
        s.pointee.keys = newKeys
        s.pointee.events = newEvents
        s.pointee.capacity = newCapacity
    }

    /// Adds an event; returns the key it was given.
    @inlinable @discardableResult
    public func push(_ event: Event, time: Double, priority: Int16 = 0) -> EventKey {
        let s = storage
        precondition(s.pointee.nextSequence <= EventKey.sequenceMask, "more than 2^48 events scheduled")
        let key = EventKey(time: time, priority: priority, sequence: s.pointee.nextSequence)
        s.pointee.nextSequence &+= 1
        if s.pointee.count == s.pointee.capacity { grow(to: s.pointee.capacity * 2) }
        let k = s.pointee.keys, e = s.pointee.events
        let i = s.pointee.count
        s.pointee.count = i &+ 1
        siftUp(key, event, from: i, keys: k, events: e)
        checkInvariants()
        return key
    }

    /// Removes and returns the earliest event.
    @inlinable
    public func pop() -> (key: EventKey, event: Event)? {
        let s = storage
        let n = s.pointee.count &- 1
        if n < 0 { return nil }
        let top = s.pointee.keys[0]
        let event = s.pointee.events.move()
        s.pointee.count = n
        if n > 0 { placeFromRoot(s.pointee.keys[n], (s.pointee.events + n).move()) }
        checkInvariants()
        return (top, event)
    }

    /// Removes the earliest event and adds `event` in one sift, the common case
    /// of a handler scheduling a follow-up to the event it handles.
    /// - Returns: the removed event and the new event's key.
    @inlinable
    public func replaceFirst(with event: Event, time: Double, priority: Int16 = 0) -> (removed: Event, key: EventKey) {
        let s = storage
        precondition(s.pointee.count > 0, "replaceFirst on an empty queue")
        precondition(s.pointee.nextSequence <= EventKey.sequenceMask, "more than 2^48 events scheduled")
        let key = EventKey(time: time, priority: priority, sequence: s.pointee.nextSequence)
        s.pointee.nextSequence &+= 1
        let removed = s.pointee.events.move()
        placeFromRoot(key, event)
        checkInvariants()
        return (removed, key)
    }

    /// The heap's invariants, for tests and for builds with `-D GAVEL_KERNEL_CHECKS` (where every
    /// push, pop and replaceFirst checks them, O(n) each, like swift-collections' internal checks):
    /// every key is at least its parent's (4-ary: parent of i is (i − 1) / 4), the count is within
    /// the capacity, and every key's sequence is below the next one to be handed out.
    public func invariantViolation() -> String? {
        let s = storage.pointee
        guard s.count >= 0 && s.count <= s.capacity else { return "count \(s.count) outside [0, capacity \(s.capacity)]" }
        for i in 0..<s.count {
            if s.keys[i].sequence >= s.nextSequence { return "key \(i) has sequence \(s.keys[i].sequence) ≥ next \(s.nextSequence)" }
            if i > 0 && s.keys[i] < s.keys[(i - 1) >> 2] { return "key \(i) sorts before its parent \((i - 1) >> 2)" }
        }
        return nil
    }

    @inlinable @inline(__always)
    func checkInvariants() {
        #if GAVEL_KERNEL_CHECKS
        if let v = invariantViolation() { preconditionFailure("EventQueue invariant: \(v)") }
        #endif
    }

    /// Puts (key, event) into the heap whose root slot is vacant.
    ///
    /// Floyd's bottom-up method: the element almost always belongs near the
    /// leaves, so the hole walks down along the smallest children to a leaf
    /// (a branch-free minimum of four children per level) and the element then
    /// sifts up a little.
    @inlinable
    func placeFromRoot(_ key: EventKey, _ event: Event) {
        let s = storage
        let n = s.pointee.count
        let k = s.pointee.keys, e = s.pointee.events
        var i = 0
        var first = 1
        while first &+ 3 < n {
            let a = first &+ (k[first &+ 1] < k[first] ? 1 : 0)
            let b = first &+ (k[first &+ 3] < k[first &+ 2] ? 3 : 2)
            let child = k[b] < k[a] ? b : a
            k[i] = k[child]
            (e + i).initialize(to: (e + child).move())
            i = child
            first = 4 &* i &+ 1
        }
        if first < n {
            var child = first
            var j = first &+ 1
            while j < n {
                if k[j] < k[child] { child = j }
                j &+= 1
            }
            k[i] = k[child]
            (e + i).initialize(to: (e + child).move())
            i = child
        }
        siftUp(key, event, from: i, keys: k, events: e)
    }

    /// Puts (key, event) into the vacant slot `i`, moving it up past larger parents: the one
    /// sift-up of both `push` and `placeFromRoot`.
    @inlinable @inline(__always)
    func siftUp(_ key: EventKey, _ event: Event, from start: Int, keys k: UnsafeMutablePointer<EventKey>,
                events e: UnsafeMutablePointer<Event>) {
        var i = start
        while i > 0 {
            let parent = (i &- 1) >> 2
            if !(key < k[parent]) { break }
            k[i] = k[parent]
            (e + i).initialize(to: (e + parent).move())
            i = parent
        }
        k[i] = key
        (e + i).initialize(to: event)
    }
}
