/// Colours fixed per mechanism across every chart of a page: the Okabe–Ito palette (Okabe & Ito,
/// "Color Universal Design", 2008), distinguishable with the common colour-vision deficiencies,
/// assigned in order of first appearance on the page (so a page is deterministic). Past eight
/// mechanisms the colours repeat with a dash pattern.
public struct Palette: Sendable {
    static let colours = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#B8A300"]
    static let dashes = ["", "6 3", "2 2", "8 3 2 3"]
    private(set) var order: [String] = []

    /// A palette with `names` assigned in order.
    public init(_ names: [String] = []) { for n in names { add(n) } }

    /// Assigns the next colour to `name` unless it has one.
    public mutating func add(_ name: String) { if !order.contains(name) { order.append(name) } }

    func index(_ name: String) -> Int { order.firstIndex(of: name) ?? order.count }
    /// `name`'s colour, as `#RRGGBB`.
    public func colour(_ name: String) -> String { Self.colours[index(name) % Self.colours.count] }
    /// `name`'s SVG dash pattern ("" for a solid line; dashed once the colours repeat).
    public func dash(_ name: String) -> String { Self.dashes[(index(name) / Self.colours.count) % Self.dashes.count] }
}
