import Synchronization

/// One family's open list of mechanisms: Gavel's own first, then those a program registered.
///
/// Each family keeps one registry of the values its public protocol describes (a matching
/// family keeps `any OnlineMatchingAlgorithm`s, the position auctions keep rules). A scenario
/// names a mechanism by its `name`; the kind resolves it here, so a registered mechanism runs
/// exactly like a built-in one, and an unknown name lists both.
///
/// Registration happens before anything runs (typically at the top of a program's `main`,
/// before `GavelCommand.main()`): a registry only grows, so every run of a process sees one list.
public final class MechanismRegistry<Mechanism: Sendable>: Sendable {
    /// What the family calls one mechanism, for messages ("matching algorithm", "RTB bidder").
    public let family: String
    /// Gavel's own mechanisms, in `gavel list` order.
    public let builtIn: [Mechanism]
    private let nameOf: @Sendable (Mechanism) -> String
    private let summaryOf: @Sendable (Mechanism) -> String
    private let registered = Mutex<[Mechanism]>([])

    /// A registry of `builtIn`, whose names must be distinct snake_case names (checked: a
    /// built-in list that breaks this is a programming error).
    public init(family: String, builtIn: [Mechanism],
                name: @escaping @Sendable (Mechanism) -> String, summary: @escaping @Sendable (Mechanism) -> String) {
        self.family = family
        self.builtIn = builtIn
        nameOf = name
        summaryOf = summary
        let names = builtIn.map(name)
        precondition(Set(names).count == names.count, "\(family): built-in names repeat: \(names)")
        precondition(names.allSatisfy(Self.isSnakeCase), "\(family): built-in names must be snake_case: \(names)")
    }

    /// Every mechanism: built-in first, then registered ones in registration order.
    public var all: [Mechanism] { builtIn + registered.withLock { $0 } }

    /// The registered (not built-in) mechanisms, in registration order.
    public var extra: [Mechanism] { registered.withLock { $0 } }

    /// Every name, in `all` order.
    public var names: [String] { all.map(nameOf) }

    /// The mechanism called `name`, or nil.
    public func named(_ name: String) -> Mechanism? { all.first { nameOf($0) == name } }

    /// The name a mechanism is known by.
    public func name(of mechanism: Mechanism) -> String { nameOf(mechanism) }

    /// The mechanism called `name`; an unknown name is an ``InputError`` listing the built-in
    /// and the registered names.
    public func resolve(_ name: String) throws -> Mechanism {
        if let found = named(name) { return found }
        throw InputError(unknownNameMessage(name))
    }

    /// `unknown matching algorithm "x": expected one of a, b (built-in); c (registered)`.
    public func unknownNameMessage(_ name: String) -> String {
        let extra = registered.withLock { $0 }.map(nameOf)
        var expected = "expected one of \(builtIn.map(nameOf).joined(separator: ", ")) (built-in)"
        if !extra.isEmpty { expected += "; \(extra.joined(separator: ", ")) (registered)" }
        return "unknown \(family) \(String(reflecting: name)): \(expected)"
    }

    /// Adds a mechanism after the built-in ones. Its name must be snake_case and new: a name a
    /// built-in or an already registered mechanism has is an ``InputError`` naming the clash.
    public func register(_ mechanism: Mechanism) throws {
        let name = nameOf(mechanism)
        guard Self.isSnakeCase(name) else {
            throw InputError("cannot register \(family) \(String(reflecting: name)): expected a snake_case name (a-z, 0-9, _; a letter first)")
        }
        try registered.withLock { list in
            if builtIn.contains(where: { nameOf($0) == name }) {
                throw InputError("cannot register \(family) \(String(reflecting: name)): Gavel has a built-in \(family) of that name")
            }
            if list.contains(where: { nameOf($0) == name }) {
                throw InputError("cannot register \(family) \(String(reflecting: name)): a \(family) of that name is already registered")
            }
            list.append(mechanism)
        }
    }

    /// `gavel list`'s lines: every mechanism's name and summary, registered ones marked.
    public var components: [ComponentInfo] {
        builtIn.map { ComponentInfo(nameOf($0), summaryOf($0)) }
            + extra.map { ComponentInfo(nameOf($0), summaryOf($0), isRegistered: true) }
    }

    /// a-z, 0-9 and _, a letter first: the names scenario files, run keys and CSV columns can carry.
    public static func isSnakeCase(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}

/// A family of mechanisms with an open registry: the marker type a scenario config names
/// (``RegisteredMechanism``) to decode one of the family's mechanisms by name.
public protocol MechanismFamily {
    /// What the registry holds: the family's public protocol as a value (`any OnlineMatchingAlgorithm`).
    associatedtype Mechanism: Sendable
    /// The family's one registry.
    static var registry: MechanismRegistry<Mechanism> { get }
}
