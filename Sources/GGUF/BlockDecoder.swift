/// Decodes `count` consecutive blocks starting at the first pointer into `count × blockSize` floats at the second.
typealias BlockDecode = (UnsafeRawPointer, UnsafeMutablePointer<Float>, Int) -> Void

/// One decoder per storage type, each reproducing ggml's reference arithmetic step for step (which products are
/// rounded to Float before the next operation), because that is what makes the results bit-identical.
///
/// Block layouts (ggml-common.h), all little-endian, `d`/`dmin` are Float16:
/// - Q4_0 (18 B): d, 16 bytes of nibbles; value j is `d·(low nibble of byte j − 8)`, value 16+j the high nibble.
/// - Q4_1 (20 B): d, m, 16 bytes of nibbles; `d·q + m`.
/// - Q5_0 (22 B): d, a UInt32 of fifth bits (bit i for value i), 16 bytes of nibbles; `d·(q − 16)`.
/// - Q8_0 (34 B): d, 32 Int8; `q·d`.
/// - Q4_K (144 B, 256 values): d, dmin, 12 bytes packing eight 6-bit scales and mins, 128 bytes of nibbles; in each
///   64-value group g, byte g·32+j's low nibble is value g·64+j and its high nibble value g·64+32+j;
///   `(d·scale)·q − (dmin·min)` per 32-value sub-block.
/// - Q6_K (210 B, 256 values): 128 bytes of low nibbles, 64 bytes of high bit pairs, 16 Int8 scales, d;
///   `(d·scale)·(q − 32)` per 16-value sub-block.
enum BlockDecoder {
    static func decoder(for type: GGMLType) -> BlockDecode? {
        switch type {
        case .f32: f32
        case .f16: f16
        case .bf16: bf16
        case .q4_0: q4_0
        case .q4_1: q4_1
        case .q5_0: q5_0
        case .q8_0: q8_0
        case .q4_K: q4_K
        case .q6_K: q6_K
        default: nil
        }
    }

    @inline(__always)
    static func half(_ pointer: UnsafeRawPointer, _ offset: Int) -> Float {
        Float(Float16(bitPattern: UInt16(littleEndian: pointer.loadUnaligned(fromByteOffset: offset, as: UInt16.self))))
    }

    @inline(__always)
    static func store<V: SIMD>(_ vector: V, _ destination: UnsafeMutablePointer<Float>) where V.Scalar == Float {
        UnsafeMutableRawPointer(destination).storeBytes(of: vector, as: V.self)
    }

    @inline(__always)
    static func floats(_ bytes: SIMD16<UInt8>) -> SIMD16<Float> {
        SIMD16<Float>(SIMD16<Int32>(truncatingIfNeeded: bytes))
    }

