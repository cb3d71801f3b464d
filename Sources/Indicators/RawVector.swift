/// A growable buffer of plain values in manually managed memory, for the MTLD hot loops.
///
/// `Array.append` checks uniqueness and capacity and the element access checks bounds; in the tokeniser's inner loop
/// those checks cost more than the work. The owner must call ``free()`` exactly once (in its `deinit`). Spare
/// capacity is kept zeroed-or-written and at least ``slack`` elements long, so word-at-a-time reads just past the
/// end stay inside the allocation.
struct RawVector<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private(set) var capacity: Int
    private let zero: Element
    /// Elements that may be read (never used) past `count`.
    static var slack: Int { 16 }

    init(capacity: Int, zero: Element) {
        self.capacity = capacity
        self.zero = zero
        base = .allocate(capacity: capacity + Self.slack)
        base.initialize(repeating: zero, count: capacity + Self.slack)
    }

    func free() { base.deallocate() }

    @inline(__always)
    subscript(index: Int) -> Element {
        get { base[index] }
        nonmutating set { base[index] = newValue }
    }

    @inline(__always)
    mutating func append(_ element: Element) {
        if count == capacity { grow(to: capacity * 2) }
        base[count] = element
        count &+= 1
    }

    /// Appends `source[0..<n]`.
    mutating func append(contentsOf source: UnsafePointer<Element>, count n: Int) {
        if count + n > capacity { grow(to: max(capacity * 2, count + n)) }
        (base + count).update(from: source, count: n)
        count += n
    }

    /// Makes room for `total` elements without reallocating.
    @inline(__always)
    mutating func reserve(_ total: Int) {
        if total > capacity { grow(to: max(total, capacity * 2)) }
    }

    /// Sets the element count (at most the capacity): shrinking keeps the memory, growing exposes bytes written
    /// directly through `base`.
    @inline(__always)
    mutating func setCount(_ newCount: Int) { count = newCount }

    private mutating func grow(to newCapacity: Int) {
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity + Self.slack)
        bigger.initialize(from: base, count: capacity + Self.slack)
        (bigger + capacity + Self.slack).initialize(repeating: zero, count: newCapacity - capacity)
        base.deallocate()
        base = bigger
        capacity = newCapacity
    }
}