    static func f32(_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Float>, _ count: Int) {
        UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: 4 * count)
    }

    static func f16(_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Float>, _ count: Int) {
        var i = 0
        while i + 8 <= count {
            let halves = unsafeBitCast(source.loadUnaligned(fromByteOffset: 2 * i, as: SIMD8<UInt16>.self), to: SIMD8<Float16>.self)
            store(SIMD8<Float>(halves), destination + i)
            i += 8
        }
        while i < count { destination[i] = half(source, 2 * i); i += 1 }
    }

    static func bf16(_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Float>, _ count: Int) {
        var i = 0
        while i + 8 <= count {
            let raw = SIMD8<UInt32>(truncatingIfNeeded: source.loadUnaligned(fromByteOffset: 2 * i, as: SIMD8<UInt16>.self))
            store(unsafeBitCast(raw &<< 16, to: SIMD8<Float>.self), destination + i)
            i += 8
        }
        while i < count {
            let raw = UInt32(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            destination[i] = Float(bitPattern: raw << 16)
            i += 1
        }
    }

    static func q4_0(_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Float>, _ count: Int) {
        for b in 0..<count {
            let block = source + 18 * b, out = destination + 32 * b
            let d = SIMD16<Float>(repeating: half(block, 0))
            let qs = block.loadUnaligned(fromByteOffset: 2, as: SIMD16<UInt8>.self)
            let eight = SIMD16<Float>(repeating: 8)
            // (q − 8) is an exact small integer either way, so subtracting in Float matches ggml's integer subtraction.
            store(d * (floats(qs & 0x0F) - eight), out)
            store(d * (floats(qs &>> 4) - eight), out + 16)
        }
    }

    static func q4_1(_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Float>, _ count: Int) {
        for b in 0..<count {
            let block = source + 20 * b, out = destination + 32 * b
            let d = SIMD16<Float>(repeating: half(block, 0)), m = SIMD16<Float>(repeating: half(block, 2))
            let qs = block.loadUnaligned(fromByteOffset: 4, as: SIMD16<UInt8>.self)
            store(d * floats(qs & 0x0F) + m, out)
            store(d * floats(qs &>> 4) + m, out + 16)
        }
    }

    private static let lowBitShifts = SIMD16<UInt32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)

    static func q5_0(_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Float>, _ count: Int) {
        let sixteen = SIMD16<Float>(repeating: 16)
        for b in 0..<count {
            let block = source + 22 * b, out = destination + 32 * b
            let d = SIMD16<Float>(repeating: half(block, 0))
            let qh = SIMD16<UInt32>(repeating: UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 2, as: UInt32.self)))
            let qs = block.loadUnaligned(fromByteOffset: 6, as: SIMD16<UInt8>.self)
            let highLow = SIMD16<UInt8>(truncatingIfNeeded: ((qh &>> lowBitShifts) & 1) &<< 4)
            let highHigh = SIMD16<UInt8>(truncatingIfNeeded: ((qh &>> (lowBitShifts &+ 16)) & 1) &<< 4)
            store(d * (floats((qs & 0x0F) | highLow) - sixteen), out)
            store(d * (floats((qs &>> 4) | highHigh) - sixteen), out + 16)
        }
    }

    static func q8_0(_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Float>, _ count: Int) {
        for b in 0..<count {
            let block = source + 34 * b, out = destination + 32 * b
            let d = SIMD16<Float>(repeating: half(block, 0)), offset = SIMD16<Float>(repeating: 128)
            for part in 0..<2 {
                // Flipping the sign bit turns Int8 q into the UInt8 q + 128 (the fast conversion path); the
                // subtraction back is exact in Float.
                let biased = block.loadUnaligned(fromByteOffset: 2 + 16 * part, as: SIMD16<UInt8>.self) ^ 0x80
                store((floats(biased) - offset) * d, out + 16 * part)
            }
        }
    }

    // The k-quants below work in 16-value vectors: Swift's wider SIMD conversions are not compiled to vector code.

    static func q4_K(_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Float>, _ count: Int) {
        for b in 0..<count {
            let block = source + 144 * b, out = destination + 256 * b
            let d = half(block, 0), dmin = half(block, 2)
            let s = block + 4  // the 12 packed scale bytes
            @inline(__always) func byte(_ i: Int) -> UInt8 { s.load(fromByteOffset: i, as: UInt8.self) }
            for j in 0..<8 {
                let scale, minimum: UInt8
                if j < 4 {
                    scale = byte(j) & 63
                    minimum = byte(j + 4) & 63
                } else {
                    scale = (byte(j + 4) & 0x0F) | ((byte(j - 4) >> 6) << 4)
                    minimum = (byte(j + 4) >> 4) | ((byte(j) >> 6) << 4)
                }
                let d1 = SIMD16<Float>(repeating: d * Float(scale)), m1 = SIMD16<Float>(repeating: dmin * Float(minimum))
                // Sub-block j = 2·group + half reads the group's 32 bytes: low nibbles for half 0, high for half 1.
                let group = j / 2
                for part in 0..<2 {
                    let qs = block.loadUnaligned(fromByteOffset: 16 + 32 * group + 16 * part, as: SIMD16<UInt8>.self)
                    let q = j % 2 == 0 ? qs & 0x0F : qs &>> 4
                    store(d1 * floats(q) - m1, out + 32 * j + 16 * part)
                }
            }
        }
    }

    static func q6_K(_ source: UnsafeRawPointer, _ destination: UnsafeMutablePointer<Float>, _ count: Int) {
        let thirtyTwo = SIMD16<Float>(repeating: 32)
        for b in 0..<count {
            let block = source + 210 * b, out = destination + 256 * b
            let d = half(block, 208)
            // Value 128·h + 32·k + j (h < 2, k < 4, j < 32): low nibble from byte 64·h + 32·(k mod 2) + j (high nibble
            // when k ≥ 2), two high bits from byte 128 + 32·h + j at bit 2k, scale 8·h + 2·k + j/16.
            for h in 0..<2 {
                for k in 0..<4 {
                    for part in 0..<2 {
                        let ql = block.loadUnaligned(fromByteOffset: 64 * h + 32 * (k % 2) + 16 * part, as: SIMD16<UInt8>.self)
                        let qh = block.loadUnaligned(fromByteOffset: 128 + 32 * h + 16 * part, as: SIMD16<UInt8>.self)
                        let low = k < 2 ? ql & 0x0F : ql &>> 4
                        let high = (qh &>> UInt8(2 * k)) & 3
                        let scale = d * Float(block.load(fromByteOffset: 192 + 8 * h + 2 * k + part, as: Int8.self))
                        // (q − 32) is an exact small integer in Float, as ggml's integer subtraction is.
                        store(SIMD16<Float>(repeating: scale) * (floats(low | (high &<< 4)) - thirtyTwo), out + 128 * h + 32 * k + 16 * part)
                    }
                }
            }
        }
    }
}
